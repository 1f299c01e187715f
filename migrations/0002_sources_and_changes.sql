-- A site's own port assignments beside IANA's records, each record's presentation decoded once
-- when it is seeded (read back as it is, never parsed again), and what the seed that made this
-- database changed since the database it replaced.
ALTER TABLE records ADD COLUMN source TEXT NOT NULL DEFAULT 'iana' CHECK (source = 'iana' OR source = 'site');
ALTER TABLE records ADD COLUMN assignee_names TEXT;  -- `[A][B]` as "A, B"; NULL when empty
ALTER TABLE records ADD COLUMN contact_names TEXT;
ALTER TABLE records ADD COLUMN reference_list TEXT;  -- references without brackets, joined by U+001F; NULL when none

ALTER TABLE registry_metadata ADD COLUMN site_source TEXT;   -- the site file's name; NULL without one
ALTER TABLE registry_metadata ADD COLUMN site_sha256 TEXT;   -- hex SHA-256 of its bytes
ALTER TABLE registry_metadata ADD COLUMN site_record_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registry_metadata ADD COLUMN previous_csv_sha256 TEXT;       -- what the changes are from; NULL for a first seed
ALTER TABLE registry_metadata ADD COLUMN previous_newest_iana_date TEXT;

-- IANA's records added, removed and changed since the previous database, matched by service
-- name, port number and transport (and order among rows sharing all three), in that order.
CREATE TABLE registry_changes (
    position           INTEGER PRIMARY KEY,
    change             TEXT NOT NULL CHECK (change = 'added' OR change = 'removed' OR change = 'changed'),
    service_name       TEXT NOT NULL,
    port_number        TEXT NOT NULL,
    transport_protocol TEXT NOT NULL,
    description        TEXT NOT NULL,  -- the new record's; the old one's when removed
    fields             TEXT            -- 'changed': what differs, as Record's JSON keys, comma-separated
);
