-- How each session was opened (ISO 27001 A.8.5 secure authentication; ADR 0020): one of
-- `password`, `password+totp`, `password+recovery`, `oidc`, `oidc+mfa`. An organization that
-- requires a second factor admits a session only when its method has one, so the method is
-- fixed when the session opens and never changes.
--
-- Sessions opened before this migration read as `password`: how they were opened is not
-- known, so they are taken for the weakest method, and their users sign in again where a
-- second factor is required.
ALTER TABLE sessions ADD COLUMN auth_method TEXT NOT NULL DEFAULT 'password';
