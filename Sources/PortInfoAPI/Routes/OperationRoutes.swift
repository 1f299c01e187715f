import PortInfoPages
import PortInfoReports
import Registry

extension PortInfoAPI {
    /// `/registry`: where the registry served came from, from memory.
    func registryAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        let bodies = request.generation.registryBodies
        return .now(.json(request.format == .pretty ? bodies.pretty : bodies.compact, caching: .registryDescription(request.format),
                          context: request.context))
    }

    /// `/registry/changes`: what the seed that made this registry changed in IANA's records.
    func changesAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        let limit = try request.query.integer("limit", from: 1, to: Self.maximumChangesLimit) ?? Self.defaultChangesLimit
        let offset = try request.query.integer("offset", from: 0) ?? 0
        let (generation, format, context) = (request.generation, request.format, request.context)
        return .query { [self] () throws(Problem) in
            let changes = try fromRegistry(generation) { try $0.changes(limit: limit, offset: offset) }
            return .json(APIJSON.changesAnswer(changes, metadata: generation.metadata, limit: limit, offset: offset, format: format),
                         caching: .registryChanges(format), context: context)
        }
    }

    /// A page of `/registry/changes` holds at most this many records (a re-seed a year apart
    /// changes some hundreds).
    static let maximumChangesLimit = 1000
    static let defaultChangesLimit = 100

    /// `/healthz`, from what the API holds and what its registry watcher last found on disk, never
    /// waiting for either: the registry is served from memory, so only a database damaged when it
    /// was loaded makes it unhealthy; a file that cannot be taken leaves it serving the registry
    /// held (degraded).
    func healthAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        let generation = request.generation
        if generation.damage != nil {
            throw Problem(.registryUnavailable, "the registry database failed SQLite's integrity check when it was loaded: re-seed it")
        }
        let degraded = registry.degradedReason.map { reason in
            "\(reason): serving the registry loaded before, seeded \(generation.metadata.importedAt)"
        }
        return .now(.json(APIJSON.health(degradedBecause: degraded, format: request.format), caching: .noStore, context: request.context))
    }

    /// `/openapi.yaml`, the API's description, as the binary carries it.
    func openAPISpecAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        .now(Answer(status: 200, contentType: "application/yaml", body: openAPISpecBody, caching: .unstated, context: request.context))
    }

    /// `/metrics`, as of now.
    func metricsAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        .now(Answer(status: 200, contentType: "text/plain; version=0.0.4; charset=utf-8", body: metrics.page(), caching: .noStore,
                    context: request.context))
    }

    /// `/widget.js`, the wiki widget, with a tag of its own.
    func widgetAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        .now(Answer(status: 200, contentType: Answer.javaScriptContentType, body: Widget.script, caching: .asset(widgetTag),
                    context: request.context))
    }
}
