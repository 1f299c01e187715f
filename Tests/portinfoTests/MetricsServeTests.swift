import Foundation
import Testing
import TestSupport

@Suite struct MetricsServeTests {
    @Test func metricsCountWhatTheServerAnswered() throws {
        let folder = try seededFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off"])
        for target in ["/ports/600", "/ports/600?pretty", "/healthz"] {
            #expect(try server.get(target).status == 200, "\(target)")
        }
        #expect(try server.get("/registry", method: "HEAD").status == 200)
        #expect(try server.get("/no/such/path").status == 404)
        #expect(try server.get("/ports/70000").status == 400)
        let refused = try server.client()
        refused.send("GET /ports/600 HTTP/1.1\r\n\r\n") // no Host: the HTTP layer refuses it
        #expect(refused.readResponse()?.status == 400)

        let keptAlive = try server.client()
        let metrics = try scrape(keptAlive)
        let requests = "portinfo_http_requests_total"
        #expect(metrics.types[requests] == "counter" && metrics.help[requests] != nil)
        let counted = metrics.samples(named: requests).map { "\($0.labels["route"]!) \($0.labels["method"]!) \($0.labels["status"]!) \($0.value)" }
        #expect(counted.sorted() == ["/healthz GET 200 1.0", "/ports/{port} GET 200 2.0", "/ports/{port} GET 400 1.0",
                                     "/registry HEAD 200 1.0", "other GET 404 1.0", "other other 400 1.0"])

        let duration = "portinfo_http_request_duration_seconds"
        #expect(metrics.types[duration] == "histogram")
        // Each request the API answered is timed once (the refused one is not).
        for (route, count) in [("/ports/{port}", 3.0), ("/healthz", 1), ("/registry", 1), ("other", 1)] {
            let buckets = metrics.samples(named: duration + "_bucket").filter { $0.labels["route"] == route }
            #expect(buckets.last?.labels["le"] == "+Inf" && buckets.last?.value == count, "\(route)")
            #expect(metrics.value(duration + "_count", ["route": route]) == count, "\(route)")
            #expect(zip(buckets, buckets.dropFirst()).allSatisfy { Double($0.labels["le"]!)! < Double($1.labels["le"]!)! && $0.value <= $1.value },
                    "\(route): bounds and counts rise")
            #expect((0..<count).contains(metrics.value(duration + "_sum", ["route": route]) ?? -1), "\(route)")
        }

        #expect((metrics.value("portinfo_http_open_connections") ?? 0) >= 1)
        #expect(metrics.value("portinfo_http_rejected_connections_total") == 0)
        #expect(metrics.value("portinfo_registry_records") == 13)
        #expect((metrics.value("portinfo_registry_age_seconds") ?? -1) >= 0)
        #expect(metrics.types["portinfo_listener_scan_duration_seconds"] == nil, "no scans without --report-local")
        // The scrape counts too, once answered.
        #expect(try scrape(keptAlive).value(requests, ["route": "/metrics", "method": "GET", "status": "200"]) == 1)
    }

    @Test func connectionsOpenAndRejectedAtTheLimit() throws {
        let folder = try seededFolder()
        let server = try ServerProcess(["--db", folder.path("registry.db"), "--access-log", "off", "--max-connections", "2"])
        let first = try server.client()
        var second: RawClient? = try server.client()
        // Each answered once, so both are in before the third arrives.
        for client in [first, second!] {
            client.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
        }
        #expect(try server.client().readResponse()?.status == 503)
        let atTheLimit = try scrape(first)
        #expect(atTheLimit.value("portinfo_http_rejected_connections_total") == 1)
        #expect(atTheLimit.value("portinfo_http_open_connections") == 2)

        second = nil // closes it
        #expect(try waitUntil { try scrape(first).value("portinfo_http_open_connections") == 1 })
    }

    /// GET /metrics on `client`'s kept-alive connection, parsed.
    private func scrape(_ client: RawClient) throws -> PrometheusText {
        client.send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try #require(client.readResponse())
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(response.header("Cache-Control") == "no-store")
        return try PrometheusText(response.body)
    }
}
