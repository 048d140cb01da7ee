-- Second factor (ISO 27001 A.5.17 authentication information, A.8.5 secure authentication):
-- a TOTP authenticator per user (RFC 6238) and its single-use recovery codes, and the
-- organization setting that requires every member signing in with a session to use one.
--
-- `secret` is the shared key, base32; there is no installation key to encrypt it with, so it
-- is protected like the rest of the database (ADR 0015). `confirmed_at` is NULL while the
-- enrollment is pending (the user has not yet proved their authenticator shows the codes).
-- `last_used_step` is the 30-second time step of the last accepted code: a code is accepted
-- only for a later step, so no code is ever accepted twice.
CREATE TABLE user_totp (
  user_id        TEXT PRIMARY KEY REFERENCES users(id),
  secret         TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  confirmed_at   TEXT,
  last_used_step BIGINT NOT NULL DEFAULT 0
);

-- Recovery codes, stored as argon2id hashes only; each is used once (`used_at`).
CREATE TABLE user_recovery_codes (
  id         TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id),
  code_hash  TEXT NOT NULL,
  created_at TEXT NOT NULL,
  used_at    TEXT
);
CREATE INDEX user_recovery_codes_user ON user_recovery_codes (user_id);

ALTER TABLE organizations ADD COLUMN require_second_factor BIGINT NOT NULL DEFAULT 0;
