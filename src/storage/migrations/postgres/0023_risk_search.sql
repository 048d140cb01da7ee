-- Text search over the risk register: SQLite gains a trigram index in its migration 0023.
-- PostgreSQL keeps the LIKE of every other list for now: the pg_trgm index that would serve
-- it is an extension, which needs a superuser once per database (a decision for the operator,
-- see docs/performance.md). The version number is kept in step with SQLite's.
SELECT 1;
