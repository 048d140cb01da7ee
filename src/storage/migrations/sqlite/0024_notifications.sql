-- Scheduler and notifications (issue 7 item 3, docs/adr/0011-jobs-and-notifications.md).
--
-- jobs: background work any `certus serve` process may run. A process claims a due job by
-- setting claimed_by/claimed_until in one write transaction (PostgreSQL: FOR UPDATE SKIP
-- LOCKED; SQLite: the single writer), runs it, and marks it done in the transaction that
-- does the work. A claim whose lease ran out (a crashed process) is claimed again. `key`
-- makes scheduling idempotent: every instance may schedule the same sweep; one row results.
CREATE TABLE jobs (
  id            TEXT PRIMARY KEY,
  job_key       TEXT NOT NULL UNIQUE,
  kind          TEXT NOT NULL,
  org_id        TEXT REFERENCES organizations(id),
  payload       TEXT NOT NULL DEFAULT '{}',
  run_at        TEXT NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0,
  claimed_by    TEXT,
  claimed_until TEXT,
  done_at       TEXT,
  last_error    TEXT,
  created_at    TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE done_at IS NULL;

-- One row per reminder ever sent: (organization, duty, stage) is unique, and the row is
-- inserted in the transaction that creates the notifications, emails and webhook
-- deliveries of the reminder. A second sweep, or a second instance, inserts nothing and
-- so sends nothing: no reminder is ever sent twice.
CREATE TABLE reminders_sent (
  org_id    TEXT NOT NULL REFERENCES organizations(id),
  task_key  TEXT NOT NULL,
  stage     TEXT NOT NULL CHECK (stage IN ('before', 'due', 'overdue')),
  due_on    TEXT NOT NULL,
  sent_at   TEXT NOT NULL,
  PRIMARY KEY (org_id, task_key, stage)
);

-- In-app notifications, one per recipient. email_state: 'none' (no email for it), 'sent'
-- (queued in email_outbox on its own), 'digest' (waiting for the daily digest),
-- 'digested' (listed in a digest that was queued).
CREATE TABLE notifications (
  id          TEXT PRIMARY KEY,
  user_id     TEXT NOT NULL REFERENCES users(id),
  org_id      TEXT NOT NULL REFERENCES organizations(id),
  kind        TEXT NOT NULL,
  title       TEXT NOT NULL,
  body        TEXT NOT NULL DEFAULT '',
  link        TEXT NOT NULL DEFAULT '',
  task_key    TEXT,
  in_app      INTEGER NOT NULL DEFAULT 1,
  email_state TEXT NOT NULL DEFAULT 'none',
  created_at  TEXT NOT NULL,
  read_at     TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL AND in_app = 1;
CREATE INDEX notifications_digest ON notifications (org_id, user_id) WHERE email_state = 'digest';

-- Per-user choices; absent means the defaults (email on, in-app on, no digest, 7 days).
CREATE TABLE notification_preferences (
  user_id          TEXT PRIMARY KEY REFERENCES users(id),
  email            INTEGER NOT NULL DEFAULT 1,
  in_app           INTEGER NOT NULL DEFAULT 1,
  digest           TEXT NOT NULL DEFAULT 'off' CHECK (digest IN ('off', 'daily')),
  days_before_due  INTEGER NOT NULL DEFAULT 7,
  version          INTEGER NOT NULL DEFAULT 1,
  updated_at       TEXT NOT NULL
);

-- Outgoing webhooks of an organization. The secret signs every delivery (HMAC-SHA256);
-- the API shows it once, at creation. events: a JSON array of event names.
CREATE TABLE webhooks (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id),
  url         TEXT NOT NULL,
  secret      TEXT NOT NULL,
  events      TEXT NOT NULL DEFAULT '[]',
  active      INTEGER NOT NULL DEFAULT 1,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
CREATE INDEX webhooks_org ON webhooks (org_id, created_at, id);

-- The outbox of webhook deliveries, written in the transaction of the event, sent after
-- it commits, retried with backoff (1 min, 5 min, 30 min, 2 h, then failed).
CREATE TABLE webhook_deliveries (
  id              TEXT PRIMARY KEY,
  webhook_id      TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
  org_id          TEXT NOT NULL REFERENCES organizations(id),
  event           TEXT NOT NULL,
  payload         TEXT NOT NULL,
  signature       TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_until   TEXT,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  response_code   INTEGER,
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  delivered_at    TEXT
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

-- The outbox of emails (one reminder or one daily digest each), like webhook_deliveries.
CREATE TABLE email_outbox (
  id              TEXT PRIMARY KEY,
  org_id          TEXT REFERENCES organizations(id),
  recipient       TEXT NOT NULL,
  subject         TEXT NOT NULL,
  body            TEXT NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  claimed_until   TEXT,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  last_error      TEXT,
  created_at      TEXT NOT NULL,
  sent_at         TEXT
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'pending';
