-- The heads' tablets: each posting made from a tablet carries the tablet's key for that one
-- change, so the same change sent again (a retry after a lost answer) is recognised and changes
-- nothing, while another tablet's change on top of an old number is refused.
ALTER TABLE seat_postings ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX seat_postings_request_key ON seat_postings (kindergarten_id, cohort, request_key)
    WHERE request_key IS NOT NULL;
