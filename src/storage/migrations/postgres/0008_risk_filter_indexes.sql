-- The risk register is filtered by treatment, status, level and owner and sorted by score
-- (the UI's default). Without an index per filter, a filter that matches few risks makes
-- the database walk the whole (org_id, inherent_score) index (docs/performance.md).
CREATE INDEX risks_org_treatment_score ON risks(org_id, treatment, inherent_score, id);
CREATE INDEX risks_org_status_score ON risks(org_id, status, inherent_score, id);
CREATE INDEX risks_org_level_score ON risks(org_id, inherent_level, inherent_score, id);
DROP INDEX risks_org_owner;
CREATE INDEX risks_org_owner_score ON risks(org_id, owner_id, inherent_score, id);
