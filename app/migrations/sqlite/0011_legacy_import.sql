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

-- Files the department uploaded and checked on its page, kept until imported (what is
-- imported is exactly what was checked) or for a day. Their report is shown from here.
CREATE TABLE legacy_uploads (
    token   TEXT   PRIMARY KEY,
    at      INTEGER NOT NULL,
    by_whom TEXT   NOT NULL,
    -- JSON: [{"name": ..., "data": base64}]
    files   TEXT   NOT NULL,
    -- JSON: the check's report, or {"error": the reason in words} when a file could not be read.
    result  TEXT   NOT NULL
);
