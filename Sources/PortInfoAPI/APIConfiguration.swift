import Logging
import Prometheus
import Registry

/// How `PortInfoAPI` serves: from which database, to which browser pages, for how long caches
/// may keep its answers, into which registry it records its metrics.
public struct APIConfiguration: Sendable {
    /// The registry database `portinfo seed` built. Loaded whole into memory; `checkRegistry`
    /// switches to what is there when it changes (a re-seed, say).
    public var databasePath: String

    /// A site's own port file, whose records are served beside IANA's in place of any the
    /// database holds; watched like the database.
    public var sitePortsPath: String?

    /// What is served while there is no database at `databasePath` (the built-in snapshot, held
    /// in memory); nil: a missing database is an error.
    public var fallbackImage: RegistryImage?

    /// The origins whose browser pages may read the API's answers (CORS). `["*"]`, the default,
    /// lets any page read them; otherwise list exact origins as browsers send them, scheme, host
    /// and port without a path (`https://wiki.example.com`, `http://localhost:8080`); `[]` lets none.
    public var allowedOrigins: [String]

    /// How many seconds browsers and shared caches may reuse a registry answer (`/ports`,
    /// `/services`, `/search`, `/registry`) before asking again (`Cache-Control: public,
    /// max-age=N`); after that an `If-None-Match` revalidation costs them a 304. At least 0.
    public var cacheMaxAge: Int

    /// Local-host reporting (`/listeners`, `/free-ports`, listeners in `/ports` answers): nil, the
    /// default, keeps it off.
    public var localReporting: LocalReporting?

    /// Threads that run what touches SQLite or /proc (QueryThreadPool), and one registry store
    /// each. At least 1; two a processor by default.
    public var queryThreads: Int

    /// Requests that may wait for a query thread; one more is answered 503 with `Retry-After`.
    /// At least 1; 1024 by default (QueryThreadPool says why).
    public var queryQueueLength: Int

    /// How long one SQLite statement may take in all, waits for a processor included, before it
    /// is stopped and its request answered 503 with `Retry-After` (`query-timed-out`): the
    /// backstop behind the CPU-time budget that counts (`statementBudget`). More than 0;
    /// RegistryStore's (2 s) by default.
    public var queryTimeBudget: Duration

    /// The largest registry database file loaded; a larger one is refused unread. 64 MiB by default.
    public var maximumDatabaseBytes: Int

    /// Where the API records its metrics, and what `/metrics` shows: anything else recorded there
    /// (through a swift-metrics factory on it, say) shows too. A new one by default.
    public var metricsRegistry: PrometheusCollectorRegistry

    /// Where a line for each response goes (client, method, target, status, bytes, µs; or the
    /// refusal's status and reason); nil: nowhere.
    public var accessLog: Logger?

    public init(databasePath: String, sitePortsPath: String? = nil, fallbackImage: RegistryImage? = nil,
                allowedOrigins: [String] = ["*"], cacheMaxAge: Int = 3600,
                localReporting: LocalReporting? = nil, queryThreads: Int = defaultQueryThreads,
                queryQueueLength: Int = defaultQueryQueueLength,
                queryTimeBudget: Duration = RegistryStore.defaultStatementBudget.wall,
                maximumDatabaseBytes: Int = RegistryLoad.defaultMaximumDatabaseBytes,
                metricsRegistry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), accessLog: Logger? = nil) {
        self.databasePath = databasePath
        self.sitePortsPath = sitePortsPath
        self.fallbackImage = fallbackImage
        self.allowedOrigins = allowedOrigins
        self.cacheMaxAge = cacheMaxAge
        self.localReporting = localReporting
        self.queryThreads = queryThreads
        self.queryQueueLength = queryQueueLength
        self.queryTimeBudget = queryTimeBudget
        self.maximumDatabaseBytes = maximumDatabaseBytes
        self.metricsRegistry = metricsRegistry
        self.accessLog = accessLog
    }

    /// What one statement may take: RegistryStore's CPU time, and `queryTimeBudget` in all.
    var statementBudget: TimeBudget {
        TimeBudget(cpu: RegistryStore.defaultStatementBudget.cpu, wall: queryTimeBudget)
    }

    public static let defaultQueryThreads = QueryThreadPool.defaultThreadCount
    public static let defaultQueryQueueLength = QueryThreadPool.defaultQueueLength
}
