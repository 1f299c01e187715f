import HostState
import Registry

/// The API's JSON bodies, for the server and for the CLI's `--json` alike: UTF-8, keys in the
/// order openapi.yaml lists them, missing values as `null`, ended by a newline.
public enum APIJSON {
    public enum Format: Sendable {
        /// One line: what the API answers by default.
        case compact
        /// Indented by two spaces: the API's `?pretty`, and the CLI's `--json`.
        case pretty
    }

    /// `{port, range, status, records}`: what `GET /ports/{port}` answers; with local-host
    /// reporting, `listeners` too (those on that port).
    public static func portLookup(_ lookup: PortLookup, listeners: [LocalHostReport.ServicedListener]? = nil,
                                  format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            json.member("port", lookup.port)
            json.member("range", lookup.range.rawValue)
            json.member("status", lookup.status.rawValue)
            json.key("records")
            json.records(lookup.records)
            if let listeners {
                json.key("listeners")
                json.listeners(listeners)
            }
        }
        return json.finished()
    }

    /// `{host, listeners}`: what `GET /listeners` answers.
    public static func listenersAnswer(host: String, listeners: [LocalHostReport.ServicedListener], format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            json.member("host", host)
            json.key("listeners")
            json.listeners(listeners)
        }
        return json.finished()
    }

    /// `{range, transport, from, ports}`: what `GET /free-ports` answers.
    public static func freePortsAnswer(range: PortRange, transport: String?, from: Int, ports: [Int], format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            json.member("range", range.rawValue)
            json.member("transport", transport)
            json.member("from", from)
            json.key("ports")
            json.array(ports) { $0.int($1) }
        }
        return json.finished()
    }

    /// `{service, records}`: what `GET /services/{name}` answers; `name` as it was asked for.
    public static func serviceAnswer(name: String, records: [Record], format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            json.member("service", name)
            json.key("records")
            json.records(records)
        }
        return json.finished()
    }

    /// `{query, total, results}`: what `GET /search` answers.
    public static func searchAnswer(query: String, results: SearchResults, format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            json.member("query", query)
            json.member("total", results.total)
            json.key("results")
            json.records(results.records)
        }
        return json.finished()
    }

    /// One Record, as it appears in the answers' `records` and `results`.
    public static func record(_ record: Record, format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.record(record)
        return json.finished()
    }

    /// `{source, sha256, imported_at, record_count, newest_iana_date}`: what `GET /registry` answers.
    /// The source is the CSV's file name without its folders: where the server keeps its files is
    /// not its clients' business.
    public static func registryMetadata(_ metadata: RegistryMetadata, format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            json.member("source", String(metadata.source.split(separator: "/").last ?? "/"))
            json.member("sha256", metadata.csvSHA256)
            json.member("imported_at", metadata.importedAt)
            json.member("record_count", metadata.recordCount)
            json.member("newest_iana_date", metadata.newestIANADate)
        }
        return json.finished()
    }

    /// `{status: "ok"}`: what `GET /healthz` answers while the database answers.
    static func health(format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { $0.member("status", "ok") }
        return json.finished()
    }

    /// `{type, title, status, detail}`: RFC 9457's members, in its order.
    static func problem(_ problem: Problem, format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            json.member("type", problem.kind.type)
            json.member("title", problem.kind.title)
            json.member("status", problem.kind.status)
            json.member("detail", problem.detail)
        }
        return json.finished()
    }
}

extension JSONWriter {
    /// Record's keys in the order of Registry's `Record.CodingKeys`.
    mutating func record(_ record: Record) {
        object { json in
            json.member("service", record.service)
            json.member("transport", record.transport?.rawValue)
            json.key("ports")
            if let ports = record.ports {
                json.object { json in
                    json.member("first", ports.first)
                    json.member("last", ports.last)
                }
            } else {
                json.null()
            }
            json.member("description", record.description)
            json.member("assignee", record.assignee)
            json.member("contact", record.contact)
            json.member("registered", record.registered)
            json.member("modified", record.modified)
            json.key("references")
            json.array(record.references) { $0.string($1) }
            json.member("service_code", record.serviceCode)
            json.member("unauthorized_use", record.unauthorizedUse)
            json.member("notes", record.notes)
            json.member("status", record.status.rawValue)
        }
    }

    mutating func records(_ records: [Record]) {
        array(records) { $0.record($1) }
    }

    /// DESIGN.md's Listener: the socket, its owner where visible, and the IANA service for its port.
    mutating func listeners(_ listeners: [LocalHostReport.ServicedListener]) {
        array(listeners) { json, serviced in
            let listener = serviced.listener
            json.object { json in
                json.member("transport", listener.transport.rawValue)
                json.member("family", listener.family.rawValue)
                json.member("address", listener.address)
                json.member("port", listener.port)
                json.key("pid")
                if let pid = listener.pid { json.int(pid) } else { json.null() }
                json.member("process", listener.process)
                json.member("user", listener.user)
                json.member("service", serviced.service)
            }
        }
    }
}
