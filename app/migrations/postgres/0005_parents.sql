-- The parent's journey: the document behind a privileged class (kept for the department's
-- checks, never shown publicly).
ALTER TABLE applications ADD COLUMN priority_doc TEXT NOT NULL DEFAULT '';
