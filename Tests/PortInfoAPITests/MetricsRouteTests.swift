import Foundation
import HTTPServer
import HostState
@testable import PortInfoAPI
import Prometheus
import Testing
import TestSupport

@Suite struct MetricsRouteTests {
    @Test func metricsIsPrometheusTextNeverCachedOnEveryMethodOfARoute() throws {
        let (api, _) = try trapsAPI()
        let get = api.get("/metrics")
        #expect(get.status == 200)
        #expect(get.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(get.headers["Cache-Control"] == "no-store")
        #expect(get.headers["Access-Control-Allow-Origin"] == "*")
        let head = api.get("/metrics", method: "HEAD")
        #expect(head.status == 200 && head.headers["Content-Type"] == get.headers["Content-Type"])
        #expect(api.get("/metrics", method: "OPTIONS").status == 204)
        #expect(api.get("/metrics", method: "POST").status == 405)
    }

    @Test func whatTheServerTellsItsDelegateShowsOnThePage() throws {
        let (api, _) = try trapsAPI()
        let delegate = api.serverDelegate
        for _ in 0..<3 { delegate.connectionOpened() }
        delegate.connectionClosed()
        delegate.connectionRejected()
        func sent(_ method: String, _ target: String, _ status: Int, after duration: Duration) {
            delegate.sent(HTTPResponse(status: status), for: .answered(request(target, method: method)), to: "192.0.2.1", after: duration)
        }
        sent("GET", "/ports/600", 200, after: .microseconds(30))
        sent("GET", "/ports/22", 200, after: .microseconds(40))
        sent("HEAD", "/ports/x", 400, after: .microseconds(20))
        sent("GET", "/nope", 404, after: .milliseconds(3))
        delegate.sent(HTTPResponse(status: 431), for: .refused(status: 431, detail: "too many"), to: "192.0.2.1", after: .zero)
        let page = try PrometheusText(api.handle(request("/metrics"), HTTPResponder(sink: WaitingSink(), request: 1))!.text)

        #expect(page.value("portinfo_http_open_connections") == 2)
        #expect(page.value("portinfo_http_rejected_connections_total") == 1)
        let requests = "portinfo_http_requests_total"
        #expect(page.samples(named: requests).map { "\($0.labels["route"]!) \($0.labels["method"]!) \($0.labels["status"]!) \($0.value)" }.sorted()
            == ["/ports/{port} GET 200 2.0", "/ports/{port} HEAD 400 1.0", "other GET 404 1.0", "other other 431 1.0"])
        let duration = "portinfo_http_request_duration_seconds"
        #expect(page.value(duration + "_count", ["route": "/ports/{port}"]) == 3)
        #expect(page.value(duration + "_bucket", ["route": "/ports/{port}", "le": "0.00001"]) == 0)
        #expect(page.value(duration + "_bucket", ["route": "/ports/{port}", "le": "0.000025"]) == 1)
        #expect(page.value(duration + "_bucket", ["route": "/ports/{port}", "le": "0.00005"]) == 3)
        #expect(page.value(duration + "_sum", ["route": "/ports/{port}"]) == 0.00009)
        // A refused request is counted but not timed: its time is the client's.
        #expect(page.value(duration + "_count", ["route": "other"]) == 1)
        #expect(page.value(duration + "_bucket", ["route": "other", "le": "0.0025"]) == 0)
        #expect(page.value(duration + "_bucket", ["route": "other", "le": "0.005"]) == 1)
    }

    @Test func everyMetricHasHelpAndAType() throws {
        let (api, _) = try localAPI(LocalReporting(scanMaxAge: .zero))
        api.metrics.requestAnswered(route: RouteTable.route(for: "/healthz")?.route, method: "GET", status: 200, duration: .microseconds(5))
        api.metrics.listenerScanned(in: .milliseconds(3))
        api.metrics.listenerLinesSkipped(2)
        let page = try PrometheusText(api.get("/metrics").text)
        let names = ["portinfo_http_requests_total", "portinfo_http_request_duration_seconds", "portinfo_http_open_connections",
                     "portinfo_http_rejected_connections_total", "portinfo_registry_records", "portinfo_registry_age_seconds",
                     "portinfo_listener_scan_duration_seconds", "portinfo_query_queue_full_total",
                     "portinfo_query_queue_waiting", "portinfo_listener_malformed_lines_total", "portinfo_registry_reloads_total"]
        #expect(page.types.keys.sorted() == names.sorted())
        #expect(page.help.keys.sorted() == names.sorted())
        #expect(page.types["portinfo_http_request_duration_seconds"] == "histogram")
        #expect(page.types["portinfo_listener_scan_duration_seconds"] == "histogram")
        #expect(page.value("portinfo_listener_scan_duration_seconds_bucket", ["le": "0.0025"]) == 0)
        #expect(page.value("portinfo_listener_scan_duration_seconds_bucket", ["le": "0.005"]) == 1)
        #expect(page.value("portinfo_listener_malformed_lines_total") == 2)
    }

    @Test func theRegistrysSizeAndAgeComeFromItsMetadata() throws {
        let (api, _) = try trapsAPI()
        // The traps fixture's newest date is 2024-12-20: the age is the time since, when scraped.
        let newest = 1_734_652_800.0
        let before = Date().timeIntervalSince1970 - newest
        let page = try PrometheusText(api.get("/metrics").text)
        let after = Date().timeIntervalSince1970 - newest
        #expect(page.value("portinfo_registry_records") == 13)
        let age = try #require(page.value("portinfo_registry_age_seconds"))
        #expect(age >= before.rounded(.down) - 1 && age <= after.rounded(.up) + 1, "\(age) s, scraped between \(before) and \(after)")
    }

    @Test(.needsProcNet)
    func listenerScansAreTimedOnlyWithLocalReporting() throws {
        let (local, _) = try localAPI(LocalReporting(scanMaxAge: .zero))
        for _ in 0..<2 { #expect(local.handle(localRequest("/listeners")).status == 200) }
        #expect(try PrometheusText(local.get("/metrics").text).value("portinfo_listener_scan_duration_seconds_count") == 2)
        let (off, _) = try localAPI(nil)
        #expect(try PrometheusText(off.get("/metrics").text).types["portinfo_listener_scan_duration_seconds"] == nil)
    }

    @Test func eachAPIShowsItsOwnRegistryAndWhateverElseIsRecordedThere() throws {
        let folder = TemporaryDirectory()
        let database = try seededDatabase(trapsCSV, in: folder)
        let registry = PrometheusCollectorRegistry()
        registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "elsewhere", unitName: "total", helpText: "Elsewhere.")).increment()
        let shared = try PortInfoAPI(configuration: APIConfiguration(databasePath: database, metricsRegistry: registry))
        let separate = try PortInfoAPI(configuration: APIConfiguration(databasePath: database))
        shared.serverDelegate.connectionRejected()
        let sharedPage = try PrometheusText(shared.get("/metrics").text)
        #expect(sharedPage.value("elsewhere_total") == 1)
        #expect(sharedPage.value("portinfo_http_rejected_connections_total") == 1)
        let separatePage = try PrometheusText(separate.get("/metrics").text)
        #expect(separatePage.value("elsewhere_total") == nil)
        #expect(separatePage.value("portinfo_http_rejected_connections_total") == 0)
    }
}
