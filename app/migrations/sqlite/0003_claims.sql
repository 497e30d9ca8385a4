-- Whether an application is closed (enrolled or withdrawn), kept in a column of its own so
-- that the one-open-application-per-child index no longer names `status`: a claim moves an
-- application from `invited` to `referred` (both open) and then rewrites no index entry of
-- it. SQLite rewrites an index on every UPDATE that assigns a column its WHERE mentions, and
-- that rewrite, at a random page of the index per claim, was a third of a claim's cost.
-- The CHECK makes the dangerous disagreement impossible: an open status is never marked
-- closed (which would let a second application of the child past the index).
ALTER TABLE applications ADD COLUMN closed INTEGER NOT NULL DEFAULT 0
    CHECK (closed = 0 OR (closed = 1 AND status IN ('enrolled', 'withdrawn')));
UPDATE applications SET closed = 1 WHERE status IN ('enrolled', 'withdrawn');
DROP INDEX applications_one_open_per_child;
CREATE UNIQUE INDEX applications_one_open_per_child ON applications (child_iin) WHERE closed = 0;
