-- Attachments of document versions (ISO 27001 7.5.3): diagrams, forms, appendices. The
-- bytes live in the content-addressed blob store (docs/adr/0007); the row holds the SHA-256,
-- the size, the name and the type the server detected. Attachments belong to one version:
-- they are added and removed while it is a draft and frozen with it. A new version starts
-- with the attachments of the one before (the same blobs, new rows).

CREATE TABLE document_attachments (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organizations(id),
  document_id  TEXT NOT NULL REFERENCES documents(id),
  version_id   TEXT NOT NULL REFERENCES document_versions(id),
  file_name    TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  added_by_id  TEXT NOT NULL,
  added_by_email TEXT NOT NULL,
  added_at     TEXT NOT NULL,
  UNIQUE (version_id, file_name)
);
CREATE INDEX document_attachments_document ON document_attachments(document_id);

-- The database keeps what the service promises: only a draft gains attachments, and the
-- attachments of a published version are never changed or removed.
CREATE TRIGGER document_attachments_draft_only BEFORE INSERT ON document_attachments
WHEN (SELECT status FROM document_versions WHERE id = NEW.version_id) <> 'draft'
BEGIN SELECT RAISE(ABORT, 'attachments are added to draft versions only'); END;
CREATE TRIGGER document_attachments_immutable BEFORE UPDATE ON document_attachments
BEGIN SELECT RAISE(ABORT, 'document attachments are immutable'); END;
CREATE TRIGGER document_attachments_published_undeletable BEFORE DELETE ON document_attachments
WHEN (SELECT status FROM document_versions WHERE id = OLD.version_id) IN ('published', 'superseded')
BEGIN SELECT RAISE(ABORT, 'published document versions are immutable'); END;
