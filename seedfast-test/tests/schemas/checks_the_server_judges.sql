-- A production-shaped schema whose constraints the generator cannot all read:
-- user-defined functions in CHECKs, regex and LIKE patterns in domains and
-- tables, case folding, "exactly one of", `<>` between columns, partial and
-- expression unique indexes, arithmetic the decoder leaves to the server.
-- Written for seedfast-test in the style of ERP and bike-share sample apps.

CREATE FUNCTION controlled_for_whitespace(v text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT v = btrim(v) AND v !~ '\s{2,}' $$;

CREATE DOMAIN isbn13 AS text CHECK (VALUE ~ '^[0-9]{13}$');
CREATE DOMAIN us_postal_code AS varchar(10) CHECK (VALUE ~ '^\d{5}(-\d{4})?$');
CREATE DOMAIN slug AS text CHECK (VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$') CHECK (char_length(VALUE) <= 60);
CREATE DOMAIN name_text AS varchar(50) CHECK (controlled_for_whitespace(VALUE));

CREATE TABLE business_entity (
    business_entity_id serial PRIMARY KEY,
    modified_date timestamp NOT NULL DEFAULT now()
);

CREATE TABLE person (
    business_entity_id int PRIMARY KEY REFERENCES business_entity,
    person_type char(2),
    first_name name_text NOT NULL,
    last_name name_text NOT NULL,
    email_promotion int NOT NULL DEFAULT 0,
    CONSTRAINT ck_person_type CHECK ((person_type IS NULL) OR (upper(person_type::text) = ANY (ARRAY['SC','VC','IN','EM','SP','GC']))),
    CONSTRAINT ck_email_promotion CHECK (email_promotion >= 0 AND email_promotion <= 2)
);

CREATE TABLE department (
    department_id smallserial PRIMARY KEY,
    name text NOT NULL UNIQUE CHECK (length(btrim(name)) > 0),
    group_name text NOT NULL CHECK (controlled_for_whitespace(group_name))
);

CREATE TABLE employee (
    employee_id serial PRIMARY KEY,
    department_id smallint NOT NULL REFERENCES department,
    email text NOT NULL CHECK (email ~* '^[^@\s]+@[^@\s]+\.[a-z]{2,}$'),
    login text NOT NULL CHECK (lower(login) = login),
    hired_on date NOT NULL,
    left_on date,
    salary numeric(9,2) NOT NULL,
    bonus numeric(9,2) NOT NULL DEFAULT 0,
    CONSTRAINT ck_left_after_hired CHECK (left_on IS NULL OR left_on > hired_on),
    -- Arithmetic the decoder does not model: the server judges it.
    CONSTRAINT ck_bonus_share CHECK (bonus * 4 <= salary)
);
CREATE UNIQUE INDEX employee_current_email ON employee (lower(email)) WHERE left_on IS NULL;

CREATE TABLE product (
    product_id serial PRIMARY KEY,
    product_number text NOT NULL UNIQUE CHECK (product_number LIKE 'PN-%'),
    name text NOT NULL CHECK (controlled_for_whitespace(name)),
    isbn isbn13 UNIQUE,
    slug slug NOT NULL UNIQUE,
    list_price numeric(10,2) NOT NULL CHECK (list_price >= 0),
    standard_cost numeric(10,2) NOT NULL CHECK (standard_cost >= 0),
    sell_start date NOT NULL,
    sell_end date,
    color text CHECK (color SIMILAR TO '(Red|Blue|Black|Silver)%'),
    CONSTRAINT ck_sell_end CHECK (sell_end >= sell_start OR sell_end IS NULL)
);

CREATE TABLE bill_of_materials (
    bill_of_materials_id serial PRIMARY KEY,
    product_assembly_id int NOT NULL REFERENCES product,
    component_id int NOT NULL REFERENCES product,
    per_assembly_qty numeric(8,2) NOT NULL DEFAULT 1 CHECK (per_assembly_qty > 0),
    CONSTRAINT ck_not_its_own_component CHECK (product_assembly_id <> component_id)
);

CREATE TABLE address (
    address_id serial PRIMARY KEY,
    address_line1 text NOT NULL CHECK (controlled_for_whitespace(address_line1)),
    city text NOT NULL,
    postal_code us_postal_code NOT NULL
);

CREATE TABLE rider (
    rider_id serial PRIMARY KEY,
    username text NOT NULL UNIQUE CHECK (username ~ '^[a-z][a-z0-9_]{2,15}$'),
    home_address_id int REFERENCES address
);

-- A rider's contact is an email or a phone, never both, never neither.
CREATE TABLE rider_contact (
    rider_contact_id serial PRIMARY KEY,
    rider_id int NOT NULL REFERENCES rider,
    email text,
    phone text,
    CONSTRAINT ck_one_channel CHECK ((email IS NULL) <> (phone IS NULL))
);

CREATE TABLE payment_method (
    payment_method_id serial PRIMARY KEY,
    rider_id int NOT NULL REFERENCES rider,
    card_last4 char(4) NOT NULL CHECK (card_last4 ~ '^[0-9]{4}$'),
    is_default boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX payment_method_one_default ON payment_method (rider_id) WHERE is_default;

CREATE TABLE promotion (
    promotion_id serial PRIMARY KEY,
    code text NOT NULL UNIQUE CHECK (char_length(code) = 8 AND code ~ '^[A-Z0-9]+$'),
    percent_off int,
    amount_off numeric(6,2),
    starts_on date NOT NULL,
    ends_on date,
    CONSTRAINT ck_one_kind CHECK (num_nonnulls(percent_off, amount_off) = 1),
    CONSTRAINT ck_percent CHECK (percent_off BETWEEN 1 AND 90),
    CONSTRAINT ck_window CHECK (ends_on >= starts_on OR ends_on IS NULL)
);

-- Triggers are the application's logic and stay active while seeding.
CREATE FUNCTION touch_modified_date() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.modified_date := TIMESTAMP '2025-06-01 12:00:00';
    RETURN NEW;
END $$;
CREATE TRIGGER business_entity_touch BEFORE INSERT OR UPDATE ON business_entity
    FOR EACH ROW EXECUTE FUNCTION touch_modified_date();
