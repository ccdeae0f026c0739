-- A ride-hailing service, a SaaS billing service and a clinic, in the style
-- of production apps: money in minor units, durations and distances named by
-- their unit, cities and currencies as free text, boolean flags spelled as
-- adjectives, one-letter codes, verb-named times and nullable references.
CREATE TYPE trip_status AS ENUM ('requested', 'accepted', 'in_progress', 'completed', 'cancelled');
CREATE TYPE plan_tier AS ENUM ('free', 'starter', 'pro', 'enterprise');

CREATE TABLE drivers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name text NOT NULL,
    city text NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    verified boolean NOT NULL DEFAULT false,
    joined_at timestamptz NOT NULL,
    rating numeric(3, 2) CHECK (rating BETWEEN 1 AND 5)
);

CREATE TABLE trips (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    driver_id bigint NOT NULL REFERENCES drivers (id),
    status trip_status NOT NULL,
    city text NOT NULL,
    currency char(3) NOT NULL,
    fare_cents integer NOT NULL CHECK (fare_cents >= 0),
    distance_km numeric(6, 1) NOT NULL CHECK (distance_km > 0),
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 600),
    requested_at timestamptz NOT NULL,
    started_at timestamptz,
    completed_at timestamptz,
    CHECK (completed_at IS NULL OR started_at IS NOT NULL)
);

CREATE TABLE trip_reviews (
    id serial PRIMARY KEY,
    trip_id bigint NOT NULL UNIQUE REFERENCES trips (id),
    stars smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment text
);

CREATE TABLE accounts (
    id serial PRIMARY KEY,
    name text NOT NULL,
    plan plan_tier NOT NULL,
    seats integer NOT NULL CHECK (seats BETWEEN 1 AND 1000),
    country text,
    created_at timestamptz NOT NULL
);

CREATE TABLE memberships (
    id serial PRIMARY KEY,
    account_id int NOT NULL REFERENCES accounts (id),
    email text NOT NULL UNIQUE,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    revoked boolean NOT NULL DEFAULT false,
    joined_at timestamptz NOT NULL,
    last_login_at timestamptz
);

CREATE TABLE bills (
    id serial PRIMARY KEY,
    account_id int NOT NULL REFERENCES accounts (id),
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    currency text NOT NULL CHECK (currency IN ('USD', 'EUR', 'GBP')),
    issued_on date NOT NULL,
    due_on date NOT NULL,
    paid_at timestamptz
);

CREATE TABLE doctors (
    id serial PRIMARY KEY,
    full_name text NOT NULL,
    specialty text NOT NULL,
    hired_on date NOT NULL
);

CREATE TABLE patients (
    id serial PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    sex char(1) NOT NULL CHECK (sex IN ('F', 'M', 'X')),
    birth_date date NOT NULL,
    died_on date,
    primary_doctor_id int REFERENCES doctors (id),
    insured boolean NOT NULL
);

CREATE TABLE visits (
    id serial PRIMARY KEY,
    patient_id int NOT NULL REFERENCES patients (id),
    doctor_id int NOT NULL REFERENCES doctors (id),
    length_minutes integer NOT NULL CHECK (length_minutes IN (15, 30, 45, 60)),
    scheduled_for timestamptz NOT NULL,
    checked_in_at timestamptz
);

CREATE TABLE properties (
    id serial PRIMARY KEY,
    address text NOT NULL,
    year integer NOT NULL CHECK (year BETWEEN 1800 AND 2030),
    area_sqm integer NOT NULL CHECK (area_sqm > 0)
);

CREATE TABLE driver_documents (
    id serial PRIMARY KEY,
    driver_id bigint NOT NULL REFERENCES drivers (id),
    kind text NOT NULL CHECK (kind IN ('licence', 'insurance', 'registration')),
    expiry_month smallint NOT NULL CHECK (expiry_month BETWEEN 1 AND 12),
    expiry_year integer NOT NULL CHECK (expiry_year BETWEEN 2000 AND 2100),
    verified_at timestamptz
);

-- A link that may repeat per year: the pair is part of a unique key, not
-- one by itself.
CREATE TABLE patient_doctors (
    id serial PRIMARY KEY,
    patient_id int NOT NULL REFERENCES patients (id),
    doctor_id int NOT NULL REFERENCES doctors (id),
    since_year int,
    UNIQUE (patient_id, doctor_id, since_year)
);
