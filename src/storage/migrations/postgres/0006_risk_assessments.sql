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
  methodology_version  BIGINT NOT NULL,
  methodology_json     TEXT NOT NULL,
  risk_count           BIGINT NOT NULL,
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
  likelihood           BIGINT NOT NULL,
  impact               BIGINT NOT NULL,
  inherent_score       BIGINT NOT NULL,
  inherent_level       TEXT NOT NULL,
  treatment            TEXT NOT NULL,
  treatment_rationale  TEXT NOT NULL,
  transfer_to          TEXT NOT NULL,
  residual_likelihood  BIGINT,
  residual_impact      BIGINT,
  residual_score       BIGINT,
  residual_level       TEXT,
  status               TEXT NOT NULL,
  last_assessed_on     TEXT,
  next_review_on       TEXT,
  accepted_by_email    TEXT,
  acceptance_expires_on TEXT,
  PRIMARY KEY (assessment_id, ref)
);

CREATE FUNCTION certus_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'retained risk assessments are immutable';
END;
$$;
CREATE TRIGGER risk_assessments_immutable BEFORE UPDATE OR DELETE ON risk_assessments
  FOR EACH ROW EXECUTE FUNCTION certus_refuse_change();
CREATE TRIGGER risk_assessment_rows_immutable BEFORE UPDATE OR DELETE ON risk_assessment_rows
  FOR EACH ROW EXECUTE FUNCTION certus_refuse_change();
