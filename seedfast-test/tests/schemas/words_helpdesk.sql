-- A help desk and a small shop, in the style of a production app: enums
-- and CHECK lists give the words a scope may use as values.
CREATE TYPE tier AS ENUM ('free', 'silver', 'gold');
CREATE TYPE ticket_priority AS ENUM ('low', 'normal', 'urgent');

CREATE TABLE members (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    tier tier NOT NULL,
    role text NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin', 'owner'))
);

CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    email text UNIQUE
);

CREATE TABLE customer_addresses (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    kind text NOT NULL CHECK (kind IN ('home', 'work', 'billing')),
    city text NOT NULL,
    UNIQUE (customer_id, kind)
);

CREATE TABLE tickets (
    id bigserial PRIMARY KEY,
    subject text NOT NULL,
    priority ticket_priority NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'pending', 'closed')),
    opened_at timestamptz NOT NULL,
    closed_at timestamptz
);

CREATE TABLE products (
    id bigserial PRIMARY KEY,
    title text NOT NULL,
    price numeric(10, 2) NOT NULL CHECK (price > 0),
    discontinued boolean NOT NULL DEFAULT false
);

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    status text NOT NULL CHECK (status IN ('placed', 'paid', 'shipped', 'delivered', 'cancelled')),
    placed_at timestamptz NOT NULL,
    shipped_at timestamptz,
    delivered_at timestamptz
);

CREATE TABLE order_lines (
    id bigserial PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES orders (id),
    product_id bigint NOT NULL REFERENCES products (id),
    quantity int NOT NULL CHECK (quantity BETWEEN 1 AND 20)
);

CREATE TABLE contacts (
    id bigserial PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    email text,
    phone text,
    segment text
);

CREATE TABLE employees (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    hired_on date NOT NULL
);

CREATE TABLE devices (
    id bigserial PRIMARY KEY,
    label text NOT NULL,
    status smallint NOT NULL CHECK (status IN (1, 2, 4))
);

CREATE TABLE houses (
    id bigserial PRIMARY KEY,
    street text NOT NULL,
    year_built int NOT NULL CHECK (year_built BETWEEN 1800 AND 2100)
);

CREATE TABLE boards (id bigserial PRIMARY KEY, name text NOT NULL);
CREATE TABLE lists (id bigserial PRIMARY KEY, board_id bigint NOT NULL REFERENCES boards (id), name text NOT NULL);

CREATE TABLE artist_aliases (id bigserial PRIMARY KEY, alias text NOT NULL);
CREATE TABLE salespeople (id bigserial PRIMARY KEY, name text NOT NULL);
CREATE TABLE iso_3166_1 (code char(2) PRIMARY KEY, name text NOT NULL);

CREATE SCHEMA auth;
CREATE TABLE auth.accounts (id bigserial PRIMARY KEY, login text NOT NULL);
CREATE TABLE auth.sessions (id bigserial PRIMARY KEY, token text NOT NULL);
CREATE TABLE sessions (id bigserial PRIMARY KEY, started_at timestamptz NOT NULL);
