-- Delivery of the outbox: each notification becomes one delivery per recipient (an SMS to each
-- mobile number of the application, an e-mail when it has an address), made by the delivery
-- worker from the application's contacts at that moment. A delivery is claimed with a lease,
-- sent with its idempotency key (`kezek-<id>`), and marked sent with the provider's id; a
-- temporary failure is retried later (exponential backoff with jitter), a permanent one or the
-- last attempt leaves it dead, for the department to see and re-queue.
ALTER TABLE outbox ADD COLUMN expanded_at INTEGER;
-- Nothing sent the notifications queued before this: they are history, not news.
UPDATE outbox SET expanded_at = created_at;
CREATE INDEX outbox_unexpanded ON outbox (id) WHERE expanded_at IS NULL;

CREATE TABLE deliveries (
    id             INTEGER PRIMARY KEY,
    outbox_id      INTEGER NOT NULL REFERENCES outbox (id),
    application_id INTEGER NOT NULL REFERENCES applications (id),
    channel        TEXT    NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient      TEXT    NOT NULL,
    subject        TEXT,
    body           TEXT    NOT NULL,
    state          TEXT    NOT NULL DEFAULT 'pending'
                   CHECK (state IN ('pending', 'sending', 'retry', 'sent', 'dead')),
    attempts       INTEGER NOT NULL DEFAULT 0,
    next_at        INTEGER NOT NULL,
    lease_until    INTEGER,
    worker         TEXT,
    provider       TEXT,
    provider_id    TEXT,
    error          TEXT,
    sent_at        INTEGER,
    UNIQUE (outbox_id, channel, recipient)
);
CREATE INDEX deliveries_due ON deliveries (next_at, id) WHERE state IN ('pending', 'sending', 'retry');
CREATE INDEX deliveries_of_application ON deliveries (application_id, id);
CREATE INDEX deliveries_dead ON deliveries (id) WHERE state = 'dead';

-- The weekly summary of the child's place, sent only to parents who ask for it.
ALTER TABLE applications ADD COLUMN weekly_summary INTEGER NOT NULL DEFAULT 0;
-- The day before a referral's deadline, its reminder is queued once.
ALTER TABLE referrals ADD COLUMN reminded_at INTEGER;
