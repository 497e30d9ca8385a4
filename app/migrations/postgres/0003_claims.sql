-- Whether an application is closed (enrolled or withdrawn), kept in a column of its own so
-- that the one-open-application-per-child index no longer names `status` (the same schema as
-- SQLite's 0003, where that index rewrite was a third of a claim's cost; here any change of
-- status already inserts new index entries, as the queue index names it too).
-- The CHECK makes the dangerous disagreement impossible: an open status is never marked
-- closed (which would let a second application of the child past the index).
ALTER TABLE applications ADD COLUMN closed SMALLINT NOT NULL DEFAULT 0
    CHECK (closed = 0 OR (closed = 1 AND status IN ('enrolled', 'withdrawn')));
UPDATE applications SET closed = 1 WHERE status IN ('enrolled', 'withdrawn');
DROP INDEX applications_one_open_per_child;
CREATE UNIQUE INDEX applications_one_open_per_child ON applications (child_iin) WHERE closed = 0;

-- Referral numbers in blocks of 100: a server takes a block with one nextval and hands its
-- numbers out in memory (claims.rs, `NumberBlock`), instead of a round trip per referral.
-- Numbers stay unique; a server that stops leaves a gap, as a rolled-back nextval always did.
ALTER SEQUENCE referral_numbers INCREMENT BY 100;
