-- Readiness (ISO 27001 4–10, issue 7): the thresholds an organization sets for the
-- evaluation an auditor would make. One row per organization; absent means the defaults
-- (80 % policy acknowledgment, 80 % awareness training, 30 days of tolerance on overdue actions, 12 months for
-- "recent"). The evaluation itself is rebuilt from audit_events (index audit_events_object)
-- and so is this row's history, as object type `readiness_settings`.

CREATE TABLE readiness_settings (
  org_id                 TEXT PRIMARY KEY REFERENCES organizations(id),
  policy_ack_percent     INTEGER NOT NULL DEFAULT 80,
  awareness_percent      INTEGER NOT NULL DEFAULT 80,
  overdue_tolerance_days INTEGER NOT NULL DEFAULT 30,
  recent_months          INTEGER NOT NULL DEFAULT 12,
  version                INTEGER NOT NULL DEFAULT 1,
  updated_at             TEXT NOT NULL
);
