-- Sign-in: single-use challenges, the people who hold a role beyond parent, and sessions that
-- know whose they are and when they were last used.

-- A challenge NCALayer signs: only its SHA-256 is kept; using it deletes it.
CREATE TABLE challenges (
    hash        TEXT    PRIMARY KEY,
    expires_at  INTEGER NOT NULL
);
CREATE INDEX challenges_expiry ON challenges (expires_at);

-- Heads: an IIN assigned to one kindergarten.
CREATE TABLE heads (
    id              INTEGER PRIMARY KEY,
    iin             TEXT    NOT NULL UNIQUE CHECK (length(iin) = 12),
    kindergarten_id INTEGER NOT NULL REFERENCES kindergartens (id),
    assigned_at     INTEGER NOT NULL
);

-- The education department.
CREATE TABLE admins (
    id          INTEGER PRIMARY KEY,
    iin         TEXT    NOT NULL UNIQUE CHECK (length(iin) = 12),
    granted_at  INTEGER NOT NULL
);

-- Whose session it is (any role), and when it was last used (the idle timeout).
ALTER TABLE sessions ADD COLUMN iin TEXT;
ALTER TABLE sessions ADD COLUMN seen_at INTEGER;
CREATE INDEX sessions_iin ON sessions (iin);
