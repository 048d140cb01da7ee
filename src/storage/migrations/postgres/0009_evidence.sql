-- Evidence (ISO 27001 7.5, 8.1): a file, a link or a note that shows a control operates.
-- A file's bytes live in the content-addressed blob store (docs/adr/0007): the row holds its
-- SHA-256, size, name and the content type the server detected, never the bytes. Replacing
-- a file changes these columns; the previous blob stays, so every past state recorded in
-- the audit log can be reproduced. `evidence_controls` links evidence to SoA rows.

CREATE TABLE evidence (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id),
  ref               TEXT NOT NULL,
  kind              TEXT NOT NULL,
  title             TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  url               TEXT,
  note              TEXT,
  file_sha256       TEXT,
  file_size         BIGINT,
  file_name         TEXT,
  file_content_type TEXT,
  owner_id          TEXT REFERENCES users(id),
  collected_on      TEXT,
  valid_until       TEXT,
  archived          INTEGER NOT NULL DEFAULT 0,
  version           BIGINT NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX evidence_org_created ON evidence(org_id, archived, created_at, id);
CREATE INDEX evidence_org_valid_until ON evidence(org_id, archived, valid_until);
CREATE INDEX evidence_org_owner ON evidence(org_id, owner_id);

CREATE TABLE evidence_controls (
  evidence_id TEXT NOT NULL REFERENCES evidence(id) ON DELETE CASCADE,
  control_id  TEXT NOT NULL REFERENCES controls(id),
  PRIMARY KEY (evidence_id, control_id)
);
CREATE INDEX evidence_controls_control ON evidence_controls(control_id, evidence_id);
