import Foundation
import HTTPServer
import HostState
@testable import PortInfoAPI
import Registry
import Testing
import TestSupport

/// An API over the traps fixture with local-host reporting as given (scans never reused).
func localAPI(_ reporting: LocalReporting?) throws -> (PortInfoAPI, TemporaryDirectory) {
    let folder = TemporaryDirectory()
    let database = try seededDatabase(trapsCSV, in: folder)
    return (try PortInfoAPI(configuration: APIConfiguration(databasePath: database, localReporting: reporting)), folder)
}

/// A GET addressed to `localhost` (unless `headers` names another Host), as a client on this host would send it.
func localRequest(_ target: String, from address: String = "127.0.0.1", token: String? = nil,
                  headers: [(name: String, value: String)] = []) -> HTTPRequest {
    let host = headers.contains { $0.name == "Host" } ? [] : [("Host", "localhost")]
    return HTTPRequest(method: "GET", target: target, version: .http1_1,
                       headers: HTTPHeaders(host + (token.map { [("Authorization", "Bearer \($0)")] } ?? []) + headers),
                       remoteAddress: address)
}

/// This test process's name as the kernel keeps it (what /listeners reports as `process`).
let ownProcessName = (try? String(contentsOfFile: "/proc/self/comm", encoding: .utf8))?
    .trimmingCharacters(in: .newlines)

/// The tests taking a `Serving` run in process and through a live server alike: a live server
/// reports this test process's sockets as the API in it does.
@Suite struct LocalHostRoutesTests {
    @Test(arguments: Serving.allCases)
    func offByDefaultTheRoutesSayHowToTurnThemOn(serving: Serving) throws {
        let (client, _) = try serving.trapsClient()
        for target in ["/listeners", "/free-ports?count=3"] {
            let response = try client.get(target)
            #expect(response.status == 404)
            #expect(response.json?["type"] as? String == "https://portinfo.invalid/problems/local-reporting-off")
            #expect((response.json?["detail"] as? String)?.contains("--report-local (PORTINFO_REPORT_LOCAL=1)") == true)
        }
        let port = try client.get("/ports/600")
        #expect(port.status == 200 && port.json?["listeners"] == nil)
    }

    @Test(.needsProcNet, arguments: Serving.allCases)
    func listenersShowRealSocketsWithThisProcessUntilTheyClose(serving: Serving) throws {
        let (client, _) = try serving.trapsClient(APISetup(localReporting: LocalReporting(scanMaxAge: .zero)))
        let tcp = try #require(LoopbackSocket(.tcp, .ipv4))
        let udp = try #require(LoopbackSocket(.udp, .ipv6))

        let all = try client.get("/listeners")
        #expect(all.status == 200 && all.header("Cache-Control") == "no-store")
        #expect(all.header("Access-Control-Allow-Origin") == nil, "no CORS for host state unless configured")
        let listeners = try #require(all.json?["listeners"] as? [[String: Any]])
        let mine = try #require(listeners.first { $0["port"] as? Int == tcp.port && $0["transport"] as? String == "tcp" })
        #expect(mine["address"] as? String == "127.0.0.1" && mine["family"] as? String == "ipv4")
        #expect(mine["pid"] as? Int == Int(getpid()))
        #expect(mine["process"] as? String == ownProcessName)
        #expect(mine["user"] is String)
        #expect(mine.keys.contains("service"))

        let udpOnly = try #require(try client.get("/listeners?transport=udp&port=\(udp.port)").json?["listeners"] as? [[String: Any]])
        #expect(udpOnly.count == 1 && udpOnly[0]["address"] as? String == "::1" && udpOnly[0]["family"] as? String == "ipv6")

        let portAnswer = try client.get("/ports/\(tcp.port)")
        #expect(portAnswer.header("ETag") == nil && portAnswer.header("Cache-Control") == "no-store")
        #expect((portAnswer.json?["listeners"] as? [[String: Any]])?.map { $0["port"] as? Int } == [tcp.port])

        tcp.closeSocket()
        let after = try #require(try client.get("/listeners?port=\(tcp.port)").json?["listeners"] as? [[String: Any]])
        #expect(after.isEmpty)
    }

    @Test func theServiceOfAPortIsTheFirstNameIANARegistersForItAndTheTransport() throws {
        let folder = TemporaryDirectory()
        let database = try seededDatabase(trapsCSV, in: folder)
        // The registry side of the join, on the fixture: 600 is ipcserver over tcp and udp; 63 over tcp only.
        let store = try RegistryStore(path: database)
        #expect(try store.serviceNames(for: .tcp)[600] == "ipcserver")
        #expect(try store.serviceNames(for: .udp)[63] == nil)
        #expect(try store.serviceNames(for: .tcp)[63] == "whoispp")
        #expect(try store.serviceNames(for: .tcp)[6001] == "x11")
    }

    @Test(.needsProcNet, arguments: Serving.allCases)
    func aTokenIsRequiredWhenConfigured(serving: Serving) throws {
        let (client, _) = try serving.trapsClient(APISetup(localReporting: LocalReporting(token: "s3cret", scanMaxAge: .zero)))
        let bearer = { (token: String) in [("Authorization", "Bearer \(token)")] }
        let missing = try client.get("/listeners")
        #expect(missing.status == 401)
        #expect(missing.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
        #expect(try client.get("/listeners", headers: bearer("wrong")).status == 401)
        #expect(try client.get("/listeners", headers: bearer("s3cre")).status == 401)
        #expect(try client.get("/listeners", headers: bearer("s3cret")).status == 200)
        // The registry routes stay open: without the token, /ports answers without listeners.
        let port = try client.get("/ports/600")
        #expect(port.status == 200 && port.json?["listeners"] == nil && port.header("ETag") != nil)
        #expect(try client.get("/ports/600", headers: bearer("s3cret")).json?["listeners"] != nil)
    }

    @Test func onlyAllowedNetworksMayAsk() throws {
        let networks = ["192.0.2.0/24", "2001:db8::/32"].compactMap(IPNetwork.init)
        let (api, _) = try localAPI(LocalReporting(token: "t", allowedNetworks: networks, scanMaxAge: .zero))
        #expect(api.handle(localRequest("/listeners", from: "127.0.0.1", token: "t")).status == 403)
        #expect(api.handle(localRequest("/listeners", from: "198.51.100.7", token: "t")).status == 403)
        #expect(api.handle(localRequest("/listeners", from: "192.0.2.7", token: "t")).status == 200)
        #expect(api.handle(localRequest("/listeners", from: "::ffff:192.0.2.7", token: "t")).status == 200)
        #expect(api.handle(localRequest("/listeners", from: "2001:db8:1::5", token: "t")).status == 200)
        // An allowed address still needs the token.
        #expect(api.handle(localRequest("/listeners", from: "192.0.2.7")).status == 401)
    }

    @Test(.needsProcNet)
    func freePortsAreUnassignedAndNotListenedOn() throws {
        let (api, _) = try localAPI(LocalReporting(scanMaxAge: .zero))
        let first = try #require(api.handle(localRequest("/free-ports?count=5&range=dynamic&transport=tcp")).object)
        #expect(first["range"] as? String == "dynamic" && first["transport"] as? String == "tcp" && first["from"] as? Int == 49152)
        let ports = try #require(first["ports"] as? [Int])
        #expect(ports.count == 5 && ports == ports.sorted() && ports.allSatisfy { $0 >= 49152 })

        // In the fixture, 6000-6063 (x11) is assigned and 7748-7776 unassigned.
        let user = try #require(api.handle(localRequest("/free-ports?count=10&range=user&from=6060")).object?["ports"] as? [Int])
        #expect(user.first.map { $0 >= 6064 } == true && user.count == 10)
        let system = try #require(api.handle(localRequest("/free-ports?count=1000&range=system")).object?["ports"] as? [Int])
        #expect(!system.contains(600) && !system.contains(0) && !system.contains(63))
        // `from` outside the range: below it means its start, above it leaves nothing.
        let below = try #require(api.handle(localRequest("/free-ports?count=1&range=dynamic&from=80")).object)
        #expect(below["from"] as? Int == 80 && (below["ports"] as? [Int])?.first.map { $0 >= 49152 } == true)
        #expect(api.handle(localRequest("/free-ports?range=system&from=5000")).object?["ports"] as? [Int] == [])
    }

    @Test(arguments: [
        ("/free-ports?range=huge", "query parameter 'range' must be one of system, user, dynamic, got 'huge'"),
        ("/free-ports?count=0", "query parameter 'count' must be an integer from 1 to 1000, got '0'"),
        ("/free-ports?from=65536", "query parameter 'from' must be an integer from 0 to 65535, got '65536'"),
        ("/listeners?transport=sctp", "query parameter 'transport' must be tcp or udp, got 'sctp'"),
        ("/listeners?port=70000", "query parameter 'port' must be an integer from 0 to 65535, got '70000'"),
    ])
    func badParametersAre400(target: String, detail: String) throws {
        let (api, _) = try localAPI(LocalReporting(scanMaxAge: .zero))
        let response = api.handle(localRequest(target))
        #expect(response.status == 400)
        #expect(response.object?["detail"] as? String == detail)
    }

    @Test func corsForHostStateOnlyWhenConfigured() throws {
        let (api, _) = try localAPI(LocalReporting(allowedOrigins: ["https://wiki.example"], scanMaxAge: .zero))
        let allowed = api.handle(localRequest("/listeners", headers: [("Origin", "https://wiki.example")]))
        #expect(allowed.headers.values("Access-Control-Allow-Origin") == ["https://wiki.example"])
        let other = api.handle(localRequest("/listeners", headers: [("Origin", "https://elsewhere.example")]))
        #expect(other.headers["Access-Control-Allow-Origin"] == nil)
        // Registry routes keep their own policy (any origin by default).
        let registry = api.handle(localRequest("/registry", headers: [("Origin", "https://elsewhere.example")]))
        #expect(registry.headers["Access-Control-Allow-Origin"] == "*")
    }
}

@Suite struct IPNetworkTests {
    @Test func matchesAddressesInsideThePrefixOnly() throws {
        let v4 = try #require(IPNetwork("192.0.2.0/24"))
        #expect(v4.contains("192.0.2.255") && !v4.contains("192.0.3.0") && v4.contains("::ffff:192.0.2.1"))
        let odd = try #require(IPNetwork("192.0.2.128/25"))
        #expect(odd.contains("192.0.2.200") && !odd.contains("192.0.2.127"))
        let v6 = try #require(IPNetwork("2001:db8::/32"))
        #expect(v6.contains("2001:db8:ffff::1") && !v6.contains("2001:db9::1") && !v6.contains("192.0.2.1"))
        #expect(try #require(IPNetwork("127.0.0.1")).contains("127.0.0.1"))
        #expect(try #require(IPNetwork("0.0.0.0/0")).contains("203.0.113.9"))
    }

    @Test(arguments: ["192.0.2.0/33", "2001:db8::/129", "not-an-address", "192.0.2.0/", "192.0.2.0/x", ""])
    func refusesWhatIsNotANetwork(text: String) {
        #expect(IPNetwork(text) == nil)
    }

    @Test func tokensCompareWhole() {
        #expect(LocalAccessRules.constantTimeEquals("abc", "abc"))
        #expect(!LocalAccessRules.constantTimeEquals("abd", "abc"))
        #expect(!LocalAccessRules.constantTimeEquals("ab", "abc"))
        #expect(!LocalAccessRules.constantTimeEquals("abcd", "abc"))
        #expect(!LocalAccessRules.constantTimeEquals("", "abc"))
    }
}
