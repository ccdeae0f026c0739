-- A trading-company-like schema: customers keyed by five-letter text codes,
-- orders whose customer, employee and shipper references are all nullable,
-- and order details keyed by (order_id, product_id).
CREATE TABLE categories (
    category_id   smallint    PRIMARY KEY,
    category_name varchar(15) NOT NULL,
    description   text
);

CREATE TABLE suppliers (
    supplier_id   smallint    PRIMARY KEY,
    company_name  varchar(40) NOT NULL,
    contact_name  varchar(30),
    city          varchar(15),
    country       varchar(15),
    phone         varchar(24)
);

CREATE TABLE products (
    product_id        smallint    PRIMARY KEY,
    product_name      varchar(40) NOT NULL,
    supplier_id       smallint    REFERENCES suppliers (supplier_id),
    category_id       smallint    REFERENCES categories (category_id),
    quantity_per_unit varchar(20),
    unit_price        real,
    units_in_stock    smallint,
    discontinued      integer     NOT NULL
);

CREATE TABLE customers (
    customer_id   char(5)     PRIMARY KEY,
    company_name  varchar(40) NOT NULL,
    contact_name  varchar(30),
    contact_title varchar(30),
    city          varchar(15),
    country       varchar(15),
    phone         varchar(24)
);

CREATE TABLE employees (
    employee_id smallint    PRIMARY KEY,
    last_name   varchar(20) NOT NULL,
    first_name  varchar(10) NOT NULL,
    title       varchar(30),
    birth_date  date,
    hire_date   date,
    reports_to  smallint    REFERENCES employees (employee_id)
);

CREATE TABLE shippers (
    shipper_id   smallint    PRIMARY KEY,
    company_name varchar(40) NOT NULL,
    phone        varchar(24)
);

CREATE TABLE orders (
    order_id      smallint    PRIMARY KEY,
    customer_id   char(5)     REFERENCES customers (customer_id),
    employee_id   smallint    REFERENCES employees (employee_id),
    order_date    date,
    required_date date,
    shipped_date  date,
    ship_via      smallint    REFERENCES shippers (shipper_id),
    freight       real,
    ship_name     varchar(40),
    ship_city     varchar(15),
    ship_country  varchar(15)
);

CREATE TABLE order_details (
    order_id   smallint NOT NULL REFERENCES orders (order_id),
    product_id smallint NOT NULL REFERENCES products (product_id),
    unit_price real     NOT NULL,
    quantity   smallint NOT NULL,
    discount   real     NOT NULL,
    PRIMARY KEY (order_id, product_id)
);
