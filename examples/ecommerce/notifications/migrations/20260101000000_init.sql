-- The notifications service references users, orders and products (by SKU).
CREATE TABLE templates (
    id      serial PRIMARY KEY,
    code    text NOT NULL UNIQUE,
    subject text NOT NULL,
    body    text NOT NULL
);

CREATE TABLE notifications (
    id          bigserial PRIMARY KEY,
    user_id     bigint      NOT NULL,
    order_id    bigint,
    product_sku varchar(32),
    template_id integer REFERENCES templates (id),
    type        text        NOT NULL CHECK (type IN ('order_confirmation', 'shipping_update', 'delivery_confirmation', 'payment_receipt', 'marketing')),
    message     text        NOT NULL,
    sent_at     timestamptz NOT NULL,
    read_at     timestamptz,
    CHECK (read_at IS NULL OR read_at >= sent_at)
);

-- Receipts point at the payment they confirm (payments are keyed by UUID).
ALTER TABLE notifications ADD COLUMN payment_id uuid;
