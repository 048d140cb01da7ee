-- Management reviews (ISO 27001 9.3): the review with its attendees (top management among
-- them, 9.3.1), notes on each input of 9.3.2 a–g (`input_notes`, a JSON object by key), the
-- decisions recorded (9.3.3) and the actions decided, which carry into the next review's
-- input a). Dates YYYY-MM-DD; timestamps RFC 3339; attendee ids comma-separated, sorted.

CREATE TABLE management_reviews (
  id            TEXT PRIMARY KEY,
  org_id        TEXT NOT NULL REFERENCES organizations(id),
  ref           TEXT NOT NULL,
  title         TEXT NOT NULL,
  planned_on    TEXT NOT NULL,
  held_on       TEXT,
  status        TEXT NOT NULL,
  attendee_ids  TEXT NOT NULL DEFAULT '',
  input_notes   TEXT NOT NULL DEFAULT '{}',
  closed_by     TEXT REFERENCES users(id),
  closed_on     TEXT,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX management_reviews_org_planned ON management_reviews(org_id, planned_on, id);
CREATE INDEX management_reviews_org_held ON management_reviews(org_id, held_on, id);

-- Immutable once written.
CREATE TABLE management_review_decisions (
  id           TEXT PRIMARY KEY,
  org_id       TEXT NOT NULL REFERENCES organizations(id),
  review_id    TEXT NOT NULL REFERENCES management_reviews(id),
  ref          TEXT NOT NULL,
  text         TEXT NOT NULL,
  category     TEXT NOT NULL,
  recorded_by  TEXT NOT NULL REFERENCES users(id),
  created_at   TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX management_review_decisions_review ON management_review_decisions(review_id, created_at);

CREATE TABLE management_review_actions (
  id          TEXT PRIMARY KEY,
  org_id      TEXT NOT NULL REFERENCES organizations(id),
  review_id   TEXT NOT NULL REFERENCES management_reviews(id),
  ref         TEXT NOT NULL,
  title       TEXT NOT NULL,
  owner_id    TEXT NOT NULL REFERENCES users(id),
  due_on      TEXT,
  status      TEXT NOT NULL,
  done_on     TEXT,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  UNIQUE (org_id, ref)
);
CREATE INDEX management_review_actions_review ON management_review_actions(review_id, ref);
CREATE INDEX management_review_actions_org ON management_review_actions(org_id, created_at, id);
