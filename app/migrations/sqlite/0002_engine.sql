-- The allocation engine: invitations, referrals, the hash-chained event log, the outbox,
-- queue changes and position history, seat postings, the holiday calendar and the rules.
-- Times are Unix milliseconds (UTC).

-- Applications applied together (twins, siblings) share a group: the smallest id among them.
ALTER TABLE applications ADD COLUMN sibling_group INTEGER;
-- No invitation before this time (the stop-list after an unused referral or invitation).
ALTER TABLE applications ADD COLUMN stop_until INTEGER NOT NULL DEFAULT 0;
-- The position last recorded in position_history (NULL before the first record).
ALTER TABLE applications ADD COLUMN position INTEGER;
CREATE INDEX applications_group ON applications (sibling_group) WHERE sibling_group IS NOT NULL;
CREATE INDEX applications_parent ON applications (parent_iin);

-- The next number of each public series (application numbers per year, referral numbers).
CREATE TABLE public_numbers (
    prefix TEXT    PRIMARY KEY,
    last   INTEGER NOT NULL
);

-- The interleave cadence of each cohort: how many seat turns (privileged or general) were used.
CREATE TABLE cadence (
    cohort INTEGER PRIMARY KEY,
    turn   INTEGER NOT NULL
);

CREATE TABLE invitations (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    cohort         INTEGER NOT NULL,
    issued_at      INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    state          TEXT    NOT NULL DEFAULT 'open' CHECK (state IN ('open','used','lapsed','cancelled')),
    closed_at      INTEGER
);
CREATE UNIQUE INDEX invitations_one_open ON invitations (application_id) WHERE state = 'open';
CREATE INDEX invitations_open ON invitations (cohort, expires_at) WHERE state = 'open';

CREATE TABLE referrals (
    id               INTEGER PRIMARY KEY,
    code             TEXT    NOT NULL UNIQUE,
    application_id   INTEGER NOT NULL REFERENCES applications (id),
    child_iin        TEXT    NOT NULL,
    kindergarten_id  INTEGER NOT NULL,
    cohort           INTEGER NOT NULL,
    issued_at        INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    state            TEXT    NOT NULL DEFAULT 'active' CHECK (state IN ('active','enrolled','declined','expired')),
    closed_at        INTEGER,
    -- The head's order admitting a staff member's child: such referrals are flagged publicly.
    staff_order      TEXT,
    extension_reason TEXT,
    FOREIGN KEY (kindergarten_id, cohort) REFERENCES seats (kindergarten_id, cohort)
);
-- A child never holds two active referrals: the database itself refuses the second.
CREATE UNIQUE INDEX referrals_one_active_per_child ON referrals (child_iin) WHERE state = 'active';
CREATE INDEX referrals_active_expiry ON referrals (expires_at) WHERE state = 'active';
CREATE INDEX referrals_seat ON referrals (kindergarten_id, cohort, state);
CREATE INDEX referrals_application ON referrals (application_id);

-- Every seat posting, public (the protocol of vacant places).
CREATE TABLE seat_postings (
    id              INTEGER PRIMARY KEY,
    at              INTEGER NOT NULL,
    kindergarten_id INTEGER NOT NULL,
    cohort          INTEGER NOT NULL,
    free_before     INTEGER NOT NULL,
    free_after      INTEGER NOT NULL,
    FOREIGN KEY (kindergarten_id, cohort) REFERENCES seats (kindergarten_id, cohort)
);
CREATE INDEX seat_postings_seat ON seat_postings (kindergarten_id, cohort, id);

-- The public event log: append-only, each row hash-chained to the one before.
CREATE TABLE events (
    seq       INTEGER PRIMARY KEY,
    at        INTEGER NOT NULL,
    kind      TEXT    NOT NULL,
    body      TEXT    NOT NULL,
    prev_hash TEXT    NOT NULL,
    hash      TEXT    NOT NULL
);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
-- The end of the chain (one row), locked by every appender.
CREATE TABLE chain_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO chain_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Notifications to send (SMS to both numbers and e-mail), written in the same transaction as
-- what they announce; a sender delivers and marks them.
CREATE TABLE outbox (
    id             INTEGER PRIMARY KEY,
    created_at     INTEGER NOT NULL,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    template       TEXT    NOT NULL,
    params         TEXT    NOT NULL,
    sent_at        INTEGER
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- Every entry into or exit from the waiting list of a cohort, with the queue key of the child,
-- so that each position change can be explained.
CREATE TABLE queue_changes (
    id             INTEGER PRIMARY KEY,
    at             INTEGER NOT NULL,
    cohort         INTEGER NOT NULL,
    priority       INTEGER NOT NULL,
    applied_at     INTEGER NOT NULL,
    application_id INTEGER NOT NULL,
    change         TEXT    NOT NULL
);
CREATE INDEX queue_changes_cohort ON queue_changes (cohort, id);

CREATE TABLE position_history (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications (id),
    at             INTEGER NOT NULL,
    position       INTEGER NOT NULL,
    previous       INTEGER,
    reasons        TEXT    NOT NULL
);
CREATE INDEX position_history_application ON position_history (application_id, id);

-- Bookkeeping of background jobs (the last queue change already explained, for example).
CREATE TABLE job_marks (
    name  TEXT    PRIMARY KEY,
    value INTEGER NOT NULL
);

-- Non-working days besides weekends (Kazakhstan's public holidays and their transfers).
CREATE TABLE holidays (
    day  TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

-- The rules' parameters (JSON), set by the education department.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Signed-in people. Only a SHA-256 of the token is kept, so a copy of the database opens no
-- session. (The EDS sign-in that creates parents' sessions comes with the sign-in pages.)
CREATE TABLE sessions (
    token_hash      TEXT    PRIMARY KEY,
    role            TEXT    NOT NULL CHECK (role IN ('parent','head','admin')),
    parent_iin      TEXT,
    kindergarten_id INTEGER,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    CHECK ((role = 'parent') = (parent_iin IS NOT NULL)),
    CHECK ((role = 'head') = (kindergarten_id IS NOT NULL))
);
