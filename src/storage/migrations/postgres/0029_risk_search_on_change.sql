-- SQLite's migration 0029 makes its risk text index follow only changes of the searched
-- texts; PostgreSQL has no such index (see 0023). The version number is kept in step.
SELECT 1;
