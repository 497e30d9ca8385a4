-- Merging the kindergartens' own waiting lists into the city queue (`kezek import legacy`,
-- the department's import page). Each run that wrote something, with who ran it and its report;
-- each file it read, by SHA-256, so a file given again is recognised and imports nothing twice.
-- The applications themselves are ordinary ones; their events name the file and the row.
CREATE TABLE legacy_imports (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    by_whom TEXT   NOT NULL,
    report  TEXT   NOT NULL
);

CREATE TABLE legacy_files (
    sha256    TEXT   PRIMARY KEY,
    name      TEXT   NOT NULL,
    import_id INTEGER NOT NULL REFERENCES legacy_imports (id)
);
