-- The education department running the queue (issue 15, points 6, 8-10).

-- When the child's privilege was last confirmed (Unix ms): NULL means by its application (the
-- document given then), 0 never (a privilege merged from a kindergarten's former queue, to be
-- confirmed). The yearly re-check drops a privilege not confirmed since the last one.
ALTER TABLE applications ADD COLUMN privilege_confirmed_at INTEGER;

-- A day of the calendar is either a day off (a holiday, a transferred day off) or, with
-- `working`, a weekend day moved to be worked.
ALTER TABLE holidays ADD COLUMN working BOOLEAN NOT NULL DEFAULT 0 CHECK (working IN (0, 1));

-- The seats of each kindergarten's leaving pre-school group, moved in August to its youngest
-- group and freed on the first day after the pause.
CREATE TABLE group_moves (
    school_year     INTEGER NOT NULL,
    kindergarten_id INTEGER NOT NULL REFERENCES kindergartens (id),
    cohort          INTEGER NOT NULL,
    seats           INTEGER NOT NULL CHECK (seats >= 0),
    freed           BOOLEAN NOT NULL DEFAULT 0 CHECK (freed IN (0, 1)),
    PRIMARY KEY (school_year, kindergarten_id)
);
