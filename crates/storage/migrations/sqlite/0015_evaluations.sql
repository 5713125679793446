-- Issue 11: evaluations with the client, and the dated goal scores they (and later the
-- closure and follow-ups) add beside the baseline, which stays as it was.
ALTER TABLE trajectories ADD COLUMN evaluation_weeks INTEGER NOT NULL DEFAULT 2;

CREATE TABLE evaluations (
    id                  INTEGER PRIMARY KEY,
    trajectory_id       INTEGER NOT NULL REFERENCES trajectories (id),
    held_on             TEXT NOT NULL,
    next_on             TEXT NOT NULL,
    client_took_part    BOOLEAN NOT NULL,
    -- JSON arrays of ids: who else sat at the table.
    network_member_ids  TEXT NOT NULL,
    professional_ids    TEXT NOT NULL,
    -- The plan version the evaluation made.
    plan_version        INTEGER NOT NULL,
    recorded_by         INTEGER NOT NULL REFERENCES users (id),
    recorded_at         TEXT NOT NULL
);
CREATE INDEX evaluations_trajectory ON evaluations (trajectory_id, held_on);

CREATE TABLE goal_scores (
    id               INTEGER PRIMARY KEY,
    trajectory_id    INTEGER NOT NULL REFERENCES trajectories (id),
    goal_id          INTEGER NOT NULL,
    moment           TEXT NOT NULL,
    scored_on        TEXT NOT NULL,
    performance      INTEGER CHECK (performance BETWEEN 1 AND 10),
    satisfaction     INTEGER CHECK (satisfaction BETWEEN 1 AND 10),
    gas_attained     INTEGER CHECK (gas_attained BETWEEN -2 AND 2),
    words            TEXT,
    decision         TEXT,
    decision_reason  TEXT,
    evaluation_id    INTEGER REFERENCES evaluations (id),
    recorded_by      INTEGER NOT NULL REFERENCES users (id),
    recorded_at      TEXT NOT NULL
);
CREATE INDEX goal_scores_trajectory ON goal_scores (trajectory_id, goal_id, scored_on);
