-- Regie foundation: organisation settings, teams, users, sessions, API tokens, a minimal
-- client entity and the append-only NEN 7513 audit log.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE teams (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    active     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    full_name            TEXT NOT NULL,
    discipline           TEXT NOT NULL CHECK (discipline IN ('wijkverpleegkundige', 'verzorgende',
                         'ergotherapeut', 'fysiotherapeut', 'hulp_bij_het_huishouden', 'wmo_consulent',
                         'sociaal_werker', 'techcoach', 'casemanager', 'anders')),
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'team_lead', 'professional', 'analyst')),
    password_hash        TEXT NOT NULL,
    language             TEXT CHECK (language IN ('nl', 'en')),
    active               BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    last_failed_login_at TEXT,
    locked_until         TEXT,
    created_at           TEXT NOT NULL
);

CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams (id),
    user_id INTEGER NOT NULL REFERENCES users (id),
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX team_members_user ON team_members (user_id);

CREATE TABLE clients (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE client_teams (
    client_id INTEGER NOT NULL REFERENCES clients (id),
    team_id   INTEGER NOT NULL REFERENCES teams (id),
    PRIMARY KEY (client_id, team_id)
);
CREATE INDEX client_teams_team ON client_teams (team_id);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);

-- The head of the audit chain: one row, locked by every append so the chain stays linear.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    seq       INTEGER NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    occurred_at  TEXT NOT NULL,
    event        TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('allowed', 'denied', 'failed')),
    user_id      INTEGER,
    username     TEXT,
    user_role    TEXT,
    on_behalf_of TEXT,
    client_id    INTEGER,
    object_type  TEXT,
    object_id    TEXT,
    source       TEXT,
    detail       TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_client ON audit_log (client_id, seq);
CREATE INDEX audit_log_user ON audit_log (user_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
