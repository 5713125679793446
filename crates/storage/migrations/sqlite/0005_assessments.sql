-- Life-domain assessments (issue 3): one per perspective and moment; each rating names the
-- instrument version it was given on.
CREATE TABLE assessments (
    id                 INTEGER PRIMARY KEY,
    trajectory_id      INTEGER NOT NULL REFERENCES trajectories (id),
    instrument_key     TEXT NOT NULL,
    instrument_version TEXT NOT NULL,
    perspective        TEXT NOT NULL CHECK (perspective IN ('client', 'professional', 'network_member')),
    moment             TEXT NOT NULL CHECK (moment IN ('intake', 'evaluation', 'closure')),
    respondent         TEXT,
    recorded_by        INTEGER NOT NULL REFERENCES users (id),
    recorded_at        TEXT NOT NULL,
    FOREIGN KEY (instrument_key, instrument_version) REFERENCES instruments (key, version)
);
CREATE INDEX assessments_trajectory ON assessments (trajectory_id, recorded_at);

CREATE TABLE assessment_ratings (
    assessment_id    INTEGER NOT NULL REFERENCES assessments (id),
    item_key         TEXT NOT NULL,
    -- NULL: niet besproken (not discussed).
    level            INTEGER CHECK (level BETWEEN 1 AND 5),
    own_pct          INTEGER,
    network_pct      INTEGER,
    professional_pct INTEGER,
    wants_to_work_on BOOLEAN NOT NULL,
    strengths        TEXT,
    note             TEXT,
    PRIMARY KEY (assessment_id, item_key)
);
