-- Improvement (ISO 27001 10): nonconformities with their correction, root cause and the
-- check for similar ones (10.2 a, b), corrective actions (10.2 c), reviews of their
-- effectiveness (10.2 d), and opportunities for improvement (10.1). Booleans are integers
-- 0/1; dates YYYY-MM-DD; timestamps RFC 3339. `status` is derived by the service from the
-- rest and stored so that lists can filter on it.

CREATE TABLE nonconformities (
  id                  TEXT PRIMARY KEY,
  org_id              TEXT NOT NULL REFERENCES organizations(id),
  ref                 TEXT NOT NULL,
  title               TEXT NOT NULL,
  description         TEXT NOT NULL DEFAULT '',
  source              TEXT NOT NULL,
  source_ref          TEXT NOT NULL DEFAULT '',
  requirement_ref     TEXT NOT NULL DEFAULT '',
  severity            TEXT NOT NULL,
  reported_by         TEXT NOT NULL REFERENCES users(id),
  reported_on         TEXT NOT NULL,
  owner_id            TEXT NOT NULL REFERENCES users(id),
  correction          TEXT NOT NULL DEFAULT '',
  correction_on       TEXT,
  root_cause          TEXT NOT NULL DEFAULT '',
  root_cause_method   TEXT,
  similar_check       TEXT NOT NULL DEFAULT '',
  change_ids          TEXT NOT NULL DEFAULT '',
  status              TEXT NOT NULL,
  needs_new_action    INTEGER NOT NULL DEFAULT 0,
  reopen_count        INTEGER NOT NULL DEFAULT 0,
  effective_review_id TEXT,
  closed_by           TEXT REFERENCES users(id),
  closed_on           TEXT,
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX nonconformities_org_reported ON nonconformities(org_id, reported_on, id);
CREATE INDEX nonconformities_org_status ON nonconformities(org_id, status, id);

CREATE TABLE corrective_actions (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id),
  nonconformity_id  TEXT NOT NULL REFERENCES nonconformities(id),
  ref               TEXT NOT NULL,
  title             TEXT NOT NULL,
  owner_id          TEXT NOT NULL REFERENCES users(id),
  due_on            TEXT,
  status            TEXT NOT NULL,
  completion_note   TEXT NOT NULL DEFAULT '',
  done_on           TEXT,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX corrective_actions_nc ON corrective_actions(nonconformity_id, ref);
CREATE INDEX corrective_actions_org_owner ON corrective_actions(org_id, owner_id, due_on, id);
CREATE INDEX corrective_actions_org_due ON corrective_actions(org_id, due_on, id);

-- Immutable once written.
CREATE TABLE effectiveness_reviews (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES organizations(id),
  nonconformity_id TEXT NOT NULL REFERENCES nonconformities(id),
  effective        INTEGER NOT NULL,
  note             TEXT NOT NULL DEFAULT '',
  reviewed_by      TEXT NOT NULL REFERENCES users(id),
  reviewed_on      TEXT NOT NULL,
  created_at       TEXT NOT NULL
);
CREATE INDEX effectiveness_reviews_nc ON effectiveness_reviews(nonconformity_id, created_at);

CREATE TABLE improvements (
  id                 TEXT PRIMARY KEY,
  org_id             TEXT NOT NULL REFERENCES organizations(id),
  ref                TEXT NOT NULL,
  title              TEXT NOT NULL,
  description        TEXT NOT NULL DEFAULT '',
  source             TEXT NOT NULL,
  raised_by          TEXT NOT NULL REFERENCES users(id),
  raised_on          TEXT NOT NULL,
  decision           TEXT NOT NULL,
  decision_rationale TEXT NOT NULL DEFAULT '',
  decided_by         TEXT REFERENCES users(id),
  decided_on         TEXT,
  outcome            TEXT NOT NULL DEFAULT '',
  owner_id           TEXT REFERENCES users(id),
  due_on             TEXT,
  status             TEXT NOT NULL,
  nonconformity_id   TEXT REFERENCES nonconformities(id),
  version            INTEGER NOT NULL DEFAULT 1,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX improvements_org_raised ON improvements(org_id, raised_on, id);
CREATE INDEX improvements_org_status ON improvements(org_id, status, id);
