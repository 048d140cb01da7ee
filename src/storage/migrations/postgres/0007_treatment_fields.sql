-- The treatment plan's record of completion (ISO 27001 8.3: "retain documented information
-- of the results of the information security risk treatment"): what was done, and the SoA
-- control an action implements, if any.

ALTER TABLE risk_treatments ADD COLUMN completion_note TEXT NOT NULL DEFAULT '';
ALTER TABLE risk_treatments ADD COLUMN control_id TEXT REFERENCES controls(id);
