-- Issue 5: visits with the support given per agreed activity, versioned corrections, and
-- idempotent creation. Nothing is deleted: a visit entered in error is marked, with a reason.
CREATE TABLE visits (
    id               INTEGER PRIMARY KEY,
    trajectory_id    INTEGER NOT NULL REFERENCES trajectories (id),
    user_id          INTEGER NOT NULL REFERENCES users (id),
    discipline       TEXT NOT NULL,
    visit_date       TEXT NOT NULL,
    minutes          INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 600),
    -- The domain's VisitContent as JSON: support given per activity, note, success.
    content          TEXT NOT NULL,
    success          TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    error_reason     TEXT,
    idempotency_key  TEXT,
    recorded_at      TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX visits_trajectory ON visits (trajectory_id, visit_date);
CREATE UNIQUE INDEX visits_idempotency ON visits (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Earlier versions of a corrected visit, as they were.
CREATE TABLE visit_versions (
    id          INTEGER PRIMARY KEY,
    visit_id    INTEGER NOT NULL REFERENCES visits (id),
    version     INTEGER NOT NULL,
    visit_date  TEXT NOT NULL,
    minutes     INTEGER NOT NULL,
    content     TEXT NOT NULL,
    reason      TEXT,
    changed_by  INTEGER NOT NULL REFERENCES users (id),
    changed_at  TEXT NOT NULL,
    UNIQUE (visit_id, version)
);
