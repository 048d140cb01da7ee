-- Framework catalogs (installation-wide reference data, no org_id): ISO/IEC 27001:2022 built
-- in, more imported from OSCAL catalogs, and mappings between their requirements. Rows are
-- listed in catalog order (sort_order), never alphabetically: A.5.2 comes before A.5.10.

CREATE TABLE frameworks (
  id             TEXT PRIMARY KEY,
  key            TEXT NOT NULL UNIQUE,
  title          TEXT NOT NULL,
  version        TEXT NOT NULL DEFAULT '',
  source         TEXT NOT NULL,
  oscal_uuid     TEXT,
  oscal_version  TEXT,
  created_at     TEXT NOT NULL,
  created_by     TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX frameworks_oscal ON frameworks(oscal_uuid, version) WHERE oscal_uuid IS NOT NULL;

CREATE TABLE requirements (
  id             TEXT PRIMARY KEY,
  framework_id   TEXT NOT NULL REFERENCES frameworks(id),
  ref_id         TEXT NOT NULL,
  kind           TEXT NOT NULL,
  title          TEXT NOT NULL,
  parent_ref     TEXT,
  theme          TEXT NOT NULL DEFAULT '',
  text           TEXT NOT NULL DEFAULT '',
  guidance       TEXT NOT NULL DEFAULT '',
  label          TEXT NOT NULL DEFAULT '',
  withdrawn      INTEGER NOT NULL DEFAULT 0,
  attributes     TEXT NOT NULL DEFAULT '{}',
  params         TEXT,
  parts          TEXT,
  sort_order     INTEGER NOT NULL,
  UNIQUE (framework_id, ref_id)
);
CREATE INDEX requirements_order ON requirements(framework_id, sort_order, id);

CREATE TABLE requirement_mappings (
  source_framework_id TEXT NOT NULL REFERENCES frameworks(id),
  source_ref          TEXT NOT NULL,
  target_framework_id TEXT NOT NULL REFERENCES frameworks(id),
  target_ref          TEXT NOT NULL,
  relationship        TEXT NOT NULL,
  PRIMARY KEY (source_framework_id, source_ref, target_framework_id, target_ref)
);
CREATE INDEX requirement_mappings_target
  ON requirement_mappings(target_framework_id, source_framework_id);
