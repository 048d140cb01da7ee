-- OpenID Connect sign-in (ISO 27001 A.5.16 identity management, A.5.17 authentication
-- information, A.8.5 secure authentication; ADR 0019).
--
-- A started sign-in at the identity provider: kept server-side so that any server instance
-- on the same database can finish it. `state_hash` is the SHA-256 (hex) of the `state`
-- parameter sent to the provider; the row is taken (deleted) by the callback, so a state
-- works once, and it is refused after `expires_at`. `code_verifier` is the PKCE verifier
-- (RFC 7636), `nonce` the value the ID token must carry, `next_path` where to go after.
CREATE TABLE oidc_login_states (
  state_hash    TEXT PRIMARY KEY,
  nonce         TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  next_path     TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL
);
CREATE INDEX oidc_login_states_expires ON oidc_login_states (expires_at);

-- The identity of a user at a provider (`iss` + `sub` of the ID token), linked at the first
-- sign-in by the verified email of an existing user; later sign-ins match it first.
CREATE TABLE user_oidc_identities (
  issuer       TEXT NOT NULL,
  subject      TEXT NOT NULL,
  user_id      TEXT NOT NULL REFERENCES users(id),
  created_at   TEXT NOT NULL,
  last_used_at TEXT NOT NULL,
  PRIMARY KEY (issuer, subject)
);
CREATE INDEX user_oidc_identities_user ON user_oidc_identities (user_id);
