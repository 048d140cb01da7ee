-- The text index of the risk register (0023) re-indexed a risk on every update: the store's
-- UPDATE sets every column, so `AFTER UPDATE OF title, …` always fired, and the trigram
-- re-index was most of the cost of a risk edit that changed only a rating or a status
-- (measured by `certus seed`: about 0.5 ms of 0.7 ms). Now the trigger fires only when one
-- of the four searched texts actually changed.
DROP TRIGGER risks_search_update;
CREATE TRIGGER risks_search_update
AFTER UPDATE OF title, description, threat, vulnerability ON risks
WHEN old.title IS NOT new.title OR old.description IS NOT new.description
  OR old.threat IS NOT new.threat OR old.vulnerability IS NOT new.vulnerability
BEGIN
  INSERT INTO risks_search(risks_search, rowid, title, description, threat, vulnerability)
  VALUES ('delete', old.rowid, old.title, old.description, old.threat, old.vulnerability);
  INSERT INTO risks_search(rowid, title, description, threat, vulnerability)
  VALUES (new.rowid, new.title, new.description, new.threat, new.vulnerability);
END;
