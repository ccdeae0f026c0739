-- The payments service: one payment per order, keyed by UUID.
CREATE TYPE payment_status AS ENUM ('pending', 'authorized', 'captured', 'completed', 'refunded', 'failed');

CREATE TABLE payments (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    order_id   bigint         NOT NULL UNIQUE,
    user_id    bigint,
    amount     numeric(12,2)  NOT NULL CHECK (amount >= 0),
    currency   char(3)        NOT NULL DEFAULT 'USD',
    status     payment_status NOT NULL,
    created_at timestamptz    NOT NULL
);

CREATE TABLE refunds (
    id         bigserial PRIMARY KEY,
    payment_id uuid          NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
    amount     numeric(12,2) NOT NULL CHECK (amount > 0),
    reason     text,
    created_at timestamptz   NOT NULL
);
