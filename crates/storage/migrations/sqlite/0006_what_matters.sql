-- What matters to the client (issue 3): what is important, motivation, barriers and beliefs.
CREATE TABLE what_matters (
    id            INTEGER PRIMARY KEY,
    trajectory_id INTEGER NOT NULL REFERENCES trajectories (id),
    kind          TEXT NOT NULL CHECK (kind IN ('important', 'motivation', 'barrier')),
    text          TEXT NOT NULL,
    recorded_by   INTEGER NOT NULL REFERENCES users (id),
    recorded_at   TEXT NOT NULL
);
CREATE INDEX what_matters_trajectory ON what_matters (trajectory_id, recorded_at);
