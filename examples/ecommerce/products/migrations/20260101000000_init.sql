-- The products service: an independent root.
CREATE TABLE categories (
    id   serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    slug text NOT NULL UNIQUE
);

CREATE TYPE pricing_tier AS ENUM ('budget', 'standard', 'premium');

CREATE TABLE products (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku          varchar(32)   NOT NULL UNIQUE,
    name         text          NOT NULL,
    description  text,
    category_id  integer       NOT NULL REFERENCES categories (id),
    price        numeric(10,2) NOT NULL CHECK (price > 0),
    pricing_tier pricing_tier  NOT NULL DEFAULT 'standard',
    created_at   timestamptz   NOT NULL DEFAULT now()
);

CREATE TABLE inventory (
    product_id bigint PRIMARY KEY REFERENCES products (id) ON DELETE CASCADE,
    quantity   integer     NOT NULL CHECK (quantity >= 0),
    warehouse  text        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
