-- Sign-in with eGov mobile: the page shows a QR code (or, on a phone, a link that opens the
-- app) holding the address of one of these rows; the app fetches the description there, then
-- the document (the sign-in challenge) with the token it was given, and sends it back signed.
-- The browser that asked waits on its own token (a cookie) and is signed in when the signature
-- has been checked. Every step is taken once; a row dies with its challenge.
CREATE TABLE mobile_sign_ins (
    -- The random part of the QR code's address (nothing personal).
    address     TEXT    PRIMARY KEY,
    -- SHA-256 of the browser's waiting token and of the app's token for the document.
    wait_hash   TEXT    NOT NULL UNIQUE,
    token_hash  TEXT,
    -- The challenge in the document (also in `challenges`, hashed, used up by the signature).
    challenge   TEXT    NOT NULL,
    role        TEXT    NOT NULL,
    next        TEXT    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN
                    ('new', 'opened', 'fetched', 'signed', 'done', 'failed', 'cancelled')),
    -- Why a signature was refused (a sign-in error's code).
    reason      TEXT,
    -- Whose signature it was, from the check until the browser collects its session.
    iin         TEXT,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL
);
CREATE INDEX mobile_sign_ins_expiry ON mobile_sign_ins (expires_at);
