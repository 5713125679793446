-- Daily activities at intake (issue 3): per activity the support given now (0-4, NULL for
-- niet van toepassing) and whether the client wants to (re)learn it.
CREATE TABLE activity_records (
    id                 INTEGER PRIMARY KEY,
    trajectory_id      INTEGER NOT NULL REFERENCES trajectories (id),
    instrument_key     TEXT NOT NULL,
    instrument_version TEXT NOT NULL,
    recorded_by        INTEGER NOT NULL REFERENCES users (id),
    recorded_at        TEXT NOT NULL,
    FOREIGN KEY (instrument_key, instrument_version) REFERENCES instruments (key, version)
);
CREATE INDEX activity_records_trajectory ON activity_records (trajectory_id, recorded_at);

CREATE TABLE activity_ratings (
    record_id      INTEGER NOT NULL REFERENCES activity_records (id),
    item_key       TEXT NOT NULL,
    support        INTEGER CHECK (support BETWEEN 0 AND 4),
    wants_to_learn BOOLEAN NOT NULL,
    PRIMARY KEY (record_id, item_key)
);
