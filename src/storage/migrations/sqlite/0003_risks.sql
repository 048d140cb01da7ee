-- Risk register (ISO 27001 6.1.2), acceptance of residual risk and the risk treatment
-- plan (6.1.3, 8.3). Scores and levels are computed by the service from the methodology in
-- force when the risk is rated, and stored so that the register can be filtered and sorted.

CREATE TABLE risks (
  id                   TEXT PRIMARY KEY,
  org_id               TEXT NOT NULL REFERENCES organizations(id),
  ref                  TEXT NOT NULL,
  title                TEXT NOT NULL,
  description          TEXT NOT NULL DEFAULT '',
  threat               TEXT NOT NULL DEFAULT '',
  vulnerability        TEXT NOT NULL DEFAULT '',
  owner_id             TEXT NOT NULL REFERENCES users(id),
  likelihood           INTEGER NOT NULL,
  impact               INTEGER NOT NULL,
  inherent_score       INTEGER NOT NULL,
  inherent_level       TEXT NOT NULL,
  treatment            TEXT NOT NULL DEFAULT 'undecided',
  treatment_rationale  TEXT NOT NULL DEFAULT '',
  transfer_to          TEXT NOT NULL DEFAULT '',
  residual_likelihood  INTEGER,
  residual_impact      INTEGER,
  residual_score       INTEGER,
  residual_level       TEXT,
  status               TEXT NOT NULL DEFAULT 'open',
  last_assessed_on     TEXT,
  next_review_on       TEXT,
  accepted_by_id       TEXT,
  accepted_by_email    TEXT,
  accepted_at          TEXT,
  acceptance_rationale TEXT,
  acceptance_expires_on TEXT,
  version              INTEGER NOT NULL DEFAULT 1,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX risks_org_score ON risks(org_id, inherent_score, id);
CREATE INDEX risks_org_created ON risks(org_id, created_at, id);
CREATE INDEX risks_org_owner ON risks(org_id, owner_id);

CREATE TABLE risk_assets (
  risk_id  TEXT NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
  asset_id TEXT NOT NULL REFERENCES assets(id),
  PRIMARY KEY (risk_id, asset_id)
);
CREATE INDEX risk_assets_asset ON risk_assets(asset_id);

CREATE TABLE risk_treatments (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id),
  ref         TEXT NOT NULL,
  risk_id     TEXT NOT NULL REFERENCES risks(id),
  title       TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  owner_id    TEXT REFERENCES users(id),
  due_on      TEXT,
  status      TEXT NOT NULL DEFAULT 'planned',
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX risk_treatments_org_created ON risk_treatments(org_id, created_at, id);
CREATE INDEX risk_treatments_risk ON risk_treatments(risk_id, status);
