-- An event-sourced store: seed the log, let projections rebuild.
CREATE TABLE domain_events (
    id             bigserial PRIMARY KEY,
    aggregate_id   uuid        NOT NULL,
    aggregate_type text        NOT NULL DEFAULT 'order',
    version        integer     NOT NULL CHECK (version > 0),
    event_type     text        NOT NULL,
    payload        jsonb       NOT NULL,
    occurred_at    timestamptz NOT NULL,
    UNIQUE (aggregate_id, version)
);
