-- Versioned assessment instruments (definitions as JSON). A rating refers to key + version.
CREATE TABLE instruments (
    id           INTEGER PRIMARY KEY,
    key          TEXT NOT NULL,
    version      TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('life_domains', 'daily_activities')),
    definition   TEXT NOT NULL,
    installed_at TEXT NOT NULL,
    UNIQUE (key, version)
);
