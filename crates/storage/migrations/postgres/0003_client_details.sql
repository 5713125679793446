-- The client's personal details (issue 3). Nullable: clients registered before this have none.
ALTER TABLE clients
    ADD COLUMN date_of_birth DATE,
    ADD COLUMN phone TEXT,
    ADD COLUMN email TEXT,
    ADD COLUMN street TEXT,
    ADD COLUMN house_number TEXT,
    ADD COLUMN postcode TEXT,
    ADD COLUMN city TEXT,
    ADD COLUMN bsn TEXT,
    ADD COLUMN living_situation TEXT CHECK (living_situation IN ('alone', 'with_partner', 'with_others', 'institution')),
    ADD COLUMN referrer TEXT,
    ADD COLUMN updated_at TIMESTAMPTZ;
-- One person, one record: a BSN appears at most once.
CREATE UNIQUE INDEX clients_bsn ON clients (bsn) WHERE bsn IS NOT NULL;
