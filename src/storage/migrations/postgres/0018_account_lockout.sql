-- Account lockout (ISO 27001 A.8.5 secure authentication): consecutive failed sign-ins of an
-- account, whatever the time between them, and when the account was locked for them. A
-- locked account signs in again only once an installation admin unlocks it or resets its
-- password. The per-window throttle (login_throttle) slows guessing; this stops it.

ALTER TABLE users ADD COLUMN failed_sign_ins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_at TEXT;
