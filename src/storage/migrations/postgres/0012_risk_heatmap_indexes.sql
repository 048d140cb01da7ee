-- The risk register at 100,000 risks (docs/performance.md): indexes for the heat map, for
-- the register filtered to one of its cells, and for the order of refs.
--
-- The heat map counts open risks by rating: an index that holds every column it reads, in
-- the order it groups them.
CREATE INDEX risks_org_status_ratings
  ON risks(org_id, status, likelihood, impact, residual_likelihood, residual_impact, id);
-- A heat-map cell opens the register filtered to it (likelihood, impact; on the residual
-- basis the residual rating, or the inherent one while there is none), by score.
CREATE INDEX risks_org_cell_score ON risks(org_id, likelihood, impact, inherent_score, id);
CREATE INDEX risks_org_residual_cell_score
  ON risks(org_id, (COALESCE(residual_likelihood, likelihood)),
           (COALESCE(residual_impact, impact)), inherent_score, id);
-- Sorting by ref follows the number (R-9999 before R-10000).
CREATE INDEX risks_org_ref_number ON risks(org_id, (CAST(SUBSTR(ref, 3) AS INTEGER)), id);
