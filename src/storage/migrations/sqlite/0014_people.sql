-- People, competence and awareness (ISO 27001 7.2, 7.3): the register of the people doing
-- work under the ISMS, the competences their job roles and ISMS roles (5.3) require, the
-- evidence of competence per person (7.2 d: retained documented information), trainings with
-- their audience and completion records. Booleans are integers 0/1; dates YYYY-MM-DD;
-- short lists (job roles, ISMS role ids, evidence kinds, departments, person ids) are JSON
-- arrays of strings, read whole by the service.

CREATE TABLE people (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id),
  ref         TEXT NOT NULL,
  name        TEXT NOT NULL,
  email       TEXT NOT NULL,
  email_key   TEXT NOT NULL,
  job_role    TEXT NOT NULL DEFAULT '',
  department  TEXT NOT NULL DEFAULT '',
  in_scope    INTEGER NOT NULL DEFAULT 1,
  user_id     TEXT REFERENCES users(id),
  status      TEXT NOT NULL DEFAULT 'active',
  start_date  TEXT,
  left_on     TEXT,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (org_id, ref),
  UNIQUE (org_id, email_key),
  UNIQUE (org_id, user_id)
);
CREATE INDEX people_org_name ON people(org_id, name, id);
CREATE INDEX people_org_department ON people(org_id, department, name, id);

CREATE TABLE competences (
  id             TEXT PRIMARY KEY,
  org_id         TEXT NOT NULL REFERENCES organizations(id),
  ref            TEXT NOT NULL,
  name           TEXT NOT NULL,
  description    TEXT NOT NULL DEFAULT '',
  job_roles      TEXT NOT NULL DEFAULT '[]',
  isms_role_ids  TEXT NOT NULL DEFAULT '[]',
  evidence_kinds TEXT NOT NULL DEFAULT '[]',
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  UNIQUE (org_id, ref),
  UNIQUE (org_id, name)
);

CREATE TABLE trainings (
  id              TEXT PRIMARY KEY,
  org_id          TEXT NOT NULL REFERENCES organizations(id),
  ref             TEXT NOT NULL,
  title           TEXT NOT NULL,
  description     TEXT NOT NULL DEFAULT '',
  audience        TEXT NOT NULL DEFAULT 'all',
  departments     TEXT NOT NULL DEFAULT '[]',
  person_ids      TEXT NOT NULL DEFAULT '[]',
  due_on          TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'draft',
  competence_id   TEXT REFERENCES competences(id),
  validity_months INTEGER,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX trainings_org_due ON trainings(org_id, due_on, id);
CREATE INDEX trainings_org_status ON trainings(org_id, status, due_on, id);

-- 7.2 d: evidence of competence. `training_id` is set when a training completion recorded it.
CREATE TABLE competence_evidence (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES organizations(id),
  person_id     TEXT NOT NULL REFERENCES people(id),
  competence_id TEXT NOT NULL REFERENCES competences(id),
  kind          TEXT NOT NULL,
  title         TEXT NOT NULL,
  obtained_on   TEXT NOT NULL,
  expires_on    TEXT,
  evidence_id   TEXT,
  training_id   TEXT REFERENCES trainings(id),
  recorded_by   TEXT NOT NULL DEFAULT '',
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX competence_evidence_person ON competence_evidence(person_id, obtained_on, id);
CREATE INDEX competence_evidence_org_competence ON competence_evidence(org_id, competence_id);

-- 7.2, 7.3: who completed a training, once per person.
CREATE TABLE training_completions (
  training_id  TEXT NOT NULL REFERENCES trainings(id),
  person_id    TEXT NOT NULL REFERENCES people(id),
  org_id       TEXT NOT NULL REFERENCES organizations(id),
  completed_on TEXT NOT NULL,
  note         TEXT NOT NULL DEFAULT '',
  recorded_by  TEXT NOT NULL DEFAULT '',
  created_at   TEXT NOT NULL,
  PRIMARY KEY (training_id, person_id)
);
CREATE INDEX training_completions_org_person ON training_completions(org_id, person_id);
