-- Signed checkpoints of the event log: the chain head (sequence number and hash) at a time,
-- signed with the published checkpoint key. Anyone who kept one can later prove that the log
-- up to it was not rewritten.
CREATE TABLE checkpoints (
    seq       BIGINT  PRIMARY KEY,
    hash      TEXT    NOT NULL,
    at        BIGINT  NOT NULL,
    kid       TEXT    NOT NULL,
    signature TEXT    NOT NULL
);
