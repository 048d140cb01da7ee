-- Text search over the risk register (q=) at 100,000 risks (docs/performance.md). LIKE
-- '%text%' cannot use an index and read every risk of the organization for each search; an
-- FTS5 index with the trigram tokenizer answers the same substring question, without regard
-- to case, from the index. It holds the four searched columns of `risks` (external content:
-- the text is not stored twice) and follows every insert, update and delete by triggers.
-- Searches shorter than three characters still use LIKE (a trigram needs three).
CREATE VIRTUAL TABLE risks_search USING fts5(
  title, description, threat, vulnerability,
  content = 'risks', content_rowid = 'rowid', tokenize = 'trigram'
);
INSERT INTO risks_search(risks_search) VALUES ('rebuild');

CREATE TRIGGER risks_search_insert AFTER INSERT ON risks BEGIN
  INSERT INTO risks_search(rowid, title, description, threat, vulnerability)
  VALUES (new.rowid, new.title, new.description, new.threat, new.vulnerability);
END;

CREATE TRIGGER risks_search_delete AFTER DELETE ON risks BEGIN
  INSERT INTO risks_search(risks_search, rowid, title, description, threat, vulnerability)
  VALUES ('delete', old.rowid, old.title, old.description, old.threat, old.vulnerability);
END;

CREATE TRIGGER risks_search_update
AFTER UPDATE OF title, description, threat, vulnerability ON risks BEGIN
  INSERT INTO risks_search(risks_search, rowid, title, description, threat, vulnerability)
  VALUES ('delete', old.rowid, old.title, old.description, old.threat, old.vulnerability);
  INSERT INTO risks_search(rowid, title, description, threat, vulnerability)
  VALUES (new.rowid, new.title, new.description, new.threat, new.vulnerability);
END;
