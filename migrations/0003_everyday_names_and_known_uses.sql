-- Beside IANA's records, kept apart from them: the names people use for IANA's services
-- (knowledge/everyday-names.csv) and vendor-documented uses of ports (knowledge/known-uses.csv),
-- both built into the binary and loaded by every seed; and what search needs to find a service
-- by its name's words run together ("sun rpc" -> sunrpc).
ALTER TABLE records ADD COLUMN service_joined TEXT;  -- service_folded without separators: 'sun-rpc' -> 'sunrpc'; NULL when unnamed
CREATE INDEX records_by_joined_name ON records (service_joined) WHERE service_joined IS NOT NULL;

ALTER TABLE registry_metadata ADD COLUMN knowledge_sha256 TEXT;  -- hex SHA-256 of the two files, as loaded

CREATE TABLE everyday_names (
    id          INTEGER PRIMARY KEY,   -- the file's order
    name        TEXT NOT NULL,         -- as people write it: 'dns', 'remote desktop'
    name_joined TEXT NOT NULL,         -- lower-cased, without separators, as search compares it
    service     TEXT NOT NULL,         -- the IANA service name it stands for, lower-cased
    port        INTEGER NOT NULL CHECK (port BETWEEN 0 AND 65535),
    source      TEXT NOT NULL          -- the RFC or IANA record it names, as a URL
);
CREATE INDEX everyday_names_by_joined ON everyday_names (name_joined);
CREATE INDEX everyday_names_by_service ON everyday_names (service);

CREATE TABLE known_uses (
    id           INTEGER PRIMARY KEY,  -- the file's order
    product      TEXT NOT NULL,
    names        TEXT NOT NULL,        -- other names it is searched by, joined by U+001F; '' when none
    names_joined TEXT NOT NULL,        -- ' ' + the product and each name lower-cased without separators + ' ', space-separated
    use          TEXT NOT NULL,
    transport    TEXT NOT NULL CHECK (transport = 'tcp' OR transport = 'udp' OR transport = 'sctp' OR transport = 'dccp'),
    port_first   INTEGER NOT NULL CHECK (port_first BETWEEN 0 AND 65535),
    port_last    INTEGER NOT NULL CHECK (port_last BETWEEN port_first AND 65535),
    vendor       TEXT NOT NULL,
    url          TEXT NOT NULL         -- the vendor's documentation of this use
);
CREATE INDEX known_uses_by_port ON known_uses (port_first, port_last);

CREATE VIRTUAL TABLE known_uses_fts USING fts5 (
    product, names, use, vendor,
    content = 'known_uses', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
