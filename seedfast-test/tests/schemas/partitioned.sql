-- A rental shop's ledger, partitioned the ways production schemas do it:
-- payments by month (foreign keys declared on each partition only), stores
-- by region list, audit events by hash, and room bookings that may never
-- overlap per room.

CREATE EXTENSION btree_gist;

CREATE TABLE customer (
    customer_id serial PRIMARY KEY,
    first_name  text NOT NULL,
    last_name   text NOT NULL,
    email       text NOT NULL UNIQUE
);

CREATE TABLE rental (
    rental_id   serial PRIMARY KEY,
    customer_id int NOT NULL REFERENCES customer,
    rental_date timestamptz NOT NULL,
    return_date timestamptz
);

CREATE TABLE promotion (
    promotion_id serial PRIMARY KEY,
    code         text NOT NULL UNIQUE
);

CREATE TABLE payment (
    payment_id   serial,
    customer_id  int NOT NULL,
    rental_id    int NOT NULL,
    promotion_id int,
    amount       numeric(5,2) NOT NULL CHECK (amount >= 0),
    payment_date timestamptz NOT NULL,
    PRIMARY KEY (payment_date, payment_id)
) PARTITION BY RANGE (payment_date);

-- Monthly partitions for 2025, each with its own foreign keys, as the
-- public samples that predate foreign keys on partitioned tables have them.
DO $$
DECLARE
    m int;
    part text;
BEGIN
    FOR m IN 1..12 LOOP
        part := format('payment_p2025_%s', lpad(m::text, 2, '0'));
        EXECUTE format('CREATE TABLE %I PARTITION OF payment FOR VALUES FROM (%L) TO (%L)', part,
                       make_date(2025, m, 1), make_date(2025, m, 1) + interval '1 month');
        EXECUTE format('ALTER TABLE %I ADD FOREIGN KEY (customer_id) REFERENCES customer (customer_id)', part);
        EXECUTE format('ALTER TABLE %I ADD FOREIGN KEY (rental_id) REFERENCES rental (rental_id)', part);
    END LOOP;
    -- A campaign that only January's payments were checked against.
    ALTER TABLE payment_p2025_01 ADD FOREIGN KEY (promotion_id) REFERENCES promotion;
END
$$;

CREATE TABLE store (
    store_id   serial,
    region     text NOT NULL,
    city       text NOT NULL,
    opened_on  date NOT NULL,
    PRIMARY KEY (region, store_id)
) PARTITION BY LIST (region);
CREATE TABLE store_emea PARTITION OF store FOR VALUES IN ('emea', 'africa');
CREATE TABLE store_amer PARTITION OF store FOR VALUES IN ('north-america', 'latam');
CREATE TABLE store_apac PARTITION OF store FOR VALUES IN ('apac');

CREATE TABLE audit_event (
    event_id    bigserial,
    customer_id int NOT NULL REFERENCES customer,
    action      text NOT NULL,
    happened_at timestamptz NOT NULL,
    PRIMARY KEY (customer_id, event_id)
) PARTITION BY HASH (customer_id);
CREATE TABLE audit_event_0 PARTITION OF audit_event FOR VALUES WITH (MODULUS 3, REMAINDER 0);
CREATE TABLE audit_event_1 PARTITION OF audit_event FOR VALUES WITH (MODULUS 3, REMAINDER 1);
CREATE TABLE audit_event_2 PARTITION OF audit_event FOR VALUES WITH (MODULUS 3, REMAINDER 2);

CREATE TABLE screening_room (
    room_id  serial PRIMARY KEY,
    name     text NOT NULL,
    seats    int NOT NULL CHECK (seats > 0)
);

CREATE TABLE booking (
    booking_id  serial PRIMARY KEY,
    room_id     int NOT NULL REFERENCES screening_room,
    customer_id int NOT NULL REFERENCES customer,
    during      tstzrange NOT NULL,
    EXCLUDE USING gist (room_id WITH =, during WITH &&)
);
