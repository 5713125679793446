-- The client's personal details (issue 3). Nullable: clients registered before this have none.
ALTER TABLE clients ADD COLUMN date_of_birth TEXT;
ALTER TABLE clients ADD COLUMN phone TEXT;
ALTER TABLE clients ADD COLUMN email TEXT;
ALTER TABLE clients ADD COLUMN street TEXT;
ALTER TABLE clients ADD COLUMN house_number TEXT;
ALTER TABLE clients ADD COLUMN postcode TEXT;
ALTER TABLE clients ADD COLUMN city TEXT;
ALTER TABLE clients ADD COLUMN bsn TEXT;
ALTER TABLE clients ADD COLUMN living_situation TEXT CHECK (living_situation IN ('alone', 'with_partner', 'with_others', 'institution'));
ALTER TABLE clients ADD COLUMN referrer TEXT;
ALTER TABLE clients ADD COLUMN updated_at TEXT;
-- One person, one record: a BSN appears at most once.
CREATE UNIQUE INDEX clients_bsn ON clients (bsn) WHERE bsn IS NOT NULL;
