import Basics
import HostState
import Logging
import Registry
import Synchronization

/// Which registry the API serves, and the files it comes from: loads the database (and the site
/// file) when the API starts, and again whenever a check finds them changed, switching to what
/// they hold only when it is whole and sound. What cannot be served (a file gone, unreadable, not
/// a regular file, too large, truncated, damaged, not a registry of this binary's schema, a load
/// past its budget, a bad site file) is not switched to: the registry held is served still, whole,
/// and `/healthz` says degraded, with why, until a sound one is in place. Every file is opened
/// without blocking, and every load ends within `RegistryLoad.serverBudget`.
final class RegistryWatcher: Sendable {
    private let configuration: APIConfiguration
    private let scanner: ListenerScanner?
    private let metrics: PortInfoMetrics
    private let logger = Logger(label: "portinfo.registry")
    /// The registry served now; each request takes it once, as it begins.
    private let current: Mutex<RegistryGeneration>
    private let watch: Mutex<RegistryWatch>

    /// Loads the registry to serve first: the database at `configuration.databasePath` (or the
    /// fallback image when there is none) with the site file's records; throws what keeps it from
    /// being served (RegistryError, MigrationError).
    init(configuration: APIConfiguration, scanner: ListenerScanner?, metrics: PortInfoMetrics) throws {
        self.configuration = configuration
        self.scanner = scanner
        self.metrics = metrics
        let file = WatchedFileState(path: configuration.databasePath)
        let siteFile = configuration.sitePortsPath.map(WatchedFileState.init(path:))
        let (first, _) = try Self.load(configuration: configuration, file: file, siteFile: siteFile, scanner: scanner, serving: nil)
        current = Mutex(first)
        watch = Mutex(RegistryWatch(file: file, siteFile: siteFile))
        metrics.registryLoaded(first.metadata)
        if let damage = first.damage {
            logger.critical("the registry database failed SQLite's quick_check: re-seed it",
                            metadata: ["database": "\(configuration.databasePath)", "found": "\(damage)"])
        }
        first.clashes.lines(prefix: "site ports: ").forEach { logger.warning("\($0)") }
    }

    /// The registry served now.
    var generation: RegistryGeneration { current.withLock { $0 } }

    /// Why `/healthz` says degraded now, or nil.
    var degradedReason: String? { watch.withLock { $0.degradedReason(at: .now) } }

    /// Looks at the files, and when either changed since last time (or `force`), loads them and
    /// switches to the registry they now hold, logging what changed and counting it. Call it from
    /// one thread at a time (the server calls it every second, and on SIGHUP); it never holds up
    /// a request.
    func check(force: Bool = false) {
        let path = configuration.databasePath
        let file = WatchedFileState(path: path)
        let siteFile = configuration.sitePortsPath.map(WatchedFileState.init(path:))
        let seen = watch.withLock { watch in
            watch.began(at: .now)
            return watch
        }
        guard seen.needsLook(file: file, siteFile: siteFile, force: force) else {
            watch.withLock { $0.ended(at: .now) }
            return
        }
        let serving = generation
        var problem: RegistryWatch.Problem?
        switch file {
        case .missing where serving.file != nil:
            problem = .init(reason: "the database file was deleted", detail: "\(path) is gone")
        case .missing where siteFile == serving.siteFile && !force:
            break // serving the fallback, and nothing of it changed
        case let .unusable(access):
            let reason = FileAccessError(path: path, problem: access).reason
            problem = .init(reason: "the database file \(reason)", detail: "\(path) \(reason)")
        default:
            do {
                let (next, changes) = try Self.load(configuration: configuration, file: file, siteFile: siteFile, scanner: scanner,
                                                    serving: serving)
                if let damage = next.damage {
                    problem = .init(reason: "the database file fails SQLite's quick_check", detail: "\(path): \(damage)")
                } else if next.identity != serving.identity || serving.damage != nil {
                    switchTo(next, from: serving, changes: changes)
                }
            } catch RegistryError.databaseBusy {
                // A writer holds the file: the next check looks again.
                watch.withLock { $0.ended(at: .now) }
                return
            } catch {
                problem = Self.problem(loading: error, path: path)
            }
        }
        watch.withLock { $0.looked(file: file, siteFile: siteFile, problem: problem, at: .now) }
        if let problem, problem != seen.problem {
            logger.error("not switching registries: \(problem.detail); the registry held is served still")
        } else if problem == nil, seen.problem != nil {
            logger.notice("the registry files are sound again")
        }
    }

    /// Why a load failed, for `/healthz` (no paths, nothing of the files) and for the log.
    private static func problem(loading error: any Error, path: String) -> RegistryWatch.Problem {
        switch error as? RegistryError {
        case let .invalidSitePorts(sitePath, line, reason)?:
            .init(reason: "the site ports file cannot be read", detail: "\(sitePath)\(line.map { " line \($0)" } ?? ""): \(reason)")
        case let .unreadableDatabase(access)?:
            .init(reason: "the database file \(access.reason)", detail: "\(access)")
        case .loadTimedOut?:
            .init(reason: "loading the registry files was abandoned at its time budget", detail: "\(path): \(error)")
        default:
            .init(reason: "the database file is not a portinfo registry this server can serve", detail: "\(path): \(error)")
        }
    }

    private func switchTo(_ next: RegistryGeneration, from serving: RegistryGeneration, changes: RegistryChanges?) {
        current.withLock { $0 = next }
        metrics.registryLoaded(next.metadata)
        metrics.registryReloaded()
        let summary = changes.map { "\($0.added) added, \($0.removed) removed, \($0.changed) changed" } ?? "changes not counted"
        logger.notice("""
            switched to a new registry: \(next.metadata.recordCount) records from \(next.metadata.source), \
            newest IANA date \(next.metadata.newestIANADate ?? "none"); since the one before: \(summary)
            """)
        next.clashes.lines(prefix: "site ports: ").forEach { logger.warning("\($0)") }
    }

    /// The registry in the database file (with the site file's records, when there is one), or
    /// the fallback image when there is no file; and, beside `serving`, how IANA's records changed.
    /// One load, under `RegistryLoad.serverBudget`.
    private static func load(configuration: APIConfiguration, file: WatchedFileState, siteFile: WatchedFileState?,
                             scanner: ListenerScanner?, serving: RegistryGeneration?) throws -> (RegistryGeneration, RegistryChanges?) {
        let load = RegistryLoad(budget: RegistryLoad.serverBudget, maximumDatabaseBytes: configuration.maximumDatabaseBytes)
        let image = if file.isMissing, let fallback = configuration.fallbackImage {
            try load.copy(of: fallback)
        } else {
            try load.image(fromDatabase: configuration.databasePath)
        }
        let clashes = try configuration.sitePortsPath.map { try load.replaceSitePorts(in: image, with: load.sitePorts(at: $0)) } ?? .none
        let next = try RegistryGeneration(image: image, file: file.isMissing ? nil : file, siteFile: siteFile, clashes: clashes,
                                          configuration: configuration, scanner: scanner, load: load)
        return (next, serving.flatMap { try? load.changes(from: $0.image, to: image) })
    }
}
