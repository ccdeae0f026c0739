-- A small plant and its community site (tests/words_plant.rs): people in a
-- reporting tree, work orders that follow up other work orders, threaded
-- comments, nested categories, machines with a kind and a state, code
-- columns, countries as ISO codes, an outstanding-invoice state, a rate
-- per unit beside an amount of it.

CREATE DOMAIN part_code AS text CHECK (VALUE ~ '^[A-Z]{2}-[0-9]{4}$');

CREATE TABLE sites (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    city       text NOT NULL,
    country    char(2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE staff (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id       bigint NOT NULL REFERENCES sites,
    first_name    text NOT NULL,
    last_name     text NOT NULL,
    role          text NOT NULL CHECK (role IN ('supervisor', 'operator', 'inspector', 'planner')),
    sex           char(1) CHECK (sex IN ('F', 'M', 'X')),
    supervisor_id bigint REFERENCES staff,
    mentor_id     bigint REFERENCES staff,
    last_active_at timestamptz,
    last_login_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE machines (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id      bigint NOT NULL REFERENCES sites,
    machine_type text NOT NULL CHECK (machine_type IN ('lathe', 'press', 'mill', 'welder')),
    status       text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'idle', 'down', 'retired')),
    retired_at   timestamptz,
    CHECK (status <> 'retired' OR retired_at IS NOT NULL)
);

CREATE TABLE parts (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    part_number   part_code NOT NULL UNIQUE,
    name          text NOT NULL,
    grade         char(1) NOT NULL DEFAULT 'B' CHECK (grade IN ('A', 'B', 'C')),
    weight_kg     numeric(8,2) NOT NULL CHECK (weight_kg > 0),
    price_per_kg  numeric(8,2) CHECK (price_per_kg >= 0)
);

CREATE TYPE order_kind AS ENUM ('inspection', 'repair', 'overhaul');

CREATE TABLE work_orders (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    machine_id      bigint NOT NULL REFERENCES machines,
    part_id         bigint REFERENCES parts,
    kind            order_kind NOT NULL,
    priority        smallint NOT NULL DEFAULT 3 CHECK (priority BETWEEN 1 AND 5),
    status          text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_progress', 'done', 'cancelled')),
    follow_up_of_id bigint REFERENCES work_orders,
    opened_at       timestamptz NOT NULL DEFAULT now(),
    done_at         timestamptz,
    CHECK (status <> 'done' OR done_at IS NOT NULL)
);

CREATE TABLE inspections (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    machine_id  bigint NOT NULL REFERENCES machines,
    result      text NOT NULL CHECK (result IN ('pass', 'fail', 'rework')),
    inspected_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE categories (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name      text NOT NULL,
    parent_id bigint REFERENCES categories
);

CREATE TABLE threads (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title      text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE comments (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    thread_id         bigint NOT NULL REFERENCES threads,
    staff_id          bigint REFERENCES staff,
    parent_comment_id bigint REFERENCES comments,
    body              text NOT NULL,
    status            text NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'flagged', 'removed')),
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE customers (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invoices (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers,
    status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'issued', 'paid', 'void')),
    total       numeric(10,2) NOT NULL CHECK (total >= 0),
    due_on      date NOT NULL,
    issued_at   timestamptz,
    paid_at     timestamptz,
    CHECK (status <> 'paid' OR paid_at IS NOT NULL),
    CHECK (status = 'draft' OR issued_at IS NOT NULL)
);

CREATE TABLE trainings (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title      text NOT NULL,
    fee        numeric(8,2) NOT NULL DEFAULT 0 CHECK (fee >= 0),
    scheduled_for timestamptz,
    status     text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'held'))
);

CREATE TABLE machine_crews (
    machine_id bigint NOT NULL REFERENCES machines,
    staff_id   bigint NOT NULL REFERENCES staff,
    role       text NOT NULL DEFAULT 'operator' CHECK (role IN ('operator', 'inspector')),
    PRIMARY KEY (machine_id, staff_id)
);

CREATE TABLE equipment (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    site_id bigint NOT NULL REFERENCES sites,
    label   text NOT NULL,
    status  text NOT NULL DEFAULT 'in_service' CHECK (status IN ('in_service', 'under_repair', 'retired'))
);

CREATE TABLE open_days (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    couple_name text NOT NULL,
    venue_name  text,
    city        text NOT NULL,
    held_on     date NOT NULL
);

-- One active membership per customer; memberships start on a month's first day.
CREATE TABLE memberships (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers,
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'lapsed', 'cancelled')),
    starts_on   date NOT NULL CHECK (extract(day FROM starts_on) = 1)
);
CREATE UNIQUE INDEX one_active_membership_per_customer ON memberships (customer_id) WHERE status = 'active';
