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
    -- (OR chains, not IN lists: SQLite builds a temporary table for each IN check of each insert)
    transport                 TEXT CHECK (transport = 'tcp' OR transport = 'udp' OR transport = 'sctp' OR transport = 'dccp'),
    port_first                INTEGER CHECK (port_first BETWEEN 0 AND 65535),
    port_last                 INTEGER CHECK (port_last BETWEEN port_first AND 65535),
    status                    TEXT NOT NULL CHECK (status = 'assigned' OR status = 'reserved' OR status = 'unassigned'),
    CHECK ((port_first IS NULL) = (port_last IS NULL))
);

CREATE INDEX records_by_service ON records (service_folded) WHERE service_folded IS NOT NULL;

-- "Which records cover port N": single-port rows by an exact match; range rows (a few hundred) by a
-- short scan of those starting no further below N than the widest range spans.
CREATE INDEX records_by_port ON records (port_first, port_last);
CREATE INDEX records_ranges ON records (port_first, port_last) WHERE port_last > port_first;

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
    tokenize = 'unicode61 remove_diacritics 2',
    columnsize = 0   -- no per-row size table: a third faster to build; ranking re-reads sizes instead
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
