-- Venues, members and rentals: a schema of our own for the scope tests of
-- tests/words_more.rs (several tables at once, parents by label, `all of
-- them`, counted lists, names, day ranges, states by their time column).
CREATE TABLE branches (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    city        text NOT NULL
);
CREATE TABLE members (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    branch_id   bigint NOT NULL REFERENCES branches (id),
    full_name   text NOT NULL,
    email       text NOT NULL UNIQUE,
    bio         text,
    country     char(2) NOT NULL DEFAULT 'GB',
    is_active   boolean NOT NULL DEFAULT true,
    joined_at   timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE departments (
    id          serial PRIMARY KEY,
    name        text NOT NULL UNIQUE
);
CREATE TABLE shows (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       text NOT NULL,
    status      text NOT NULL CHECK (status IN ('airing', 'ended', 'cancelled')),
    premiered_on date NOT NULL
);
CREATE TABLE reviews (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    show_id     bigint NOT NULL REFERENCES shows (id) ON DELETE CASCADE,
    stars       smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
    body        text
);
CREATE TABLE locations (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    label       text NOT NULL UNIQUE,
    address     text NOT NULL
);
CREATE TABLE classes (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    location_id      bigint NOT NULL REFERENCES locations (id),
    title            text NOT NULL,
    room             text NOT NULL,
    starts_at        timestamptz NOT NULL,
    duration_minutes integer NOT NULL CHECK (duration_minutes BETWEEN 15 AND 240),
    seat_count       integer NOT NULL DEFAULT 12 CHECK (seat_count > 0),
    price            numeric(8,2) NOT NULL CHECK (price >= 0)
);
CREATE TABLE tariffs (
    id          serial PRIMARY KEY,
    code        text NOT NULL UNIQUE,
    name        text NOT NULL
);
CREATE TABLE meters (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tariff_id   integer NOT NULL REFERENCES tariffs (id),
    serial_no   text NOT NULL UNIQUE,
    installed_on date NOT NULL
);
CREATE TABLE rentals (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id    bigint NOT NULL REFERENCES members (id),
    status       text NOT NULL CHECK (status IN ('reserved', 'active', 'completed', 'cancelled')),
    reserved_at  timestamptz NOT NULL,
    picked_up_at timestamptz,
    returned_at  timestamptz,
    CHECK (returned_at IS NULL OR (picked_up_at IS NOT NULL AND returned_at >= picked_up_at))
);
CREATE TABLE shots (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    minute      smallint NOT NULL CHECK (minute BETWEEN 1 AND 120),
    is_penalty  boolean NOT NULL DEFAULT false
);
CREATE TABLE listings (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       text NOT NULL,
    condition   text NOT NULL CHECK (condition IN ('new', 'like_new', 'used')),
    price       numeric(10,2) NOT NULL
);
CREATE TABLE vehicles (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plate       text NOT NULL UNIQUE,
    model_year  smallint NOT NULL CHECK (model_year BETWEEN 1990 AND 2027)
);
CREATE TABLE instructors (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    first_name  text NOT NULL,
    last_name   text NOT NULL,
    email       text NOT NULL UNIQUE
);
CREATE TABLE staff (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name   text NOT NULL,
    role        text NOT NULL CHECK (role IN ('coach', 'trainer', 'receptionist', 'sales_rep'))
);
CREATE TABLE sessions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    staff_id    bigint NOT NULL REFERENCES staff (id),
    starts_at   timestamptz NOT NULL
);
-- States tied to their times by CHECKs, as real schemas write them.
CREATE TYPE deal_stage AS ENUM ('lead', 'qualified', 'proposal', 'won', 'lost');
CREATE TABLE deals (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title       text NOT NULL,
    stage       deal_stage NOT NULL DEFAULT 'lead',
    value       numeric(12,2) NOT NULL CHECK (value >= 0),
    created_at  timestamptz NOT NULL,
    won_at      timestamptz,
    lost_at     timestamptz,
    CHECK (won_at IS NULL OR stage = 'won'),
    CHECK (lost_at IS NULL OR stage = 'lost')
);
CREATE TABLE bookings (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id    bigint NOT NULL REFERENCES members (id),
    status       text NOT NULL CHECK (status IN ('booked', 'attended', 'no_show', 'cancelled')),
    booked_at    timestamptz NOT NULL,
    cancelled_at timestamptz,
    CHECK (status <> 'cancelled' OR cancelled_at IS NOT NULL),
    CHECK (cancelled_at IS NULL OR status = 'cancelled')
);
CREATE TABLE loans (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    member_id    bigint NOT NULL REFERENCES members (id),
    borrowed_at  timestamptz NOT NULL,
    due_on       date NOT NULL,
    returned_at  timestamptz,
    CHECK (due_on >= borrowed_at::date),
    CHECK (returned_at IS NULL OR returned_at >= borrowed_at)
);
CREATE TABLE fines (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loan_id      bigint NOT NULL REFERENCES loans (id),
    reason       text NOT NULL CHECK (reason IN ('overdue', 'damaged', 'lost')),
    amount_pence integer NOT NULL CHECK (amount_pence > 0)
);
