-- A DVD-rental-like shop: films linked to actors and categories only
-- through junction tables whose primary keys are their two foreign keys,
-- a nullable second language, and rentals that need inventory and customers.
CREATE TABLE language (
    language_id  serial PRIMARY KEY,
    name         char(20)  NOT NULL,
    last_update  timestamp NOT NULL DEFAULT now()
);

CREATE TABLE category (
    category_id  serial PRIMARY KEY,
    name         varchar(25) NOT NULL,
    last_update  timestamp   NOT NULL DEFAULT now()
);

CREATE TABLE actor (
    actor_id     serial PRIMARY KEY,
    first_name   varchar(45) NOT NULL,
    last_name    varchar(45) NOT NULL,
    last_update  timestamp   NOT NULL DEFAULT now()
);

CREATE TABLE film (
    film_id              serial PRIMARY KEY,
    title                varchar(255) NOT NULL,
    description          text,
    release_year         integer,
    language_id          integer      NOT NULL REFERENCES language (language_id),
    original_language_id integer      REFERENCES language (language_id),
    rental_duration      smallint     NOT NULL DEFAULT 3,
    rental_rate          numeric(4,2) NOT NULL DEFAULT 4.99,
    length               smallint,
    replacement_cost     numeric(5,2) NOT NULL DEFAULT 19.99,
    rating               text         CHECK (rating IN ('G', 'PG', 'PG-13', 'R', 'NC-17')),
    last_update          timestamp    NOT NULL DEFAULT now()
);

CREATE TABLE film_actor (
    actor_id     integer   NOT NULL REFERENCES actor (actor_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    film_id      integer   NOT NULL REFERENCES film (film_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    last_update  timestamp NOT NULL DEFAULT now(),
    PRIMARY KEY (actor_id, film_id)
);
CREATE INDEX idx_fk_film_id ON film_actor (film_id);

CREATE TABLE film_category (
    film_id      integer   NOT NULL REFERENCES film (film_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    category_id  integer   NOT NULL REFERENCES category (category_id) ON UPDATE CASCADE ON DELETE RESTRICT,
    last_update  timestamp NOT NULL DEFAULT now(),
    PRIMARY KEY (film_id, category_id)
);

CREATE TABLE country (
    country_id   serial PRIMARY KEY,
    country      varchar(50) NOT NULL,
    last_update  timestamp   NOT NULL DEFAULT now()
);

CREATE TABLE city (
    city_id      serial PRIMARY KEY,
    city         varchar(50) NOT NULL,
    country_id   integer     NOT NULL REFERENCES country (country_id),
    last_update  timestamp   NOT NULL DEFAULT now()
);

CREATE TABLE address (
    address_id   serial PRIMARY KEY,
    address      varchar(50) NOT NULL,
    address2     varchar(50),
    district     varchar(20) NOT NULL,
    city_id      integer     NOT NULL REFERENCES city (city_id),
    postal_code  varchar(10),
    phone        varchar(20) NOT NULL,
    last_update  timestamp   NOT NULL DEFAULT now()
);

CREATE TABLE customer (
    customer_id  serial PRIMARY KEY,
    first_name   varchar(45) NOT NULL,
    last_name    varchar(45) NOT NULL,
    email        varchar(50),
    address_id   integer     NOT NULL REFERENCES address (address_id),
    activebool   boolean     NOT NULL DEFAULT true,
    create_date  date        NOT NULL DEFAULT current_date,
    last_update  timestamp   DEFAULT now()
);

CREATE TABLE inventory (
    inventory_id serial PRIMARY KEY,
    film_id      integer   NOT NULL REFERENCES film (film_id),
    last_update  timestamp NOT NULL DEFAULT now()
);

CREATE TABLE rental (
    rental_id    serial PRIMARY KEY,
    rental_date  timestamp NOT NULL,
    inventory_id integer   NOT NULL REFERENCES inventory (inventory_id),
    customer_id  integer   NOT NULL REFERENCES customer (customer_id),
    return_date  timestamp,
    last_update  timestamp NOT NULL DEFAULT now(),
    CONSTRAINT rental_once_at_a_time UNIQUE (rental_date, inventory_id, customer_id)
);
