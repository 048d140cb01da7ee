-- Retained risk assessments (ISO 27001 8.2: "retain documented information of the results
-- of the information security risk assessments"). An assessment is an immutable copy of
-- the whole register and of the methodology in force when it was taken; the triggers below
-- refuse any later change to it, whoever asks.

CREATE TABLE risk_assessments (
  id                   TEXT PRIMARY KEY,
  org_id               TEXT NOT NULL REFERENCES organizations(id),
  ref                  TEXT NOT NULL,
  name                 TEXT NOT NULL,
  notes                TEXT NOT NULL DEFAULT '',
  taken_by_id          TEXT NOT NULL,
  taken_by_email       TEXT NOT NULL,
  taken_at             TEXT NOT NULL,
  methodology_version  INTEGER NOT NULL,
  methodology_json     TEXT NOT NULL,
  risk_count           INTEGER NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX risk_assessments_org_taken ON risk_assessments(org_id, taken_at, id);

CREATE TABLE risk_assessment_rows (
  assessment_id        TEXT NOT NULL REFERENCES risk_assessments(id),
  risk_id              TEXT NOT NULL,
  ref                  TEXT NOT NULL,
  title                TEXT NOT NULL,
  description          TEXT NOT NULL,
  threat               TEXT NOT NULL,
  vulnerability        TEXT NOT NULL,
  owner_id             TEXT NOT NULL,
  likelihood           INTEGER NOT NULL,
  impact               INTEGER NOT NULL,
  inherent_score       INTEGER NOT NULL,
  inherent_level       TEXT NOT NULL,
  treatment            TEXT NOT NULL,
  treatment_rationale  TEXT NOT NULL,
  transfer_to          TEXT NOT NULL,
  residual_likelihood  INTEGER,
  residual_impact      INTEGER,
  residual_score       INTEGER,
  residual_level       TEXT,
  status               TEXT NOT NULL,
  last_assessed_on     TEXT,
  next_review_on       TEXT,
  accepted_by_email    TEXT,
  acceptance_expires_on TEXT,
  PRIMARY KEY (assessment_id, ref)
);

CREATE TRIGGER risk_assessments_immutable_update BEFORE UPDATE ON risk_assessments
BEGIN SELECT RAISE(ABORT, 'retained risk assessments are immutable'); END;
CREATE TRIGGER risk_assessments_immutable_delete BEFORE DELETE ON risk_assessments
BEGIN SELECT RAISE(ABORT, 'retained risk assessments are immutable'); END;
CREATE TRIGGER risk_assessment_rows_immutable_update BEFORE UPDATE ON risk_assessment_rows
BEGIN SELECT RAISE(ABORT, 'retained risk assessments are immutable'); END;
CREATE TRIGGER risk_assessment_rows_immutable_delete BEFORE DELETE ON risk_assessment_rows
BEGIN SELECT RAISE(ABORT, 'retained risk assessments are immutable'); END;
