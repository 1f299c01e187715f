-- The IANA Service Name and Transport Protocol Port Number Registry, one row per CSV record.
-- The twelve IANA columns are kept exactly as the CSV has them ('' where IANA left a field empty);
-- the columns after them are derived at import for the queries.
CREATE TABLE records (
    id                        INTEGER PRIMARY KEY,   -- registry order: 1 = first CSV record
    service_name              TEXT NOT NULL,
    port_number               TEXT NOT NULL,
    transport_protocol        TEXT NOT NULL,
    description               TEXT NOT NULL,
    assignee                  TEXT NOT NULL,
    contact                   TEXT NOT NULL,
    registration_date         TEXT NOT NULL,
    modification_date         TEXT NOT NULL,
    reference                 TEXT NOT NULL,
    service_code              TEXT NOT NULL,
    unauthorized_use_reported TEXT NOT NULL,
    assignment_notes          TEXT NOT NULL,
    service_folded            TEXT,                  -- lower-cased service name; NULL when unnamed
    transport                 TEXT CHECK (transport IN ('tcp', 'udp', 'sctp', 'dccp')),
    port_first                INTEGER CHECK (port_first BETWEEN 0 AND 65535),
    port_last                 INTEGER CHECK (port_last BETWEEN port_first AND 65535),
    status                    TEXT NOT NULL CHECK (status IN ('assigned', 'reserved', 'unassigned')),
    CHECK ((port_first IS NULL) = (port_last IS NULL))
);

CREATE INDEX records_by_service ON records (service_folded) WHERE service_folded IS NOT NULL;

-- Every port each record covers (a range row covers each of its ports): "which records cover
-- port N" is one index seek instead of an interval scan.
CREATE TABLE port_coverage (
    port      INTEGER NOT NULL,
    record_id INTEGER NOT NULL REFERENCES records (id),
    PRIMARY KEY (port, record_id)
) WITHOUT ROWID;

-- The Reference column split into its bracketed references, brackets removed, in CSV order.
CREATE TABLE record_references (
    record_id INTEGER NOT NULL REFERENCES records (id),
    position  INTEGER NOT NULL,
    reference TEXT NOT NULL,
    PRIMARY KEY (record_id, position)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE records_fts USING fts5 (
    service_name, description, assignment_notes,
    content = 'records', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

-- Where the data came from; exactly one row once a seed has completed.
CREATE TABLE registry_metadata (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    source           TEXT NOT NULL,     -- CSV file path, or '-' for standard input
    csv_sha256       TEXT NOT NULL,     -- hex SHA-256 of the CSV bytes as read
    imported_at      TEXT NOT NULL,     -- UTC, ISO 8601
    record_count     INTEGER NOT NULL,
    newest_iana_date TEXT               -- latest Registration/Modification Date, as IANA writes it
);
