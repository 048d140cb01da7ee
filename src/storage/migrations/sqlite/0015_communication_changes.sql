-- Communication (ISO 27001 7.4): the plan of what is communicated, when, with whom, by whom
-- and how, and the log of communications made. Planning of changes (6.3): ISMS changes with
-- their purpose, consequences, resources, responsibilities, approval, implementation and
-- review. Dates YYYY-MM-DD; timestamps RFC 3339 UTC; booleans integers 0/1.

-- last_communicated_on and next_due_on are derived from the log and rewritten in the
-- transaction that changes it, so that overdue items can be listed and sorted by index.
CREATE TABLE communication_plan_items (
  id                   TEXT PRIMARY KEY,
  org_id               TEXT NOT NULL REFERENCES organizations(id),
  ref                  TEXT NOT NULL,
  subject              TEXT NOT NULL,
  audience_text        TEXT NOT NULL DEFAULT '',
  direction            TEXT NOT NULL,
  frequency            TEXT NOT NULL,
  due_on               TEXT,
  trigger_text         TEXT NOT NULL DEFAULT '',
  owner_id             TEXT NOT NULL REFERENCES users(id),
  channel              TEXT NOT NULL,
  notes                TEXT NOT NULL DEFAULT '',
  last_communicated_on TEXT,
  next_due_on          TEXT,
  version              INTEGER NOT NULL DEFAULT 1,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX communication_plan_items_org_next
  ON communication_plan_items(org_id, next_due_on, id);
CREATE INDEX communication_plan_items_org_subject
  ON communication_plan_items(org_id, subject, id);

-- The interested parties (4.2) an item is for; ids as given, checked by the service.
CREATE TABLE communication_plan_audience (
  item_id  TEXT NOT NULL REFERENCES communication_plan_items(id) ON DELETE CASCADE,
  party_id TEXT NOT NULL,
  PRIMARY KEY (item_id, party_id)
);
CREATE INDEX communication_plan_audience_party ON communication_plan_audience(party_id);

CREATE TABLE communications (
  id               TEXT PRIMARY KEY,
  org_id           TEXT NOT NULL REFERENCES organizations(id),
  ref              TEXT NOT NULL,
  plan_item_id     TEXT REFERENCES communication_plan_items(id),
  subject          TEXT NOT NULL,
  communicated_on  TEXT NOT NULL,
  audience_text    TEXT NOT NULL DEFAULT '',
  channel          TEXT NOT NULL,
  summary          TEXT NOT NULL DEFAULT '',
  communicated_by  TEXT NOT NULL REFERENCES users(id),
  author_id        TEXT NOT NULL REFERENCES users(id),
  author_email     TEXT NOT NULL,
  evidence_id      TEXT,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX communications_org_date ON communications(org_id, communicated_on, id);
CREATE INDEX communications_plan_item ON communications(plan_item_id, communicated_on);

CREATE TABLE communication_audience (
  communication_id TEXT NOT NULL REFERENCES communications(id) ON DELETE CASCADE,
  party_id         TEXT NOT NULL,
  PRIMARY KEY (communication_id, party_id)
);
CREATE INDEX communication_audience_party ON communication_audience(party_id);

-- A signature is four columns: user id, email, timestamp, comment. `decision` is the
-- approval or the rejection (the status says which).
CREATE TABLE isms_changes (
  id                       TEXT PRIMARY KEY,
  org_id                   TEXT NOT NULL REFERENCES organizations(id),
  ref                      TEXT NOT NULL,
  title                    TEXT NOT NULL,
  purpose                  TEXT NOT NULL DEFAULT '',
  consequences             TEXT NOT NULL DEFAULT '',
  integrity_considerations TEXT NOT NULL DEFAULT '',
  resources                TEXT NOT NULL DEFAULT '',
  owner_id                 TEXT NOT NULL REFERENCES users(id),
  responsibilities         TEXT NOT NULL DEFAULT '',
  planned_on               TEXT,
  status                   TEXT NOT NULL,
  nonconformity_id         TEXT,
  notes                    TEXT NOT NULL DEFAULT '',
  requested_by             TEXT NOT NULL REFERENCES users(id),
  requested_by_email       TEXT NOT NULL,
  submitted_at             TEXT,
  decision_by              TEXT,
  decision_email           TEXT,
  decision_at              TEXT,
  decision_comment         TEXT,
  started_at               TEXT,
  implemented_on           TEXT,
  implementation_by        TEXT,
  implementation_email     TEXT,
  implementation_at        TEXT,
  implementation_comment   TEXT,
  review_by                TEXT,
  review_email             TEXT,
  review_at                TEXT,
  review_comment           TEXT,
  achieved_purpose         INTEGER,
  cancellation_by          TEXT,
  cancellation_email       TEXT,
  cancellation_at          TEXT,
  cancellation_comment     TEXT,
  version                  INTEGER NOT NULL DEFAULT 1,
  created_at               TEXT NOT NULL,
  updated_at               TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX isms_changes_org_status ON isms_changes(org_id, status, id);
CREATE INDEX isms_changes_org_planned ON isms_changes(org_id, planned_on, id);

-- Risks, controls and documents a change touches; the label is the reference and title
-- when linked, so the change reads the same after they change.
CREATE TABLE isms_change_links (
  change_id TEXT NOT NULL REFERENCES isms_changes(id) ON DELETE CASCADE,
  kind      TEXT NOT NULL,
  target_id TEXT NOT NULL,
  label     TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (change_id, kind, target_id)
);
CREATE INDEX isms_change_links_target ON isms_change_links(kind, target_id);
