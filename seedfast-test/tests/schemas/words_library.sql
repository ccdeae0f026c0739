-- A lending library with fines, and a sensor network, in the style of
-- public sample databases: statuses in enums and CHECK lists, verb-named
-- time columns, nullable references and money.
CREATE TYPE book_status AS ENUM ('available', 'on_loan', 'lost');
CREATE TYPE severity AS ENUM ('info', 'warning', 'critical');

CREATE TABLE authors (
    id serial PRIMARY KEY,
    full_name text NOT NULL,
    country text
);

CREATE TABLE books (
    id serial PRIMARY KEY,
    author_id int NOT NULL REFERENCES authors (id),
    title text NOT NULL,
    status book_status NOT NULL,
    published_year int NOT NULL CHECK (published_year BETWEEN 1450 AND 2100),
    list_price numeric(8, 2) NOT NULL CHECK (list_price >= 0),
    signed boolean NOT NULL DEFAULT false
);

CREATE TABLE patrons (
    id serial PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    email text UNIQUE,
    phone text,
    joined_on date NOT NULL
);

CREATE TABLE loans (
    id serial PRIMARY KEY,
    book_id int NOT NULL REFERENCES books (id),
    patron_id int NOT NULL REFERENCES patrons (id),
    borrowed_at timestamptz NOT NULL,
    returned_at timestamptz
);

CREATE TABLE payments (
    id serial PRIMARY KEY,
    patron_id int NOT NULL REFERENCES patrons (id),
    amount numeric(8, 2) NOT NULL CHECK (amount > 0),
    status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    paid_at timestamptz NOT NULL
);

CREATE TABLE refunds (
    id serial PRIMARY KEY,
    payment_id int NOT NULL REFERENCES payments (id),
    reason text,
    refunded_at timestamptz NOT NULL
);

CREATE TABLE sensors (
    id serial PRIMARY KEY,
    serial_number text NOT NULL UNIQUE,
    installed_on date NOT NULL,
    active boolean NOT NULL
);

CREATE TABLE readings (
    id bigserial PRIMARY KEY,
    sensor_id int NOT NULL REFERENCES sensors (id),
    recorded_at timestamptz NOT NULL,
    celsius numeric(5, 2) NOT NULL CHECK (celsius BETWEEN -60 AND 80)
);

CREATE TABLE alerts (
    id serial PRIMARY KEY,
    sensor_id int NOT NULL REFERENCES sensors (id),
    severity severity NOT NULL,
    raised_at timestamptz NOT NULL,
    resolved_at timestamptz
);
