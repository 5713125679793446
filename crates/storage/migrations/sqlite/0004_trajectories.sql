-- Reablement trajectories (issue 3): one active per client; every step recorded for the timeline.
CREATE TABLE trajectories (
    id              INTEGER PRIMARY KEY,
    client_id       INTEGER NOT NULL REFERENCES clients (id),
    question        TEXT NOT NULL,
    referral_source TEXT,
    start_date      TEXT NOT NULL,
    coordinator_id  INTEGER NOT NULL REFERENCES users (id),
    phase           TEXT NOT NULL CHECK (phase IN ('aanmelding', 'vraagverheldering', 'planvorming', 'uitvoering', 'afgesloten')),
    closure         TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX trajectories_client ON trajectories (client_id);
CREATE UNIQUE INDEX trajectories_one_active ON trajectories (client_id) WHERE phase <> 'afgesloten';

CREATE TABLE trajectory_question_types (
    trajectory_id INTEGER NOT NULL REFERENCES trajectories (id),
    question_type TEXT NOT NULL,
    PRIMARY KEY (trajectory_id, question_type)
);

CREATE TABLE trajectory_events (
    id            INTEGER PRIMARY KEY,
    trajectory_id INTEGER NOT NULL REFERENCES trajectories (id),
    occurred_at   TEXT NOT NULL,
    user_id       INTEGER NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL,
    from_phase    TEXT,
    to_phase      TEXT,
    detail        TEXT
);
CREATE INDEX trajectory_events_trajectory ON trajectory_events (trajectory_id, id);
