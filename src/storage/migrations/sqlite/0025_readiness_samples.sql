-- Readiness over time (issue 7, the dashboard): the verdict and score of each past day. A
-- past day's evaluation is rebuilt from the append-only audit log, so it never changes; a
-- sample is its memo, written the first time the day is asked for. `rules_version` names
-- the set of readiness rules that computed it: after an upgrade changes the rules, older
-- samples are computed again. Today is never stored (the day is not over).

CREATE TABLE readiness_samples (
  org_id        TEXT NOT NULL REFERENCES organizations(id),
  day           TEXT NOT NULL,
  rules_version INTEGER NOT NULL,
  verdict       TEXT NOT NULL,
  score         INTEGER NOT NULL,
  PRIMARY KEY (org_id, day)
);
