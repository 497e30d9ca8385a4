-- The city: kindergartens, their seats per birth-year cohort, and the waiting applications.
-- Times are Unix milliseconds (UTC); dates are ISO 8601 text.

CREATE TABLE kindergartens (
    id          INTEGER PRIMARY KEY,
    number      INTEGER NOT NULL UNIQUE,
    name_kk     TEXT    NOT NULL,
    name_ru     TEXT    NOT NULL,
    search_text TEXT    NOT NULL,
    district    TEXT    NOT NULL CHECK (district IN ('alatau','almaly','auezov','bostandyk','zhetysu','medeu','nauryzbay','turksib')),
    address_kk  TEXT    NOT NULL,
    address_ru  TEXT    NOT NULL,
    lat         REAL    NOT NULL,
    lon         REAL    NOT NULL,
    languages   INTEGER NOT NULL CHECK (languages BETWEEN 1 AND 7),
    kind        TEXT    NOT NULL CHECK (kind IN ('general','specialized','private')),
    in_queue    BOOLEAN NOT NULL CHECK (in_queue IN (0, 1)),
    CHECK (in_queue = 0 OR kind = 'general')
);
CREATE INDEX kindergartens_district ON kindergartens (district);

-- Capacity and claimable free seats of one age group (a birth-year cohort) of a kindergarten.
CREATE TABLE seats (
    kindergarten_id INTEGER NOT NULL REFERENCES kindergartens (id),
    cohort          INTEGER NOT NULL,
    capacity        INTEGER NOT NULL CHECK (capacity >= 0),
    free            INTEGER NOT NULL CHECK (free >= 0),
    PRIMARY KEY (kindergarten_id, cohort),
    CHECK (free <= capacity)
);
CREATE INDEX seats_free ON seats (cohort, kindergarten_id) WHERE free > 0;

CREATE TABLE applications (
    id          INTEGER PRIMARY KEY,
    public_no   TEXT    NOT NULL UNIQUE,
    child_iin   TEXT    NOT NULL CHECK (length(child_iin) = 12),
    child_name  TEXT    NOT NULL,
    birth_date  TEXT    NOT NULL,
    cohort      INTEGER NOT NULL,
    parent_iin  TEXT    NOT NULL CHECK (length(parent_iin) = 12),
    -- 0 extraordinary, 1 primary, 2 general: the queue order of the classes.
    priority    INTEGER NOT NULL CHECK (priority IN (0, 1, 2)),
    phone1      TEXT    NOT NULL,
    phone2      TEXT,
    email       TEXT,
    district    TEXT    NOT NULL,
    language    TEXT    NOT NULL CHECK (language IN ('kk','ru','mixed')),
    applied_at  INTEGER NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','invited','referred','enrolled','withdrawn'))
);
-- One open application per child: the database itself refuses a second.
CREATE UNIQUE INDEX applications_one_open_per_child ON applications (child_iin)
    WHERE status IN ('waiting', 'invited', 'referred');
-- Queue order inside a cohort.
CREATE INDEX applications_queue ON applications (cohort, priority, applied_at, id)
    WHERE status = 'waiting';
