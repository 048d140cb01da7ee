-- Information security objectives (ISO 27001 6.2) and the metrics that monitor and measure
-- the ISMS (9.1). Measurements are appended and never changed: a correction is a new
-- measurement that names the one it corrects, and the triggers below refuse any update or
-- deletion, whoever asks. Numbers are REAL; dates YYYY-MM-DD; booleans integers 0/1.

CREATE TABLE metrics (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id),
  ref               TEXT NOT NULL,
  name              TEXT NOT NULL,
  description       TEXT NOT NULL DEFAULT '',
  unit              TEXT NOT NULL DEFAULT '',
  direction         TEXT NOT NULL,
  target            REAL NOT NULL,
  warning           REAL,
  frequency         TEXT NOT NULL,
  owner_id          TEXT NOT NULL REFERENCES users(id),
  method            TEXT NOT NULL DEFAULT '',
  source            TEXT NOT NULL DEFAULT '',
  status            TEXT NOT NULL,
  measurement_count INTEGER NOT NULL DEFAULT 0,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX metrics_org_name ON metrics(org_id, name, id);
CREATE INDEX metrics_org_owner ON metrics(org_id, owner_id, id);

-- `seq` numbers a metric's measurements in the order they were recorded (1, 2, …), so that
-- of two measurements on one day the later one counts. One correction per measurement.
CREATE TABLE metric_measurements (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id),
  metric_id         TEXT NOT NULL REFERENCES metrics(id),
  seq               INTEGER NOT NULL,
  value             REAL NOT NULL,
  measured_on       TEXT NOT NULL,
  note              TEXT NOT NULL DEFAULT '',
  corrects_id       TEXT REFERENCES metric_measurements(id),
  recorded_by       TEXT NOT NULL,
  recorded_by_email TEXT NOT NULL DEFAULT '',
  created_at        TEXT NOT NULL,
  UNIQUE (metric_id, seq),
  UNIQUE (corrects_id)
);
CREATE INDEX metric_measurements_metric_date ON metric_measurements(metric_id, measured_on, id);

CREATE TRIGGER metric_measurements_immutable_update BEFORE UPDATE ON metric_measurements
BEGIN SELECT RAISE(ABORT, 'measurements are immutable; record a correction instead'); END;
CREATE TRIGGER metric_measurements_immutable_delete BEFORE DELETE ON metric_measurements
BEGIN SELECT RAISE(ABORT, 'measurements are immutable; record a correction instead'); END;

CREATE TABLE objectives (
  id                  TEXT PRIMARY KEY,
  org_id              TEXT NOT NULL REFERENCES organizations(id),
  ref                 TEXT NOT NULL,
  title               TEXT NOT NULL,
  description         TEXT NOT NULL DEFAULT '',
  owner_id            TEXT NOT NULL REFERENCES users(id),
  metric_id           TEXT REFERENCES metrics(id),
  target              REAL,
  due_on              TEXT NOT NULL,
  plan_what           TEXT NOT NULL DEFAULT '',
  plan_resources      TEXT NOT NULL DEFAULT '',
  plan_responsible    TEXT NOT NULL DEFAULT '',
  plan_responsible_id TEXT REFERENCES users(id),
  plan_when           TEXT NOT NULL DEFAULT '',
  plan_evaluation     TEXT NOT NULL DEFAULT '',
  state               TEXT NOT NULL,
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX objectives_org_due ON objectives(org_id, due_on, id);
CREATE INDEX objectives_org_metric ON objectives(org_id, metric_id);
