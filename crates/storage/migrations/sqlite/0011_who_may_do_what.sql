-- Issue 9: versions against lost updates, stated reasons (break the glass), and fingerprints
-- of idempotent requests.

-- Client details and serving teams carry a version; every version is kept as it was, so a
-- refused save can show what the other person changed.
ALTER TABLE clients ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE client_versions (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES clients (id),
    version    INTEGER NOT NULL,
    -- The details and teams as JSON, as they were after this version.
    content    TEXT NOT NULL,
    -- What this version changed: 'created', 'details' or 'teams'.
    kind       TEXT NOT NULL,
    changed_by INTEGER REFERENCES users (id),
    changed_at TEXT NOT NULL,
    UNIQUE (client_id, version)
);

-- The core team carries a version too; each change is one numbered row.
ALTER TABLE trajectories ADD COLUMN team_version INTEGER NOT NULL DEFAULT 1;
CREATE TABLE core_team_changes (
    id             INTEGER PRIMARY KEY,
    trajectory_id  INTEGER NOT NULL REFERENCES trajectories (id),
    version        INTEGER NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('joined', 'left', 'handed_over', 'network_member')),
    user_id        INTEGER REFERENCES users (id),
    other_user_id  INTEGER REFERENCES users (id),
    network_member_id INTEGER REFERENCES network_members (id),
    changed_by     INTEGER NOT NULL REFERENCES users (id),
    changed_at     TEXT NOT NULL,
    UNIQUE (trajectory_id, version)
);

-- A team lead opens a record of a serving team only after stating why; the reason is kept
-- and shown to the client among who looked.
CREATE TABLE stated_reasons (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    reason      TEXT NOT NULL,
    stated_at   TEXT NOT NULL,
    valid_until TEXT NOT NULL
);
CREATE INDEX stated_reasons_client ON stated_reasons (client_id, user_id, valid_until);

-- A retried POST must send the same body: the key is bound to a fingerprint of the request.
ALTER TABLE visits ADD COLUMN idempotency_fingerprint TEXT;
