-- Internal audit (ISO 27001 9.2): audit programmes over a cycle (9.2.2 a), audits with their
-- scope and criteria, the auditors with any waiver of their independence (9.2.2 b), the
-- checklist generated from the scope, the findings (a nonconformity finding raises a
-- nonconformity, 10.2) and the report to management (9.2.2 d). Lists of refs and ids are
-- JSON arrays in text; dates YYYY-MM-DD; timestamps RFC 3339.

CREATE TABLE audit_programmes (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organizations(id),
  ref          TEXT NOT NULL,
  name         TEXT NOT NULL,
  cycle_start  TEXT NOT NULL,
  cycle_end    TEXT NOT NULL,
  objectives   TEXT NOT NULL DEFAULT '',
  owner_id     TEXT REFERENCES users(id),
  version      BIGINT NOT NULL DEFAULT 1,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL,
  UNIQUE (org_id, ref)
);

CREATE TABLE audits (
  id                  TEXT PRIMARY KEY,
  org_id              TEXT NOT NULL REFERENCES organizations(id),
  ref                 TEXT NOT NULL,
  title               TEXT NOT NULL,
  clause_refs         TEXT NOT NULL DEFAULT '[]',
  control_ids         TEXT NOT NULL DEFAULT '[]',
  document_ids        TEXT NOT NULL DEFAULT '[]',
  departments         TEXT NOT NULL DEFAULT '[]',
  criteria            TEXT NOT NULL DEFAULT '',
  planned_start       TEXT,
  planned_end         TEXT,
  status              TEXT NOT NULL,
  programme_id        TEXT REFERENCES audit_programmes(id),
  report_summary      TEXT NOT NULL DEFAULT '',
  report_conclusion   TEXT NOT NULL DEFAULT '',
  report_distribution TEXT NOT NULL DEFAULT '[]',
  started_on          TEXT,
  reported_on         TEXT,
  reported_by         TEXT REFERENCES users(id),
  closed_on           TEXT,
  created_by          TEXT NOT NULL REFERENCES users(id),
  version             BIGINT NOT NULL DEFAULT 1,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX audits_org_status ON audits(org_id, status, id);
CREATE INDEX audits_org_programme ON audits(org_id, programme_id, id);

CREATE TABLE audit_auditors (
  id                   TEXT PRIMARY KEY,
  org_id               TEXT NOT NULL REFERENCES organizations(id),
  audit_id             TEXT NOT NULL REFERENCES audits(id),
  user_id              TEXT NOT NULL REFERENCES users(id),
  role                 TEXT NOT NULL,
  waiver_justification TEXT,
  waiver_by            TEXT REFERENCES users(id),
  waiver_at            TEXT,
  waived_conflicts     TEXT NOT NULL DEFAULT '[]',
  added_by             TEXT NOT NULL REFERENCES users(id),
  added_at             TEXT NOT NULL,
  version              BIGINT NOT NULL DEFAULT 1,
  UNIQUE (audit_id, user_id)
);

CREATE TABLE audit_checklist_items (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organizations(id),
  audit_id        TEXT NOT NULL REFERENCES audits(id),
  position        BIGINT NOT NULL,
  requirement_ref TEXT NOT NULL,
  kind            TEXT NOT NULL,
  control_id      TEXT,
  title           TEXT NOT NULL,
  question        TEXT NOT NULL,
  result          TEXT,
  notes           TEXT NOT NULL DEFAULT '',
  evidence_links  TEXT NOT NULL DEFAULT '[]',
  version         BIGINT NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (audit_id, requirement_ref)
);

-- Immutable once written.
CREATE TABLE audit_findings (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id),
  audit_id          TEXT NOT NULL REFERENCES audits(id),
  number            BIGINT NOT NULL,
  ref               TEXT NOT NULL,
  type              TEXT NOT NULL,
  requirement_ref   TEXT NOT NULL DEFAULT '',
  statement         TEXT NOT NULL,
  evidence          TEXT NOT NULL DEFAULT '',
  nonconformity_id  TEXT REFERENCES nonconformities(id),
  nonconformity_ref TEXT,
  created_by        TEXT NOT NULL REFERENCES users(id),
  created_at        TEXT NOT NULL,
  UNIQUE (audit_id, number),
  UNIQUE (org_id, ref)
);
