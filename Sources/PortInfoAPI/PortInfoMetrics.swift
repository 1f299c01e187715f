import Basics
import CoreMetrics
import Prometheus
import Registry
import Synchronization

/// The server's metrics, recorded through swift-metrics into a Prometheus registry and rendered
/// from it for `/metrics`. It hears of connections and responses from the API's server delegate,
/// of listener scans from the scanner; the registry's size and age come from its metadata.
final class PortInfoMetrics: Sendable {
    enum Name {
        static let requests = "portinfo_http_requests_total"
        static let requestDuration = "portinfo_http_request_duration_seconds"
        static let openConnections = "portinfo_http_open_connections"
        static let rejectedConnections = "portinfo_http_rejected_connections_total"
        static let registryRecords = "portinfo_registry_records"
        static let registryAge = "portinfo_registry_age_seconds"
        static let registryReloads = "portinfo_registry_reloads_total"
        static let listenerScanDuration = "portinfo_listener_scan_duration_seconds"
        static let busyRefusals = "portinfo_query_queue_full_total"
        static let waitingQueries = "portinfo_query_queue_waiting"
        static let malformedListenerLines = "portinfo_listener_malformed_lines_total"
    }

    /// swift-metrics has no place for help text: the page gains it when rendered.
    static let help = [
        Name.requests: "Requests answered, by route template (other: no route, or refused by the HTTP layer), method and status.",
        Name.requestDuration: "Seconds from a request parsed to its response ready to send, by route template.",
        Name.openConnections: "Client connections open.",
        Name.rejectedConnections: "Connections answered 503 and closed because the connection limit was reached.",
        Name.registryRecords: "Records in the registry database being served.",
        Name.registryAge: "Seconds since the registry's newest IANA registration or modification date (since its import when it has none).",
        Name.registryReloads: "Times the server switched to a new registry (a re-seed, a replaced database) without a restart.",
        Name.listenerScanDuration: "Seconds one scan of the host's listening sockets took.",
        Name.busyRefusals: "Requests answered 503 because the query queue was full.",
        Name.waitingQueries: "Requests waiting for a query thread, as of this scrape.",
        Name.malformedListenerLines: "Lines of /proc/net socket tables that scans could not read and left out.",
    ]

    /// Answers from memory take microseconds, searches up to milliseconds; a second is very slow.
    static let requestDurationBuckets: [Duration] = [
        .microseconds(10), .microseconds(25), .microseconds(50), .microseconds(100), .microseconds(250),
        .microseconds(500), .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10),
        .milliseconds(25), .milliseconds(100), .seconds(1),
    ]
    /// Reading /proc takes milliseconds, more with many processes and sockets.
    static let listenerScanDurationBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1), .milliseconds(2500),
    ]

    private let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// The request series' recorders, each made on the series' first request: asking the
    /// registry for them every time would cost more than answering a request from memory.
    private let recorders = Mutex(Recorders())
    private let openConnections: Meter
    private let rejectedConnections: CoreMetrics.Counter
    private let busyRefusals: CoreMetrics.Counter
    /// Read when the page is rendered: a gauge moved by every query would cost each a lock.
    private let waitingQueries: (meter: Meter, count: @Sendable () -> Int)
    private let registryRecords: Meter
    private let registryAgeMeter: Meter
    /// The registry served now: how old its data is (nil when its dates cannot be read).
    private let registryAge = Mutex<RegistryAge?>(nil)
    private let registryReloads: CoreMetrics.Counter
    /// nil when local-host reporting is off: the server never scans.
    private let listenerScanDuration: CoreMetrics.Timer?
    private let malformedListenerLines: CoreMetrics.Counter?

    private struct Recorders {
        var answered: [RequestSeries: (requests: CoreMetrics.Counter, duration: CoreMetrics.Timer)] = [:]
        /// By status: refused requests differ in nothing else.
        var refused: [Int: CoreMetrics.Counter] = [:]
    }


    /// Records into `registry` the metrics of an API serving the registry `metadata`, scanning
    /// the host's listeners or not, whose query queue holds `waitingQueries()` requests.
    init(registry: PrometheusCollectorRegistry, scansListeners: Bool,
         waitingQueries: @escaping @Sendable () -> Int) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [
            Name.requestDuration: Self.requestDurationBuckets,
            Name.listenerScanDuration: Self.listenerScanDurationBuckets,
        ]
        self.factory = factory
        openConnections = Meter(label: Name.openConnections, factory: factory)
        rejectedConnections = CoreMetrics.Counter(label: Name.rejectedConnections, factory: factory)
        busyRefusals = CoreMetrics.Counter(label: Name.busyRefusals, factory: factory)
        self.waitingQueries = (Meter(label: Name.waitingQueries, factory: factory), waitingQueries)
        registryRecords = Meter(label: Name.registryRecords, factory: factory)
        registryAgeMeter = Meter(label: Name.registryAge, factory: factory)
        registryReloads = CoreMetrics.Counter(label: Name.registryReloads, factory: factory)
        listenerScanDuration = scansListeners ? CoreMetrics.Timer(label: Name.listenerScanDuration, factory: factory) : nil
        malformedListenerLines = scansListeners ? CoreMetrics.Counter(label: Name.malformedListenerLines, factory: factory) : nil
    }

    /// The registry served is now the one `metadata` describes.
    func registryLoaded(_ metadata: RegistryMetadata) {
        registryRecords.set(metadata.recordCount)
        registryAge.withLock { $0 = RegistryAge(metadata) }
    }

    /// The server switched to a new registry while running.
    func registryReloaded() {
        registryReloads.increment()
    }

    // MARK: Connections and requests

    func connectionOpened() {
        openConnections.increment()
    }

    func connectionClosed() {
        openConnections.decrement()
    }

    func connectionRejected() {
        rejectedConnections.increment()
    }

    /// A request with `method` on `route` (nil: no route) was answered with `status`, `duration`
    /// after it was read.
    func requestAnswered(route: Route?, method: String, status: Int, duration: Duration) {
        let series = RequestSeries(route: route, method: method, status: status)
        let (requests, timer) = recorders.withLock { recorders in
            if let known = recorders.answered[series] { return known }
            let made = (CoreMetrics.Counter(label: Name.requests, dimensions: series.dimensions, factory: factory),
                        CoreMetrics.Timer(label: Name.requestDuration, dimensions: [("route", series.routeLabel)], factory: factory))
            recorders.answered[series] = made
            return made
        }
        requests.increment()
        timer.recordNanoseconds(duration.nanoseconds)
    }

    /// Counted, but not timed: its time is the client's (a 408 takes the whole header timeout).
    func requestRefused(status: Int) {
        recorders.withLock { recorders in
            if let known = recorders.refused[status] { return known }
            let made = CoreMetrics.Counter(label: Name.requests, dimensions: RequestSeries(refusedWith: status).dimensions, factory: factory)
            recorders.refused[status] = made
            return made
        }.increment()
    }

    /// A request found the query queue full.
    func queryQueueWasFull() {
        busyRefusals.increment()
    }

    // MARK: Listener scans and the page

    /// A scan of the host's listening sockets took `duration`.
    func listenerScanned(in duration: Duration) {
        listenerScanDuration?.recordNanoseconds(duration.nanoseconds)
    }

    /// A scan of the host's sockets left out `count` lines it could not read.
    func listenerLinesSkipped(_ count: Int) {
        malformedListenerLines?.increment(by: count)
    }

    /// The `/metrics` page, in Prometheus text format 0.0.4, as of now.
    func page() -> [UInt8] {
        if let age = registryAge.withLock({ $0 }) { registryAgeMeter.set(age.seconds()) }
        waitingQueries.meter.set(waitingQueries.count())
        var page: [UInt8] = []
        for line in registry.emitToBuffer().split(separator: UInt8(ascii: "\n")) {
            if line.starts(with: "# TYPE ".utf8) {
                let name = String(decoding: line.dropFirst(7).prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
                if let help = Self.help[name] { page += "# HELP \(name) \(help)\n".utf8 }
            }
            page += line
            page.append(UInt8(ascii: "\n"))
        }
        return page
    }
}
