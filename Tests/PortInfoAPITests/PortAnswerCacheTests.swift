import HTTPServer
@testable import PortInfoAPI
import Registry
import Testing
import TestSupport

@Suite struct PortAnswerCacheTests {
    @Test func everyPortTransportAndFormatHasItsOwnKey() {
        var keys = Set<PortAnswerCache.Key>()
        for port in PortLookup.validPorts {
            for transport in [nil] + Record.Transport.allCases.map(Optional.some) {
                keys.insert(PortAnswerCache.Key(port: port, transport: transport, representation: .json(.compact)))
                keys.insert(PortAnswerCache.Key(port: port, transport: transport, representation: .json(.pretty)))
                keys.insert(PortAnswerCache.Key(port: port, transport: transport, representation: .html))
            }
        }
        #expect(keys.count == 65_536 * 5 * 3)
    }

    /// Bodies of half the bound each (their overhead included): two fill the cache exactly.
    @Test func keepsBodiesUntilTheBoundThenStartsOver() {
        let cache = PortAnswerCache()
        let keys = (1...3).map { PortAnswerCache.Key(port: $0, transport: nil, representation: .json(.compact)) }
        let half = PortAnswerCache.maximumBytes / 2 - PortAnswerCache.entryOverheadBytes
        let bodies = (1...3).map { [UInt8](repeating: UInt8($0), count: half) }
        cache.keep(bodies[0], for: keys[0])
        cache.keep(bodies[1], for: keys[1])
        #expect(cache.body(for: keys[0]) == bodies[0] && cache.body(for: keys[1]) == bodies[1])
        cache.keep(bodies[2], for: keys[2])
        #expect(cache.body(for: keys[0]) == nil && cache.body(for: keys[1]) == nil)
        #expect(cache.body(for: keys[2]) == bodies[2])
    }

    @Test func aBodyAsLargeAsTheBoundIsKeptAndALargerOneIsNot() {
        let cache = PortAnswerCache()
        let largest = PortAnswerCache.maximumBytes - PortAnswerCache.entryOverheadBytes
        let (kept, refused) = (PortAnswerCache.Key(port: 1, transport: .tcp, representation: .json(.pretty)),
                               PortAnswerCache.Key(port: 2, transport: .tcp, representation: .json(.pretty)))
        cache.keep([UInt8](repeating: 1, count: largest), for: kept)
        #expect(cache.body(for: kept)?.count == largest)
        cache.keep([UInt8](repeating: 2, count: largest + 1), for: refused)
        #expect(cache.body(for: refused) == nil)
        #expect(cache.body(for: kept)?.count == largest, "a body refused empties nothing")
    }
}

@Suite struct FinishedPortResponseTests {
    @Test func aPlainRequestForACachedPortGetsTheKeptResponseAndIsStillCounted() throws {
        let (api, _) = try trapsAPI()
        let first = api.get("/ports/600"), second = api.get("/ports/600"), third = api.get("/ports/600")
        let kept = try #require(first.head, "rendered, finished and kept at once")
        #expect(second.head == kept && third.head == kept && third.body == first.body)
        #expect(String(decoding: kept, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: "))
        #expect(third.headers.fields.map(\.name) == first.headers.fields.map(\.name))
        let metrics = try PrometheusText(api.get("/metrics").text)
        #expect(metrics.value("portinfo_http_requests_total", ["route": "/ports/{port}", "method": "GET", "status": "200"]) == 3)
    }

    @Test func requestsThatDecideMoreAreFinishedEachTime() throws {
        let (api, _) = try trapsAPI(allowedOrigins: ["https://wiki.example.com"])
        _ = api.get("/ports/600")
        _ = api.get("/ports/600")
        let tag = try #require(api.get("/ports/600").headers["ETag"])
        let fromWiki = api.get("/ports/600", headers: [("Origin", "https://wiki.example.com")])
        #expect(fromWiki.head == nil && fromWiki.headers["Access-Control-Allow-Origin"] == "https://wiki.example.com")
        let revalidated = api.get("/ports/600", headers: [("If-None-Match", tag)])
        #expect(revalidated.status == 304 && revalidated.head == nil)
        let page = api.get("/ports/600", headers: [("Accept", "text/html")])
        #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
    }
}
