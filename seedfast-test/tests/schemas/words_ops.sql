-- A field-service company (repairs at customers' homes), written for the
-- scope tests in the shape production apps take: states tied to their
-- times by CHECKs written several ways (names that share no stem, NOT IN,
-- equal truth), a lookup table of tiers, a min/max money pair, a free-text
-- category, people by first and last name or by full name, flags named
-- with prefixes, and an outcome for a visit nobody was home for.

CREATE TYPE job_status AS ENUM ('new', 'scheduled', 'in_progress', 'finished', 'abandoned');
CREATE TYPE complaint_status AS ENUM ('open', 'investigating', 'upheld', 'rejected');

CREATE TABLE service_tiers (
    id          smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    monthly_fee numeric(8,2) NOT NULL CHECK (monthly_fee >= 0)
);

CREATE TABLE depots (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code  text UNIQUE CHECK (code ~ '^[A-Z]{3}$'),
    city  text NOT NULL,
    phone text
);

-- Vans moved between depots: two references to one table.
CREATE TABLE van_transfers (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    from_depot_id bigint NOT NULL REFERENCES depots (id),
    to_depot_id   bigint NOT NULL REFERENCES depots (id),
    moved_at      timestamptz NOT NULL,
    CHECK (from_depot_id <> to_depot_id)
);

CREATE TABLE technicians (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    depot_id       bigint NOT NULL REFERENCES depots (id),
    first_name     text NOT NULL,
    last_name      text NOT NULL,
    email          text NOT NULL UNIQUE,
    hired_on       date NOT NULL,
    years_experience smallint NOT NULL DEFAULT 0 CHECK (years_experience >= 0),
    deactivated_at timestamptz
);

CREATE TABLE vans (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    depot_id      bigint NOT NULL REFERENCES depots (id),
    plate         text NOT NULL UNIQUE,
    model_year    smallint NOT NULL CHECK (model_year BETWEEN 1990 AND 2030),
    has_tow_hitch boolean NOT NULL DEFAULT false,
    is_electric_vehicle boolean NOT NULL DEFAULT false
);

CREATE TABLE bays (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    depot_id bigint NOT NULL REFERENCES depots (id),
    name     text NOT NULL,
    UNIQUE (depot_id, name)
);

CREATE TABLE technician_profiles (
    technician_id bigint PRIMARY KEY REFERENCES technicians (id),
    home_city     text,
    bio           text
);

CREATE TABLE customers (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name        text NOT NULL,
    email            text UNIQUE,
    wants_newsletter boolean NOT NULL DEFAULT false,
    country          char(2) NOT NULL DEFAULT 'GB',
    state            char(2),
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE contracts (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id       bigint NOT NULL REFERENCES customers (id),
    service_tier_id   smallint NOT NULL REFERENCES service_tiers (id),
    monthly_fee_cents integer NOT NULL CHECK (monthly_fee_cents > 0),
    setup_fee_cents   integer NOT NULL DEFAULT 0 CHECK (setup_fee_cents >= 0),
    auto_renews       boolean NOT NULL DEFAULT true,
    term_months       smallint NOT NULL DEFAULT 12 CHECK (term_months IN (1, 12, 24, 36)),
    starts_on         date NOT NULL
);

-- Which technicians each contract may send: a junction with a state.
CREATE TABLE contract_technicians (
    contract_id   bigint NOT NULL REFERENCES contracts (id),
    technician_id bigint NOT NULL REFERENCES technicians (id),
    status        text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'signed_up', 'declined')),
    PRIMARY KEY (contract_id, technician_id)
);

CREATE TABLE jobs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id       bigint NOT NULL REFERENCES customers (id),
    technician_id     bigint REFERENCES technicians (id),
    category          text NOT NULL,
    status            job_status NOT NULL DEFAULT 'new',
    quoted_min_cents  integer CHECK (quoted_min_cents >= 0),
    quoted_max_cents  integer,
    call_out_fee      numeric(8,2) NOT NULL DEFAULT 0,
    due_on            date,
    created_at        timestamptz NOT NULL DEFAULT now(),
    finished_at       timestamptz,
    CHECK (status <> 'finished' OR finished_at IS NOT NULL),
    CHECK (status IN ('finished', 'abandoned') OR finished_at IS NULL),
    CHECK (quoted_min_cents IS NULL OR quoted_max_cents IS NULL OR quoted_max_cents >= quoted_min_cents)
);

CREATE TABLE visits (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id     bigint NOT NULL REFERENCES jobs (id),
    outcome    text NOT NULL CHECK (outcome IN ('fixed', 'needs_parts', 'no_access', 'no_show')),
    arrived_at timestamptz NOT NULL,
    left_at    timestamptz,
    CHECK (left_at IS NULL OR left_at > arrived_at)
);

CREATE TABLE estimates (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id      bigint NOT NULL REFERENCES jobs (id),
    total_cents integer NOT NULL CHECK (total_cents > 0),
    status      text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'approved', 'declined')),
    sent_at     timestamptz,
    answered_at timestamptz,
    CHECK (status = 'draft' OR sent_at IS NOT NULL),
    CHECK (status NOT IN ('approved', 'declined') OR answered_at IS NOT NULL)
);

CREATE TABLE complaints (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    status      complaint_status NOT NULL DEFAULT 'open',
    opened_at   timestamptz NOT NULL,
    closed_at   timestamptz,
    CHECK ((status IN ('upheld', 'rejected')) = (closed_at IS NOT NULL))
);

CREATE TABLE parts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku              text NOT NULL UNIQUE,
    unit_price_cents integer NOT NULL CHECK (unit_price_cents > 0),
    is_in_stock      boolean NOT NULL DEFAULT true
);

CREATE TABLE reviews (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id  bigint NOT NULL UNIQUE REFERENCES jobs (id),
    rating  smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment text
);

CREATE TABLE payments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id       bigint NOT NULL REFERENCES jobs (id),
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    paid_at      timestamptz NOT NULL
);

CREATE TABLE refunds (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id   bigint NOT NULL REFERENCES payments (id),
    amount_cents integer NOT NULL CHECK (amount_cents > 0),
    refunded_at  timestamptz NOT NULL
);

CREATE TABLE notes (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id   bigint REFERENCES jobs (id),
    visit_id bigint REFERENCES visits (id),
    body     text NOT NULL,
    CHECK (num_nonnulls(job_id, visit_id) = 1)
);

CREATE TABLE warranties (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id     bigint NOT NULL REFERENCES jobs (id),
    expires_on date NOT NULL
);

CREATE TABLE suppliers (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name      text NOT NULL UNIQUE,
    size_band text NOT NULL CHECK (size_band IN ('1-10', '11-50', '51-250', '251+'))
);

-- A depot parks at most three vans: the key and the CHECK together bound
-- how many rows one parent can hold.
CREATE TABLE parking_slots (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    depot_id bigint NOT NULL REFERENCES depots (id),
    slot_no  smallint NOT NULL CHECK (slot_no BETWEEN 1 AND 3),
    covered  boolean NOT NULL DEFAULT false,
    UNIQUE (depot_id, slot_no)
);

CREATE TABLE tags (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE
);

CREATE TABLE job_tags (
    job_id bigint NOT NULL REFERENCES jobs (id),
    tag_id bigint NOT NULL REFERENCES tags (id),
    PRIMARY KEY (job_id, tag_id)
);
