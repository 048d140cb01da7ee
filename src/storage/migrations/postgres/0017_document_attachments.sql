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
  size         BIGINT NOT NULL,
  sha256       TEXT NOT NULL,
  added_by_id  TEXT NOT NULL,
  added_by_email TEXT NOT NULL,
  added_at     TEXT NOT NULL,
  UNIQUE (version_id, file_name)
);
CREATE INDEX document_attachments_document ON document_attachments(document_id);

-- The database keeps what the service promises: only a draft gains attachments, and the
-- attachments of a published version are never changed or removed.
CREATE FUNCTION certus_document_attachment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  version_status TEXT;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'document attachments are immutable';
  END IF;
  IF TG_OP = 'INSERT' THEN
    SELECT status INTO version_status FROM document_versions WHERE id = NEW.version_id;
    IF version_status IS DISTINCT FROM 'draft' THEN
      RAISE EXCEPTION 'attachments are added to draft versions only';
    END IF;
    RETURN NEW;
  END IF;
  SELECT status INTO version_status FROM document_versions WHERE id = OLD.version_id;
  IF version_status IN ('published', 'superseded') THEN
    RAISE EXCEPTION 'published document versions are immutable';
  END IF;
  RETURN OLD;
END;
$$;
CREATE TRIGGER document_attachments_guard BEFORE INSERT OR UPDATE OR DELETE ON document_attachments
  FOR EACH ROW EXECUTE FUNCTION certus_document_attachment_guard();
