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
    public static func portReport(_ report: PortReport, listeners: [LocalHostReport.ServicedListener]? = nil,
                                  format: Format) -> [UInt8] {
        let lookup = report.lookup
        var json = JSONWriter(format: format)
        json.object { json in
            json.member("port", lookup.port)
            json.member("range", lookup.range.rawValue)
            json.member("status", lookup.status.rawValue)
            json.key("records")
            json.records(lookup.records)
            json.key("related")
            json.array(report.related) { json, port in
                json.object { json in
                    json.member("port", port.port)
                    json.member("service", port.service)
                    json.member("description", port.description)
                    json.key("reasons")
                    json.array(port.reasons) { $0.string($1) }
                }
            }
            json.key("everyday_names")
            json.array(report.everydayNames) { json, name in
                json.object { json in
                    json.member("name", name.name)
                    json.member("service", name.service)
                    json.member("source", name.source)
                }
            }
            json.key("known_uses")
            json.knownUses(report.knownUses)
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
            json.key("known_uses")
            json.knownUses(results.knownUses.map(\.knownUse))
        }
        return json.finished()
    }

    /// `{source, sha256, imported_at, record_count, newest_iana_date, site, attribution}`: what
    /// `GET /registry` answers. Sources are file names without their folders (where the server
    /// keeps its files is not its clients' business), URLs, or the built-in snapshot.
    public static func registryMetadata(_ metadata: RegistryMetadata, format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            // A seed stores a file's name, a URL or the snapshot's name; a path (from an older
            // seed) is shown by its file's name, never as where the server keeps it.
            json.member("source", metadata.source.hasPrefix("/") ? String(metadata.source.split(separator: "/").last ?? "/") : metadata.source)
            json.member("sha256", metadata.csvSHA256)
            json.member("imported_at", metadata.importedAt)
            json.member("record_count", metadata.recordCount)
            json.member("newest_iana_date", metadata.newestIANADate)
            json.key("site")
            if let site = metadata.site {
                json.object { json in
                    json.member("source", site.source)
                    json.member("sha256", site.sha256)
                    json.member("record_count", site.recordCount)
                }
            } else {
                json.null()
            }
            json.member("attribution", IANARegistry.attribution)
        }
        return json.finished()
    }

    /// `{since, added, removed, changed, limit, offset, changes}`: what `GET /registry/changes` answers.
    public static func changesAnswer(_ changes: RegistryChangeList, metadata: RegistryMetadata, limit: Int, offset: Int,
                              format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            json.key("since")
            if let previous = metadata.previous {
                json.object { json in
                    json.member("sha256", previous.csvSHA256)
                    json.member("newest_iana_date", previous.newestIANADate)
                }
            } else {
                json.null()
            }
            json.member("added", changes.counts.added)
            json.member("removed", changes.counts.removed)
            json.member("changed", changes.counts.changed)
            json.member("limit", limit)
            json.member("offset", offset)
            json.key("changes")
            json.array(changes.entries) { json, change in
                json.object { json in
                    json.member("change", change.kind.rawValue)
                    json.member("service", change.service)
                    json.member("ports", change.ports)
                    json.member("transport", change.transport)
                    json.member("description", change.description)
                    json.key("fields")
                    json.array(change.fields) { $0.string($1) }
                }
            }
        }
        return json.finished()
    }

    /// `{status: "ok"}`, or `{status: "degraded", reason}`: what `GET /healthz` answers while the
    /// registry served answers.
    public static func health(degradedBecause reason: String?, format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            json.member("status", reason == nil ? "ok" : "degraded")
            if let reason { json.member("reason", reason) }
        }
        return json.finished()
    }

    /// `{type, title, status, detail}`: RFC 9457's members, in its order.
    public static func problem(type: String, title: String, status: Int, detail: String, format: Format) -> [UInt8] {
        var json = JSONWriter(format: format)
        json.object { json in
            json.member("type", type)
            json.member("title", title)
            json.member("status", status)
            json.member("detail", detail)
        }
        return json.finished()
    }
}

extension JSONWriter {
    /// Known uses, portinfo's own table: `{product, use, ports, transport, vendor, url}` each.
    mutating func knownUses(_ uses: [KnownUse]) {
        array(uses) { json, use in
            json.object { json in
                json.member("product", use.product)
                json.member("use", use.use)
                json.key("ports")
                json.ports(use.ports)
                json.member("transport", use.transport.rawValue)
                json.member("vendor", use.vendor)
                json.member("url", use.url)
            }
        }
    }

    /// `{first, last}`, or null for a record with no ports.
    mutating func ports(_ ports: Record.Ports?) {
        guard let ports else { return null() }
        object { json in
            json.member("first", ports.first)
            json.member("last", ports.last)
        }
    }

    /// Record's keys in the order of Registry's `Record.CodingKeys`.
    mutating func record(_ record: Record) {
        object { json in
            json.member("service", record.service)
            json.member("transport", record.transport?.rawValue)
            json.key("ports")
            json.ports(record.ports)
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
            json.member("source", record.source.rawValue)
        }
    }

    mutating func records(_ records: [Record]) {
        array(records) { $0.record($1) }
    }

    /// The design's Listener (../shared/DESIGN.md): the socket, its owner where visible, and the IANA service for its port.
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
