-- The orders service. user_id and product_id point at other services'
-- databases: no foreign key can enforce them.
CREATE TYPE order_status AS ENUM ('pending', 'processing', 'shipped', 'completed', 'cancelled', 'refunded');

CREATE TABLE orders (
    id         bigserial PRIMARY KEY,
    user_id    bigint        NOT NULL,
    status     order_status  NOT NULL DEFAULT 'pending',
    total      numeric(12,2) NOT NULL DEFAULT 0 CHECK (total >= 0),
    currency   char(3)       NOT NULL DEFAULT 'USD',
    created_at timestamptz   NOT NULL,
    updated_at timestamptz   NOT NULL,
    CHECK (updated_at >= created_at)
);
CREATE INDEX orders_user_id_idx ON orders (user_id);

CREATE TABLE order_items (
    id         bigserial PRIMARY KEY,
    order_id   bigint        NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    product_id bigint        NOT NULL,
    quantity   integer       NOT NULL CHECK (quantity BETWEEN 1 AND 10),
    unit_price numeric(10,2) NOT NULL CHECK (unit_price > 0),
    UNIQUE (order_id, product_id)
);
