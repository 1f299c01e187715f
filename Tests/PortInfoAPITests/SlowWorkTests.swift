import Foundation
import HTTPServer
@testable import PortInfoAPI
import Prometheus
import Synchronization
import Testing
import TestSupport

/// A sink that records on which thread an answer came, and can hold that thread until released
/// (a query that takes long, as far as the query thread is concerned).
final class RecordingSink: HTTPResponseSink {
    private let delivered = DispatchSemaphore(value: 0)
    private let release: DispatchSemaphore?
    /// Each delivery: the response and the name of the thread it came on, in order.
    private let deliveries = Mutex<[(response: HTTPResponse, thread: String)]>([])

    /// `holding`: each delivery waits for a `release()`.
    init(holding: Bool = false) {
        release = holding ? DispatchSemaphore(value: 0) : nil
    }

    func deliver(_ response: HTTPResponse, forRequest request: UInt64) {
        let thread = QueryThreadPoolTests.threadName()
        deliveries.withLock { $0.append((response, thread)) }
        delivered.signal()
        release?.wait()
    }

    func releaseOne() { release?.signal() }

    /// Waits for the next delivery: the response and the thread's name.
    func next() -> (response: HTTPResponse, thread: String)? {
        guard delivered.wait(timeout: .now() + 10) == .success else { return nil }
        return deliveries.withLock { $0.removeFirst() }
    }
}

@Suite struct SlowWorkTests {
    @Test(.needsProcNet)
    func onlyWhatIsInMemoryIsAnsweredOnTheCallersThread() throws {
        let (api, _) = try localAPI(LocalReporting(scanMaxAge: .zero))
        let sink = RecordingSink()
        let responder = HTTPResponder(sink: sink, request: 1)
        // /ports/600 for a client that may not see host state: a registry answer, cached once rendered.
        let stranger = localRequest("/ports/600", headers: [("Origin", "https://elsewhere.example")])
        #expect(api.handle(stranger, responder) == nil, "a cache miss queries SQLite")
        #expect(sink.next()?.response.status == 200)
        let inline = [stranger, localRequest("/registry"), localRequest("/healthz"), localRequest("/openapi.yaml"),
                      localRequest("/metrics"), localRequest("*"), localRequest("/nowhere"), localRequest("/ports/abc"),
                      localRequest("/search"), localRequest("/search?q=ftp&limit=0"),
                      localRequest("/search?q=a+b+c+d+e+f+g+h+i"), localRequest("/services/"),
                      localRequest("/listeners?port=x"), localRequest("/listeners", headers: [("Host", "rebound.example")])]
        for request in inline {
            #expect(api.handle(request, responder) != nil, "\(request.target)")
        }
        for method in ["OPTIONS", "POST"] {
            let request = HTTPRequest(method: method, target: "/services/ftp", version: .http1_1, headers: HTTPHeaders(), remoteAddress: "::1")
            #expect(api.handle(request, responder) != nil, "\(method)")
        }
        let later = ["/ports/601", "/ports/600", "/services/ftp", "/search?q=ftp", "/listeners", "/free-ports?count=1"]
        for target in later {
            #expect(api.handle(localRequest(target), responder) == nil, "\(target)")
            let answer = try #require(sink.next(), "\(target)")
            #expect(answer.response.status == 200 && answer.thread == "portinfo-query", "\(target)")
        }
    }

    @Test func aFullQueueIsA503AtOnceWithRetryAfterAndCounted() throws {
        let folder = TemporaryDirectory()
        let database = try seededDatabase(trapsCSV, in: folder)
        let api = try PortInfoAPI(configuration: APIConfiguration(databasePath: database, queryThreads: 1, queryQueueLength: 1))
        // The database check the API starts with takes the thread or the queue's one place for a
        // moment: once a query is answered after it, the thread is free (first in, first out).
        try #require(waitUntil { api.get("/services/ftp").status == 200 })
        let before = try PrometheusText(api.get("/metrics").text)
        let held = RecordingSink(holding: true)
        #expect(api.handle(request("/services/ftp"), HTTPResponder(sink: held, request: 1)) == nil)
        #expect(held.next()?.response.status == 200) // the only query thread is held, delivering
        let queued = RecordingSink()
        #expect(api.handle(request("/search?q=ftp"), HTTPResponder(sink: queued, request: 2)) == nil)
        let busy = try #require(api.handle(request("/services/ftp?pretty"), HTTPResponder(sink: queued, request: 3)))
        // Told to the delegate, as the server tells it of every response it sends.
        api.serverDelegate.sent(busy, for: .answered(request("/services/ftp?pretty")), to: "192.0.2.1", after: .zero)
        #expect(busy.status == 503)
        #expect(busy.headers["Retry-After"] == "1")
        #expect(busy.headers["Cache-Control"] == "no-store")
        #expect(busy.headers["Content-Type"] == "application/problem+json")
        #expect(busy.problemType == "https://portinfo.invalid/problems/server-busy")
        #expect(busy.text.contains("\n  \"type\""), "in the format asked for")
        // What is in memory still answers at once, health included.
        #expect(api.handle(request("/healthz"), HTTPResponder(sink: queued, request: 4))?.status == 200)
        let page = try PrometheusText(try #require(api.handle(request("/metrics"), HTTPResponder(sink: queued, request: 5))).text)
        let busy503 = ["route": "/services/{name}", "method": "GET", "status": "503"]
        #expect(page.value("portinfo_query_queue_full_total")! - before.value("portinfo_query_queue_full_total")! == 1)
        #expect(page.value("portinfo_query_queue_waiting") == 1)
        #expect((page.value("portinfo_http_requests_total", busy503) ?? 0) - (before.value("portinfo_http_requests_total", busy503) ?? 0) == 1)
        held.releaseOne()
        #expect(queued.next()?.response.status == 200, "the queued search answers once the thread is free")
    }
}

@Suite struct QueryTimeBudgetTests {
    @Test(arguments: Serving.allCases)
    func aQueryPastItsBudgetIsA503WithRetryAfterAndTheDatabaseStaysHealthy(serving: Serving) throws {
        let folder = TemporaryDirectory()
        // Every record matches the search: ranking them takes far longer than a millisecond.
        let database = try seededDatabase(generatedCSV(records: 20_000), in: folder)
        let client = try serving.client(database: database, APISetup(queryTimeBudget: .milliseconds(1)))
        let response = try client.get("/search?q=generated")
        #expect(response.status == 503)
        #expect(response.json?["type"] as? String == "https://portinfo.invalid/problems/query-timed-out")
        #expect(response.header("Retry-After") == "1" && response.header("Cache-Control") == "no-store")
        #expect(response.json?["detail"] as? String == "the query took longer than the server gives one; try again in a moment, or ask for less")
        #expect(try client.get("/services/svc7").status == 200, "the store is usable after")
        #expect(try client.get("/healthz").status == 200)
    }

    @Test func aBudgetOfNothingIsRefused() throws {
        let folder = TemporaryDirectory()
        let database = try seededDatabase(trapsCSV, in: folder)
        #expect(throws: PortInfoAPIError.nonPositiveQueryTimeBudget(.zero)) {
            try PortInfoAPI(configuration: APIConfiguration(databasePath: database, queryTimeBudget: .zero))
        }
    }
}
