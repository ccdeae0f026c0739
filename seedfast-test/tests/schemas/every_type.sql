-- A film-rental shop's catalogue, written to use one column of every
-- built-in type the generator knows, all NOT NULL so none can be skipped.

CREATE DOMAIN rating_code AS varchar(5) CHECK (VALUE IN ('G', 'PG', 'PG-13', 'R', 'NC-17'));
CREATE DOMAIN store_network AS cidr;
CREATE DOMAIN opening_hours AS tsrange;
CREATE DOMAIN flags8 AS bit(8);
CREATE TYPE film_format AS ENUM ('dvd', 'bluray', 'stream');

CREATE TABLE film (
    film_id        serial PRIMARY KEY,
    title          varchar(255) NOT NULL,
    description    text NOT NULL,
    rating         rating_code NOT NULL,
    fulltext       tsvector NOT NULL,
    search_hint    tsquery NOT NULL,
    poster         bytea NOT NULL,
    rental_period  interval NOT NULL,
    replacement    money NOT NULL,
    show_time      time NOT NULL,
    show_time_tz   timetz NOT NULL,
    region_mask    bit(12) NOT NULL,
    tags_mask      varbit(6) NOT NULL,
    flags          flags8 NOT NULL,
    any_bits       varbit NOT NULL,
    grade          "char" NOT NULL,
    code_name      name NOT NULL,
    weight         real NOT NULL,
    score          double precision NOT NULL,
    metadata       jsonb NOT NULL,
    raw_metadata   json NOT NULL,
    tags           jsonb NOT NULL,
    studio_address json NOT NULL,
    actor_ids      jsonb NOT NULL,
    formats        film_format[] NOT NULL,
    released_on    date[] NOT NULL,
    ids            uuid[] NOT NULL,
    prices         numeric(6,2)[] NOT NULL,
    archive_uuid   uuid NOT NULL,
    credits_xml    xml NOT NULL,
    filing_oid     oid NOT NULL,
    wal_position   pg_lsn NOT NULL,
    snapshot       txid_snapshot NOT NULL
);

-- Search text kept by the application's trigger: it overwrites whatever
-- is written, and seeding must work with it active.
CREATE TABLE film_text (
    film_id     int PRIMARY KEY REFERENCES film,
    title       text NOT NULL,
    description text NOT NULL,
    fulltext    tsvector NOT NULL
);
CREATE INDEX film_text_fulltext ON film_text USING gist (fulltext);
CREATE TRIGGER film_text_fulltext BEFORE INSERT OR UPDATE ON film_text
    FOR EACH ROW EXECUTE FUNCTION tsvector_update_trigger(fulltext, 'pg_catalog.english', title, description);

CREATE TABLE store (
    store_id       serial PRIMARY KEY,
    manager_ip     inet NOT NULL UNIQUE,
    network        store_network NOT NULL,
    terminal_mac   macaddr NOT NULL,
    beacon_mac     macaddr8 NOT NULL,
    location       point NOT NULL,
    parking_edge   line NOT NULL,
    entrance       lseg NOT NULL,
    footprint      box NOT NULL,
    delivery_route path NOT NULL,
    area           polygon NOT NULL,
    coverage       circle NOT NULL,
    hours          opening_hours NOT NULL,
    hours_tz       tstzrange NOT NULL,
    lease          daterange NOT NULL,
    aisles         int4range NOT NULL,
    stock_ids      int8range NOT NULL,
    price_band     numrange NOT NULL,
    closed_days    datemultirange NOT NULL,
    ips            inet[] NOT NULL,
    corners        point[] NOT NULL,
    shelves        box[] NOT NULL,
    opening_dates  daterange[] NOT NULL,
    kiosks         macaddr[] NOT NULL,
    masks          flags8[] NOT NULL
);

-- Extension types exist only where contrib is installed.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'citext')
       AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'hstore') THEN
        CREATE EXTENSION citext;
        CREATE EXTENSION hstore;
        CREATE TABLE customer (
            customer_id serial PRIMARY KEY,
            first_name  text NOT NULL,
            last_name   text NOT NULL,
            email       citext NOT NULL UNIQUE,
            attributes  hstore NOT NULL,
            nicknames   citext[] NOT NULL,
            history     hstore[] NOT NULL
        );
    END IF;
END
$$;
