-- Accounts and sessions (issue 9).

-- Failed sign-ins, keyed by 'user:' and a SHA-256 of the typed user name, or by 'addr:' and the
-- source address. Names that belong to no account are counted exactly like real ones, so the
-- answers do not reveal which accounts exist; the typed name itself is never stored.
CREATE TABLE login_throttle (
    key            TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL,
    last_failed_at TEXT,
    locked_until   TEXT
);
CREATE INDEX login_throttle_last_failed ON login_throttle (last_failed_at);

-- Replaced by login_throttle. A lock in progress is not carried over: it lasted 15 minutes.
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN last_failed_login_at;
ALTER TABLE users DROP COLUMN locked_until;

-- Which user a session belongs to, so a password change can end that user's other sessions.
ALTER TABLE sessions ADD COLUMN user_id INTEGER REFERENCES users (id);
CREATE INDEX sessions_user ON sessions (user_id);
