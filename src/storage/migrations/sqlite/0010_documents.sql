-- Documented information (ISO 27001 7.5), the scope (4.3) and the information security
-- policy (5.2). A document's versions go draft → in_review → approved → published →
-- superseded; a published version is immutable and carries the SHA-256 of its content (the
-- triggers below refuse any later change of its text, whoever asks). Acknowledgments record
-- who has read which published version (5.2 f, 7.3).

CREATE TABLE documents (
  id                     TEXT PRIMARY KEY,
  org_id                 TEXT NOT NULL REFERENCES organizations(id),
  ref                    TEXT NOT NULL,
  type                   TEXT NOT NULL,
  title                  TEXT NOT NULL,
  owner_id               TEXT NOT NULL REFERENCES users(id),
  classification         TEXT NOT NULL DEFAULT 'internal',
  review_interval_months INTEGER NOT NULL DEFAULT 12,
  next_review_on         TEXT,
  retention_months       INTEGER,
  distribution_all       INTEGER NOT NULL DEFAULT 0,
  is_security_policy     INTEGER NOT NULL DEFAULT 0,
  scope                  TEXT,
  status                 TEXT NOT NULL DEFAULT 'draft',
  latest_version         INTEGER NOT NULL DEFAULT 0,
  published_version      INTEGER,
  published_at           TEXT,
  version                INTEGER NOT NULL DEFAULT 1,
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX documents_org_created ON documents(org_id, created_at, id);
CREATE INDEX documents_org_type ON documents(org_id, type, ref);
CREATE INDEX documents_org_review ON documents(org_id, next_review_on);

-- Who must read a document besides "all members": users, and ISMS roles (leadership, 5.3).
CREATE TABLE document_distribution (
  document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,
  member_id   TEXT NOT NULL,
  PRIMARY KEY (document_id, kind, member_id)
);
CREATE INDEX document_distribution_member ON document_distribution(kind, member_id);

CREATE TABLE document_versions (
  id                TEXT PRIMARY KEY,
  org_id            TEXT NOT NULL REFERENCES organizations(id),
  document_id       TEXT NOT NULL REFERENCES documents(id),
  number            INTEGER NOT NULL,
  content           TEXT NOT NULL,
  change_summary    TEXT NOT NULL DEFAULT '',
  status            TEXT NOT NULL DEFAULT 'draft',
  author_id         TEXT NOT NULL,
  author_email      TEXT NOT NULL,
  submitted_at      TEXT,
  approved_by_id    TEXT,
  approved_by_email TEXT,
  approved_at       TEXT,
  approval_comment  TEXT,
  rejected_by_id    TEXT,
  rejected_by_email TEXT,
  rejected_at       TEXT,
  rejection_comment TEXT,
  published_by_id   TEXT,
  published_by_email TEXT,
  published_at      TEXT,
  superseded_at     TEXT,
  sha256            TEXT,
  version           INTEGER NOT NULL DEFAULT 1,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (document_id, number)
);

CREATE TRIGGER document_versions_published_immutable BEFORE UPDATE ON document_versions
WHEN OLD.status IN ('published', 'superseded') AND (NEW.content <> OLD.content
  OR NEW.sha256 IS NOT OLD.sha256 OR NEW.number <> OLD.number
  OR NEW.document_id <> OLD.document_id OR NEW.status NOT IN ('published', 'superseded'))
BEGIN SELECT RAISE(ABORT, 'published document versions are immutable'); END;
CREATE TRIGGER document_versions_published_undeletable BEFORE DELETE ON document_versions
WHEN OLD.status IN ('published', 'superseded')
BEGIN SELECT RAISE(ABORT, 'published document versions are immutable'); END;

CREATE TABLE document_acknowledgments (
  document_id     TEXT NOT NULL REFERENCES documents(id),
  version_number  INTEGER NOT NULL,
  org_id          TEXT NOT NULL REFERENCES organizations(id),
  user_id         TEXT NOT NULL REFERENCES users(id),
  user_email      TEXT NOT NULL,
  acknowledged_at TEXT NOT NULL,
  PRIMARY KEY (document_id, version_number, user_id)
);
CREATE INDEX document_acknowledgments_user ON document_acknowledgments(user_id, document_id);
