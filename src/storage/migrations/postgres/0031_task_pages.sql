-- Tasks are read a page at a time (ADR 0010): each stored source is walked in due order from
-- the cursor's position and stops after a page, and its total is counted, through an index on
-- (org_id, [its filter,] due date). Sources not listed here already have one:
-- corrective_actions_org_due and _org_owner, documents_org_review, evidence_org_valid_until,
-- trainings_org_status. Audits and audit programmes are a handful per organization.
CREATE INDEX risk_treatments_org_due ON risk_treatments(org_id, due_on, status);
CREATE INDEX management_review_actions_org_due ON management_review_actions(org_id, due_on);
CREATE INDEX risks_org_status_review ON risks(org_id, status, next_review_on);
CREATE INDEX competence_evidence_org_expires ON competence_evidence(org_id, expires_on);
-- `assignee=me` on the two largest sources: the owner's duties in due order, counted from the
-- index alone.
CREATE INDEX risks_org_owner_review ON risks(org_id, owner_id, status, next_review_on);
CREATE INDEX evidence_org_owner_valid_until ON evidence(org_id, owner_id, archived, valid_until);
