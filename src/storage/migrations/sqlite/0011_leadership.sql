-- Leadership and context, part two: interested parties and their requirements (ISO 27001
-- 4.2), roles with their responsibilities and authorities, the RACI matrix over the ISMS
-- processes (5.3), and the records of top management's commitments and resource decisions
-- (5.1). Booleans are integers 0/1; dates YYYY-MM-DD; budgets in minor units (cents).

CREATE TABLE interested_parties (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id),
  ref         TEXT NOT NULL,
  name        TEXT NOT NULL,
  category    TEXT NOT NULL,
  contact     TEXT NOT NULL DEFAULT '',
  reviewed_on TEXT,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX interested_parties_org_name ON interested_parties(org_id, name, id);
CREATE INDEX interested_parties_org_category ON interested_parties(org_id, category, id);

-- A requirement keeps its id across edits of its party; `position` is the order the
-- client gave. 4.2 c: which requirements the ISMS addresses, and how.
CREATE TABLE interested_party_requirements (
  id                TEXT PRIMARY KEY,
  party_id          TEXT NOT NULL REFERENCES interested_parties(id) ON DELETE CASCADE,
  position          INTEGER NOT NULL,
  text              TEXT NOT NULL,
  addressed_by_isms INTEGER NOT NULL,
  how               TEXT NOT NULL DEFAULT '',
  source            TEXT
);
CREATE INDEX interested_party_requirements_party
  ON interested_party_requirements(party_id, position);

CREATE TABLE isms_roles (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES organizations(id),
  ref              TEXT NOT NULL,
  name             TEXT NOT NULL,
  description      TEXT NOT NULL DEFAULT '',
  responsibilities TEXT NOT NULL DEFAULT '',
  authorities      TEXT NOT NULL DEFAULT '',
  top_management   INTEGER NOT NULL DEFAULT 0,
  isms_owner       INTEGER NOT NULL DEFAULT 0,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (org_id, ref),
  UNIQUE (org_id, name)
);
-- At most one ISMS owner per organization; the service names the other role first.
CREATE UNIQUE INDEX isms_roles_one_owner ON isms_roles(org_id) WHERE isms_owner = 1;

CREATE TABLE isms_role_assignees (
  role_id TEXT NOT NULL REFERENCES isms_roles(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id),
  PRIMARY KEY (role_id, user_id)
);
CREATE INDEX isms_role_assignees_user ON isms_role_assignees(user_id);

-- The RACI matrix of an organization: its version (for If-Match) and its cells. Processes
-- are a fixed list in the code (modules/leadership/model.hpp), stored by key.
CREATE TABLE raci_matrices (
  org_id           TEXT PRIMARY KEY REFERENCES organizations(id),
  version          INTEGER NOT NULL,
  updated_by_email TEXT NOT NULL DEFAULT '',
  updated_at       TEXT NOT NULL
);

CREATE TABLE raci_assignments (
  org_id         TEXT NOT NULL REFERENCES organizations(id),
  process        TEXT NOT NULL,
  role_id        TEXT NOT NULL REFERENCES isms_roles(id) ON DELETE CASCADE,
  responsibility TEXT NOT NULL,
  PRIMARY KEY (org_id, process, role_id)
);
CREATE INDEX raci_assignments_role ON raci_assignments(role_id);

CREATE TABLE leadership_records (
  id                   TEXT PRIMARY KEY,
  org_id               TEXT NOT NULL REFERENCES organizations(id),
  ref                  TEXT NOT NULL,
  kind                 TEXT NOT NULL,
  decided_on           TEXT NOT NULL,
  decision             TEXT NOT NULL,
  budget_minor         INTEGER,
  budget_currency      TEXT,
  decided_by           TEXT NOT NULL REFERENCES users(id),
  management_review_id TEXT,
  notes                TEXT NOT NULL DEFAULT '',
  version              INTEGER NOT NULL DEFAULT 1,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX leadership_records_org_date ON leadership_records(org_id, decided_on, id);
CREATE INDEX leadership_records_org_kind ON leadership_records(org_id, kind, decided_on, id);
