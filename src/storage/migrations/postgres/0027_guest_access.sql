-- External auditor access (ISO 27001 A.5.15 access control, A.5.18 access rights, A.8.15
-- logging; ADR 0018): a time-boxed, read-only guest grant to one organization, and the log of
-- every request a guest makes to it.
--
-- A grant is live while `revoked_at` IS NULL and `starts_at` <= now < `ends_at`; nothing has
-- to run when it ends. Timestamps are fixed-width RFC 3339 UTC text, so they compare as text.
CREATE TABLE guest_grants (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES organizations(id),
  user_id    TEXT NOT NULL REFERENCES users(id),
  firm       TEXT NOT NULL,
  note       TEXT NOT NULL DEFAULT '',
  starts_at  TEXT NOT NULL,
  ends_at    TEXT NOT NULL,
  revoked_at TEXT,
  invited_by TEXT NOT NULL REFERENCES users(id),
  version    BIGINT NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX guest_grants_user ON guest_grants (user_id, org_id);
CREATE INDEX guest_grants_org ON guest_grants (org_id, created_at);

-- One row per request of a guest to the organization's routes (never a member's).
CREATE TABLE guest_access_log (
  id         TEXT PRIMARY KEY,
  org_id     TEXT NOT NULL REFERENCES organizations(id),
  user_id    TEXT NOT NULL REFERENCES users(id),
  grant_id   TEXT NOT NULL REFERENCES guest_grants(id),
  method     TEXT NOT NULL,
  path       TEXT NOT NULL,
  status     BIGINT NOT NULL,
  request_id TEXT NOT NULL,
  at         TEXT NOT NULL
);
CREATE INDEX guest_access_log_org ON guest_access_log (org_id, at, id);
CREATE INDEX guest_access_log_user ON guest_access_log (org_id, user_id, at, id);
