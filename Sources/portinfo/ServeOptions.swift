import ArgumentParser
import HTTPServer
import HostState
import Logging
import PortInfoAPI
import Registry

/// `portinfo serve`'s options, in the order its help lists them. Each is a Setting declared below.
struct ServeOptions: ParsableArguments {
    // What to serve, where, and to which pages.
    @Option(.host) var host: String?
    @Option(.port) var port: Int?
    @OptionGroup var database: DatabaseOptions
    @Option(.csv) var csv: String?
    @Option(.sitePorts) var sitePorts: String?
    @Option(.corsOrigins) var corsOrigins: String?
    @Option(.cacheMaxAge) var cacheMaxAge: Int?

    // Local-host reporting.
    @Flag(.reportLocal) var reportLocal = false
    @Option(.localToken) var localToken: String?
    @Option(.localAllow) var localAllow: String?
    @Option(.localCorsOrigins) var localCorsOrigins: String?
    @Option(.localHosts) var localHosts: String?
    @Option(.scanMaxAge) var scanMaxAge: Double?
    @Flag(.exposeHostStateToAnyone) var exposeHostStateToAnyone = false

    // Queries.
    @Option(.queryThreads) var queryThreads: Int?
    @Option(.queryQueue) var queryQueue: Int?
    @Option(.queryTimeBudget) var queryTimeBudget: Double?
    @Option(.maxDatabaseSize) var maxDatabaseSize: Int?

    // Connections.
    @Option(.maxConnections) var maxConnections: Int?
    @Option(.maxConnectionsPerClient) var maxConnectionsPerClient: Int?
    @Option(.backlog) var backlog: Int32?
    @Option(.workerThreads) var workerThreads: Int?

    // What one request may be.
    @Option(.maxRequestLine) var maxRequestLine: Int?
    @Option(.maxHeaderSize) var maxHeaderSize: Int?
    @Option(.maxHeaderCount) var maxHeaderCount: Int?
    @Option(.maxBodySize) var maxBodySize: Int?

    // How long a client may take.
    @Option(.headerTimeout) var headerTimeout: Double?
    @Option(.idleTimeout) var idleTimeout: Double?
    @Option(.writeTimeout) var writeTimeout: Double?
    @Option(.maxRequestsPerConnection) var maxRequestsPerConnection: Int?
    @Option(.shutdownGrace) var shutdownGrace: Double?

    // Logging.
    @Option(.logLevel) var logLevel: Logger.Level?
    @Option(.logFormat) var logFormat: LogFormat?
    @Option(.accessLog) var accessLog: Switch?
}

/// Text, taken as given; commas separate a list's items.
extension Setting<String> {
    static var host: Self {
        .init("host", "Address to listen on; :: is every IPv6 and IPv4 address.", valueName: "address",
              default: HTTPServerConfiguration().host)
    }

    static var csv: Self {
        .init("csv", """
            Seed the database first from this IANA CSV (or - for standard input) when it is missing or was seeded from a \
            different CSV. Without it and without a database, the built-in snapshot is seeded there (or served from memory \
            when the path cannot be written).
            """, valueName: "file|-")
    }

    static var sitePorts: Self {
        .init("site-ports", """
            A site's own port assignments, served beside IANA's records (and watched like the database): a CSV with IANA's \
            column names.
            """, valueName: "file")
    }

    static var corsOrigins: Self {
        .init("cors-origins", "Origins allowed to read registry answers from a browser, comma-separated, or *.", valueName: "origins",
              default: "*")
    }

    static var localToken: Self {
        .init("local-token", """
            With --report-local: require Authorization: Bearer TOKEN for local-host reports (401 otherwise). Prefer the \
            variable: a flag shows in ps.
            """, valueName: "token")
    }

    static var localAllow: Self {
        .init("local-allow", """
            With --report-local: only clients in these networks (CIDR, comma-separated) may see local-host reports (403 \
            otherwise).
            """, valueName: "networks", unset: "any")
    }

    static var localCorsOrigins: Self {
        .init("local-cors-origins", "With --report-local: origins whose pages may read local-host reports, comma-separated.",
              valueName: "origins", unset: "none")
    }

    static var localHosts: Self {
        .init("local-hosts", """
            With --report-local and no token: host names, comma-separated, that requests for local-host reports may be \
            addressed to, beside IP addresses and localhost (403 otherwise; against DNS rebinding).
            """, valueName: "names", unset: "none")
    }
}

/// Switches: off unless the flag or the variable turns them on.
extension Setting<Bool> {
    static var reportLocal: Self {
        .init(switch: "report-local", """
            Report this host's listening sockets (/listeners, /free-ports, listeners in /ports answers): they show process \
            names to whoever may ask, so on an address other than loopback it needs --local-token or --local-allow.
            """)
    }

    static var exposeHostStateToAnyone: Self {
        .init(switch: "expose-host-state-to-anyone", """
            With --report-local on an address other than loopback: serve host state with neither token nor allow-list, to \
            anyone who reaches the server (refused otherwise).
            """)
    }
}

/// Whole numbers within bounds.
extension Setting<Int> {
    static var port: Self {
        .init("port", "TCP port the server listens on.", valueName: "port", default: HTTPServerConfiguration().port, in: 0...65535)
    }

    static var cacheMaxAge: Self {
        .init("cache-max-age", "Cache-Control max-age of registry answers, in seconds.", valueName: "seconds", default: 3600, in: 0...Int.max)
    }

    static var queryThreads: Self {
        // More would each hold a database connection for no gain.
        .init("query-threads", "Threads that run SQLite queries and /proc scans, off the threads answering connections.",
              default: { APIConfiguration.defaultQueryThreads }, described: "two per processor", in: 1...256)
    }

    static var queryQueue: Self {
        .init("query-queue", "Requests that may wait for a query thread; more are answered 503 with Retry-After.",
              default: APIConfiguration.defaultQueryQueueLength, in: 1...Int.max)
    }

    static var maxDatabaseSize: Self {
        // A registry of a few records takes some 100 KB; past 1 GiB, a load's copies would take gigabytes of memory.
        .init("max-database-size", "Largest registry database file loaded, in bytes; a larger one is refused unread.",
              valueName: "bytes", default: RegistryLoad.defaultMaximumDatabaseBytes, in: (64 << 10)...(1 << 30))
    }

    static var maxConnections: Self {
        .init("max-connections", "Connections open at once; more are answered 503.", default: HTTPLimits().maxConnections, in: 1...Int.max)
    }

    static var maxConnectionsPerClient: Self {
        .init("max-connections-per-client", "Connections one client address may hold open at once; more are answered 503.",
              default: HTTPLimits().maxConnectionsPerClient, in: 1...Int.max)
    }

    static var workerThreads: Self {
        .init("worker-threads", "Threads serving connections: reading, writing, and answering what is in memory.",
              default: { UsableProcessors.count() },
              described: "one per processor this process may use, by its CPU affinity and cgroup CPU limit", in: 1...Int.max)
    }

    static var maxRequestLine: Self {
        .init("max-request-line", "Longest request line in bytes; longer is 414.", valueName: "bytes",
              default: HTTPLimits().maxRequestLineLength, in: 1...Int.max)
    }

    static var maxHeaderSize: Self {
        .init("max-header-size", "Largest header section in bytes; larger is 431.", valueName: "bytes",
              default: HTTPLimits().maxHeaderSectionSize, in: 1...Int.max)
    }

    static var maxHeaderCount: Self {
        .init("max-header-count", "Most header fields in a request; more is 431.", default: HTTPLimits().maxHeaderCount, in: 1...Int.max)
    }

    static var maxBodySize: Self {
        .init("max-body-size", "Largest request body read (and discarded) in bytes; larger is 413.", valueName: "bytes",
              default: HTTPLimits().maxBodySize, in: 0...Int.max)
    }

    static var maxRequestsPerConnection: Self {
        .init("max-requests-per-connection", "Requests answered on one connection before it is closed.",
              default: HTTPLimits().maxRequestsPerConnection, in: 1...Int.max)
    }
}

extension Setting<Int32> {
    static var backlog: Self {
        .init("backlog", "Pending connections the kernel may queue.", default: HTTPServerConfiguration().backlog, in: 0...Int32.max)
    }
}

/// Durations, in seconds.
extension Setting<Double> {
    static var scanMaxAge: Self {
        .init("scan-max-age", "With --report-local: seconds one scan of the host's sockets answers for; 0 scans for every request.",
              default: .seconds(1), zeroAllowed: true)
    }

    static var queryTimeBudget: Self {
        .init("query-time-budget", """
            Seconds one SQLite statement may take in all, waits for a processor included; one that takes longer (or more \
            than 0.25 s of CPU time) is stopped and answered 503 with Retry-After.
            """, default: RegistryStore.defaultStatementBudget.wall)
    }

    static var headerTimeout: Self {
        .init("header-timeout", "Seconds a client has to send a request's header section; slower is 408.", default: HTTPLimits().headerTimeout)
    }

    static var idleTimeout: Self {
        .init("idle-timeout", "Seconds an idle kept-alive connection stays open.", default: HTTPLimits().idleTimeout)
    }

    static var writeTimeout: Self {
        .init("write-timeout", "Seconds a client may take none of the answer waiting for it before its connection is closed.",
              default: HTTPLimits().writeTimeout)
    }

    static var shutdownGrace: Self {
        .init("shutdown-grace", "Seconds requests in flight get to finish on shutdown.", default: HTTPLimits().shutdownGracePeriod)
    }
}

extension Setting<Logger.Level> {
    static var logLevel: Self {
        .init("log-level", "The least severe level logged.", default: .info)
    }
}

extension Setting<LogFormat> {
    static var logFormat: Self {
        .init("log-format", "How log lines look.", default: .text)
    }
}

extension Setting<Switch> {
    static var accessLog: Self {
        .init("access-log", "Log a line per request (benchmarks do without).", default: .on)
    }
}

/// `on` or `off`.
enum Switch: String, ExpressibleByArgument, CaseIterable, Sendable {
    case on, off
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
