-- The city: kindergartens, their seats per birth-year cohort, and the waiting applications.
-- Times are Unix milliseconds (UTC); dates are ISO 8601 text, as on SQLite, so both stores
-- read and write the same values.

CREATE TABLE kindergartens (
    id          BIGINT  PRIMARY KEY,
    number      INTEGER NOT NULL UNIQUE,
    name_kk     TEXT    NOT NULL,
    name_ru     TEXT    NOT NULL,
    search_text TEXT    NOT NULL,
    district    TEXT    NOT NULL CHECK (district IN ('alatau','almaly','auezov','bostandyk','zhetysu','medeu','nauryzbay','turksib')),
    address_kk  TEXT    NOT NULL,
    address_ru  TEXT    NOT NULL,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    languages   INTEGER NOT NULL CHECK (languages BETWEEN 1 AND 7),
    kind        TEXT    NOT NULL CHECK (kind IN ('general','specialized','private')),
    in_queue    BOOLEAN NOT NULL,
    CHECK (NOT in_queue OR kind = 'general')
);
CREATE INDEX kindergartens_district ON kindergartens (district);

CREATE TABLE seats (
    kindergarten_id BIGINT  NOT NULL REFERENCES kindergartens (id),
    cohort          INTEGER NOT NULL,
    capacity        BIGINT  NOT NULL CHECK (capacity >= 0),
    free            BIGINT  NOT NULL CHECK (free >= 0),
    PRIMARY KEY (kindergarten_id, cohort),
    CHECK (free <= capacity)
);
CREATE INDEX seats_free ON seats (cohort, kindergarten_id) WHERE free > 0;

CREATE TABLE applications (
    id          BIGINT  PRIMARY KEY,
    public_no   TEXT    NOT NULL UNIQUE,
    child_iin   TEXT    NOT NULL CHECK (length(child_iin) = 12),
    child_name  TEXT    NOT NULL,
    birth_date  TEXT    NOT NULL,
    cohort      INTEGER NOT NULL,
    parent_iin  TEXT    NOT NULL CHECK (length(parent_iin) = 12),
    priority    SMALLINT NOT NULL CHECK (priority IN (0, 1, 2)),
    phone1      TEXT    NOT NULL,
    phone2      TEXT,
    email       TEXT,
    district    TEXT    NOT NULL,
    language    TEXT    NOT NULL CHECK (language IN ('kk','ru','mixed')),
    applied_at  BIGINT  NOT NULL,
    status      TEXT    NOT NULL DEFAULT 'waiting' CHECK (status IN ('waiting','invited','referred','enrolled','withdrawn'))
);
CREATE UNIQUE INDEX applications_one_open_per_child ON applications (child_iin)
    WHERE status IN ('waiting', 'invited', 'referred');
CREATE INDEX applications_queue ON applications (cohort, priority, applied_at, id)
    WHERE status = 'waiting';
