-- Three small schemas in the style of well-known public samples (a trading
-- company, a music store, a DVD-rental shop), written for seedfast-test's
-- realism tests: names glued without underscores, text keys, integer flags,
-- years, durations and prices whose magnitude the column name implies.

CREATE TABLE customers (
    customerid char(5) PRIMARY KEY,
    companyname varchar(40) NOT NULL,
    contactname varchar(30),
    contacttitle varchar(30),
    address varchar(60),
    city varchar(15),
    region varchar(15),
    postalcode varchar(10),
    country varchar(15),
    phone varchar(24),
    fax varchar(24)
);

CREATE TABLE employees (
    employeeid serial PRIMARY KEY,
    lastname varchar(20) NOT NULL,
    firstname varchar(10) NOT NULL,
    title varchar(30),
    birthdate date,
    hiredate date,
    homephone varchar(24),
    notes text
);

CREATE TABLE products (
    productid serial PRIMARY KEY,
    productname varchar(40) NOT NULL,
    unitprice numeric(10,2),
    unitsinstock smallint,
    reorderlevel smallint,
    discontinued int NOT NULL
);

CREATE TABLE orders (
    orderid serial PRIMARY KEY,
    customerid char(5) REFERENCES customers,
    employeeid int REFERENCES employees,
    orderdate date,
    requireddate date,
    shippeddate date,
    freight numeric(10,2),
    shipname varchar(40),
    shipaddress varchar(60),
    shipcity varchar(15)
);

CREATE TABLE order_details (
    orderid int NOT NULL REFERENCES orders,
    productid int NOT NULL REFERENCES products,
    unitprice numeric(10,2) NOT NULL,
    quantity smallint NOT NULL,
    discount real NOT NULL,
    PRIMARY KEY (orderid, productid)
);

CREATE TABLE artist (
    artist_id serial PRIMARY KEY,
    name varchar(120)
);

CREATE TABLE album (
    album_id serial PRIMARY KEY,
    title varchar(160) NOT NULL,
    artist_id int NOT NULL REFERENCES artist
);

CREATE TABLE track (
    track_id serial PRIMARY KEY,
    name varchar(200) NOT NULL,
    album_id int REFERENCES album,
    composer varchar(220),
    milliseconds int NOT NULL,
    bytes int,
    unit_price numeric(10,2) NOT NULL
);

CREATE TABLE film (
    film_id serial PRIMARY KEY,
    title text NOT NULL,
    description text,
    release_year int,
    rental_duration smallint NOT NULL DEFAULT 3,
    rental_rate numeric(4,2) NOT NULL DEFAULT 4.99,
    length smallint,
    replacement_cost numeric(5,2) NOT NULL DEFAULT 19.99,
    last_update timestamp NOT NULL DEFAULT now()
);

CREATE TABLE member (
    member_id serial PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    billing_address text,
    barcode text,
    active int NOT NULL DEFAULT 1,
    edits_pending int NOT NULL DEFAULT 0,
    member_since timestamptz NOT NULL,
    last_login timestamptz
);
