-- Risk module: methodology versions (ISO 27001 6.1.2) and the asset register.

CREATE TABLE risk_methodologies (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id),
  version           BIGINT NOT NULL,
  status            TEXT NOT NULL,
  criteria_json     TEXT NOT NULL,
  created_by_id     TEXT NOT NULL DEFAULT '',
  created_by_email  TEXT NOT NULL DEFAULT '',
  approved_by_id    TEXT,
  approved_by_email TEXT,
  approved_at       TEXT,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (org_id, version)
);

CREATE TABLE assets (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organizations(id),
  ref             TEXT NOT NULL,
  name            TEXT NOT NULL,
  type            TEXT NOT NULL,
  owner_id        TEXT NOT NULL REFERENCES users(id),
  location        TEXT NOT NULL DEFAULT '',
  classification  TEXT NOT NULL DEFAULT 'internal',
  confidentiality BIGINT,
  integrity       BIGINT,
  availability    BIGINT,
  description     TEXT NOT NULL DEFAULT '',
  version         BIGINT NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX assets_org_created ON assets(org_id, created_at, id);
CREATE INDEX assets_org_name ON assets(org_id, name, id);
CREATE INDEX assets_org_owner ON assets(org_id, owner_id);
