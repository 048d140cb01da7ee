-- The Statement of Applicability (ISO 27001 6.1.3 d): one row per control of the
-- organization (the 93 Annex A controls, seeded on first access, and its own custom ones),
-- the links from risks to the controls that treat them, and the approved versions of the
-- SoA, each an immutable snapshot of every row with the SHA-256 of its canonical JSON.

CREATE TABLE controls (
  id                    TEXT PRIMARY KEY,
  org_id                TEXT NOT NULL REFERENCES organizations(id),
  ref_id                TEXT NOT NULL,
  title                 TEXT NOT NULL,
  framework_id          TEXT,
  theme                 TEXT NOT NULL DEFAULT '',
  custom                INTEGER NOT NULL DEFAULT 0,
  applicable            INTEGER,
  justification         TEXT NOT NULL DEFAULT '',
  inclusion_reasons     TEXT NOT NULL DEFAULT '[]',
  implementation_status TEXT NOT NULL DEFAULT 'not_started',
  owner_id              TEXT REFERENCES users(id),
  implementation        TEXT NOT NULL DEFAULT '',
  last_reviewed_on      TEXT,
  sort_key              TEXT NOT NULL,
  version               BIGINT NOT NULL DEFAULT 1,
  created_at            TEXT NOT NULL,
  updated_at            TEXT NOT NULL,
  UNIQUE (org_id, ref_id)
);
CREATE INDEX controls_org_sort ON controls(org_id, sort_key, id);
CREATE INDEX controls_org_owner ON controls(org_id, owner_id);

CREATE TABLE risk_controls (
  risk_id    TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
  control_id TEXT NOT NULL REFERENCES controls(id),
  PRIMARY KEY (risk_id, control_id)
);
CREATE INDEX risk_controls_control ON risk_controls(control_id);

CREATE TABLE soa_versions (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id),
  number            BIGINT NOT NULL,
  notes             TEXT NOT NULL DEFAULT '',
  approved_by_id    TEXT NOT NULL,
  approved_by_email TEXT NOT NULL,
  approved_at       TEXT NOT NULL,
  row_count         BIGINT NOT NULL,
  sha256            TEXT NOT NULL,
  rows_json         TEXT NOT NULL,
  UNIQUE (org_id, number)
);
