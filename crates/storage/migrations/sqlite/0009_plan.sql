-- Issue 4: the core team, the versioned plan, the catalogues and Samen Beslissen.

-- Professionals (user_id) and the one network member the client chose (network_member_id).
-- Nothing is deleted: leaving the team sets ended_at.
CREATE TABLE core_team_members (
    id                INTEGER PRIMARY KEY,
    trajectory_id     INTEGER NOT NULL REFERENCES trajectories (id),
    user_id           INTEGER REFERENCES users (id),
    network_member_id INTEGER REFERENCES network_members (id),
    discipline        TEXT,
    contact           TEXT,
    added_by          INTEGER NOT NULL REFERENCES users (id),
    added_at          TEXT NOT NULL,
    ended_by          INTEGER REFERENCES users (id),
    ended_at          TEXT,
    CHECK ((user_id IS NULL) <> (network_member_id IS NULL))
);
CREATE INDEX core_team_members_trajectory ON core_team_members (trajectory_id);
CREATE INDEX core_team_members_user ON core_team_members (user_id);
CREATE UNIQUE INDEX core_team_one_active_user ON core_team_members (trajectory_id, user_id) WHERE ended_at IS NULL AND user_id IS NOT NULL;
CREATE UNIQUE INDEX core_team_one_network_member ON core_team_members (trajectory_id) WHERE ended_at IS NULL AND network_member_id IS NOT NULL;

-- Every trajectory so far: its coordinator is its core team.
INSERT INTO core_team_members (trajectory_id, user_id, discipline, added_by, added_at)
SELECT t.id, t.coordinator_id, u.discipline, t.coordinator_id, t.created_at
FROM trajectories t JOIN users u ON u.id = t.coordinator_id;

CREATE TABLE coordinator_handovers (
    id            INTEGER PRIMARY KEY,
    trajectory_id INTEGER NOT NULL REFERENCES trajectories (id),
    from_user_id  INTEGER NOT NULL REFERENCES users (id),
    to_user_id    INTEGER NOT NULL REFERENCES users (id),
    reason        TEXT,
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX coordinator_handovers_trajectory ON coordinator_handovers (trajectory_id);

-- Each version is the complete plan as JSON (the domain's Plan); a version never changes.
CREATE TABLE plan_versions (
    id            INTEGER PRIMARY KEY,
    trajectory_id INTEGER NOT NULL REFERENCES trajectories (id),
    number        INTEGER NOT NULL,
    content       TEXT NOT NULL,
    reason        TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL,
    UNIQUE (trajectory_id, number)
);

CREATE TABLE intervention_catalogue (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,
    category         TEXT NOT NULL CHECK (category IN ('awareness', 'skills', 'compensation')),
    name_nl          TEXT NOT NULL,
    name_en          TEXT NOT NULL,
    description_nl   TEXT NOT NULL,
    description_en   TEXT NOT NULL,
    working_elements TEXT NOT NULL,
    retired_at       TEXT,
    created_at       TEXT NOT NULL
);

CREATE TABLE aids (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL UNIQUE,
    category       TEXT NOT NULL,
    name_nl        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    activities     TEXT NOT NULL,
    description_nl TEXT NOT NULL,
    description_en TEXT NOT NULL,
    source_nl      TEXT NOT NULL,
    source_en      TEXT NOT NULL,
    retired_at     TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE TABLE shared_decisions (
    id            INTEGER PRIMARY KEY,
    trajectory_id INTEGER NOT NULL REFERENCES trajectories (id),
    content       TEXT NOT NULL,
    created_by    INTEGER NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX shared_decisions_trajectory ON shared_decisions (trajectory_id);
