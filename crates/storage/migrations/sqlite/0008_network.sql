-- The client's network (issue 3, seed 003): who helps, whether the client asks them, carer load.
CREATE TABLE network_members (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    name        TEXT NOT NULL,
    relation    TEXT NOT NULL,
    contact     TEXT,
    helps_with  TEXT,
    how_often   TEXT,
    asks        TEXT NOT NULL CHECK (asks IN ('asks', 'could_but_does_not')),
    carer_load     INTEGER CHECK (carer_load BETWEEN 0 AND 10),
    carer_capacity INTEGER CHECK (carer_capacity BETWEEN 0 AND 10),
    created_by  INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX network_members_client ON network_members (client_id);
ALTER TABLE clients ADD COLUMN network_summary TEXT CHECK (network_summary IN ('asks_enough', 'has_people_but_does_not_ask', 'too_few_people'));
ALTER TABLE clients ADD COLUMN network_balance TEXT CHECK (network_balance IN ('in_balance', 'receives_more', 'gives_more'));
