-- Information security incidents (ISO 27001 8.1; Annex A 5.24–5.28): what was detected and
-- reported when, how it was handled (new → triaged → contained → resolved → closed), the
-- lessons learned (A.5.27), and what it touched: assets, risks, nonconformities. The timeline
-- is append-only (A.5.28: evidence of what happened): the triggers below refuse any update or
-- deletion of an entry, whoever asks. Timestamps RFC 3339 UTC; booleans integers 0/1.

CREATE TABLE incidents (
  id                     TEXT PRIMARY KEY,
  org_id                 TEXT NOT NULL REFERENCES organizations(id),
  ref                    TEXT NOT NULL,
  title                  TEXT NOT NULL,
  description            TEXT NOT NULL DEFAULT '',
  category               TEXT NOT NULL,
  severity               TEXT NOT NULL,
  detected_at            TEXT NOT NULL,
  reported_at            TEXT NOT NULL,
  reported_by            TEXT NOT NULL REFERENCES users(id),
  reported_by_email      TEXT NOT NULL DEFAULT '',
  owner_id               TEXT NOT NULL REFERENCES users(id),
  status                 TEXT NOT NULL,
  resolution             TEXT NOT NULL DEFAULT '',
  lessons_learned        TEXT NOT NULL DEFAULT '',
  personal_data_involved INTEGER NOT NULL DEFAULT 0,
  notification_notes     TEXT NOT NULL DEFAULT '',
  triaged_at             TEXT,
  contained_at           TEXT,
  resolved_at            TEXT,
  closed_at              TEXT,
  closed_by              TEXT REFERENCES users(id),
  reopen_count           INTEGER NOT NULL DEFAULT 0,
  version                INTEGER NOT NULL DEFAULT 1,
  created_at             TEXT NOT NULL,
  updated_at             TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX incidents_org_detected ON incidents(org_id, detected_at, id);
CREATE INDEX incidents_org_status ON incidents(org_id, status, id);

-- Assets, risks and nonconformities an incident names, with the label they had when linked.
CREATE TABLE incident_links (
  incident_id TEXT NOT NULL REFERENCES incidents(id),
  kind        TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  label       TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (incident_id, kind, target_id)
);
CREATE INDEX incident_links_target ON incident_links(kind, target_id);

CREATE TABLE incident_timeline (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organizations(id),
  incident_id  TEXT NOT NULL REFERENCES incidents(id),
  at           TEXT NOT NULL,
  kind         TEXT NOT NULL,
  status       TEXT,
  entry        TEXT NOT NULL,
  recorded_by  TEXT NOT NULL REFERENCES users(id),
  recorded_by_email TEXT NOT NULL DEFAULT '',
  recorded_at  TEXT NOT NULL
);
CREATE INDEX incident_timeline_incident ON incident_timeline(incident_id, at, recorded_at, id);

CREATE TRIGGER incident_timeline_immutable_update BEFORE UPDATE ON incident_timeline
BEGIN SELECT RAISE(ABORT, 'incident timeline entries are immutable; add a new entry instead'); END;
CREATE TRIGGER incident_timeline_immutable_delete BEFORE DELETE ON incident_timeline
BEGIN SELECT RAISE(ABORT, 'incident timeline entries are immutable; add a new entry instead'); END;
