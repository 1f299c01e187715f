import Foundation
import PortInfoAPI
import Testing
import TestSupport

/// Every combination of route, local-host reporting, token, allow-list, origin, Host and the
/// registry's CORS setting, each answer checked against what a plainly written oracle says it
/// must be: who may read it (CORS), how caches may keep it, what `Vary` names, whether it shows
/// listeners. Run against the API in process and against live servers set up alike.
@Suite struct CORSTableTests {
    static let token = "s3cret"
    static let opsOrigin = "https://ops.example"   // in --local-cors-origins
    static let wikiOrigin = "https://wiki.example" // in --cors-origins, when it is a list
    /// The allow-list that holds the client (on loopback, in process as live), and one that does not.
    static let clientsNetwork = "127.0.0.0/8"
    static let otherNetwork = "192.0.2.0/24"

    enum Target: CaseIterable {
        case portGet, listenersGet, freePortsGet, serviceGet, registryGet, portPreflight, listenersPreflight, listenersPost, unknownGet

        var method: String {
            switch self {
            case .portPreflight, .listenersPreflight: "OPTIONS"
            case .listenersPost: "POST"
            default: "GET"
            }
        }

        var path: String {
            switch self {
            case .portGet, .portPreflight: "/ports/600"
            case .listenersGet, .listenersPreflight, .listenersPost: "/listeners"
            case .freePortsGet: "/free-ports?count=2"
            case .serviceGet: "/services/ftp"
            case .registryGet: "/registry"
            case .unknownGet: "/nowhere"
            }
        }
    }

    enum Reporting: CaseIterable { case off, on }
    /// `none`: the server has no token (and the request sends none); else the server has one and the request sends it, another, or none.
    enum TokenCase: CaseIterable { case none, right, wrong, absent }
    /// `none`: no allow-list; else the client is in it or out of it.
    enum AllowCase: CaseIterable { case none, inside, outside }
    enum OriginCase: CaseIterable { case none, localAllowed, registryOnly, other }
    /// The Host the request names: an IP literal, or a DNS name the server does not list.
    enum HostCase: CaseIterable { case literal, foreignName }
    enum RegistryCORS: CaseIterable { case anyOrigin, list }

    struct Case: CustomStringConvertible {
        let target: Target, reporting: Reporting, token: TokenCase, allow: AllowCase, origin: OriginCase, host: HostCase,
            registryCORS: RegistryCORS
        var description: String { "\(target.method) \(target.path) reporting=\(reporting) token=\(token) allow=\(allow) origin=\(origin) host=\(host) cors=\(registryCORS)" }
    }

    static let cases: [Case] = Target.allCases.flatMap { target in Reporting.allCases.flatMap { reporting in
        TokenCase.allCases.flatMap { token in AllowCase.allCases.flatMap { allow in OriginCase.allCases.flatMap { origin in
            HostCase.allCases.flatMap { host in RegistryCORS.allCases.map { cors in
                Case(target: target, reporting: reporting, token: token, allow: allow, origin: origin, host: host, registryCORS: cors)
            } }
        } } }
    } }

    struct Expectation {
        var status: Int
        var allowOrigin: String?
        var vary: String?
        var cacheControl: String?
        var hasETag = false
        var bodyKeys: Set<String> = []
        var allowHeaders: String?
    }

    static let problemKeys: Set<String> = ["type", "title", "status", "detail"]

    /// What the answer must be, written from the rules as docs/local-host.md states them, case by case.
    static func oracle(_ c: Case) -> Expectation {
        let reporting = c.reporting == .on
        let tokenSet = c.token != .none
        // The registry's policy: * lets everyone read; the list lets the wiki read.
        let registryAllowOrigin: String? = c.registryCORS == .anyOrigin ? "*" : (c.origin == .registryOnly ? wikiOrigin : nil)
        let registryVary: String? = c.registryCORS == .list ? "Origin" : nil
        // The local-host policy: only the ops origin, echoed, never *.
        let localAllowOrigin: String? = c.origin == .localAllowed ? opsOrigin : nil
        let localVary = tokenSet ? "Origin, Authorization" : "Origin"
        // The routes with pages also vary by Accept, named first.
        let withAccept = { (vary: String?) in ["Accept", vary].compactMap { $0 }.joined(separator: ", ") }
        // May this request see host state at all?
        let addressAllowed = c.allow != .outside
        let tokenAccepted = !tokenSet || c.token == .right
        let hostAccepted = tokenSet || c.host == .literal
        let refusal: Int? = !addressAllowed ? 403 : !tokenAccepted ? 401 : !hostAccepted ? 403 : nil
        let lookupKeys: Set<String> = ["port", "range", "status", "records", "related", "everyday_names", "known_uses"]

        switch c.target {
        case .portGet:
            if reporting && refusal == nil && (c.origin == .none || c.origin == .localAllowed) {
                return Expectation(status: 200, allowOrigin: localAllowOrigin, vary: withAccept(localVary), cacheControl: "no-store",
                                   bodyKeys: lookupKeys.union(["listeners"]))
            }
            let visibility = reporting && c.allow == .outside ? "private" : "public"
            return Expectation(status: 200, allowOrigin: registryAllowOrigin, vary: withAccept(reporting ? localVary : registryVary),
                               cacheControl: "\(visibility), max-age=3600", hasETag: true, bodyKeys: lookupKeys)
        case .listenersGet, .freePortsGet:
            guard reporting else {
                return Expectation(status: 404, allowOrigin: registryAllowOrigin, vary: registryVary, cacheControl: "no-store",
                                   bodyKeys: problemKeys)
            }
            if let refusal {
                return Expectation(status: refusal, allowOrigin: localAllowOrigin, vary: localVary, cacheControl: "no-store",
                                   bodyKeys: problemKeys)
            }
            let keys: Set<String> = c.target == .listenersGet ? ["host", "listeners"] : ["range", "transport", "from", "ports"]
            return Expectation(status: 200, allowOrigin: localAllowOrigin, vary: localVary, cacheControl: "no-store", bodyKeys: keys)
        case .serviceGet:
            return Expectation(status: 200, allowOrigin: registryAllowOrigin, vary: withAccept(registryVary),
                               cacheControl: "public, max-age=3600", hasETag: true, bodyKeys: ["service", "records"])
        case .registryGet:
            return Expectation(status: 200, allowOrigin: registryAllowOrigin, vary: registryVary, cacheControl: "public, max-age=3600",
                               hasETag: true, bodyKeys: ["source", "sha256", "imported_at", "record_count", "newest_iana_date", "site", "attribution"])
        case .portPreflight:
            guard reporting else {
                return Expectation(status: 204, allowOrigin: registryAllowOrigin, vary: registryVary,
                                   allowHeaders: "If-None-Match, Content-Type")
            }
            // The ops page gets the local-host policy's answer, any other page the registry's.
            return Expectation(status: 204, allowOrigin: c.origin == .localAllowed ? opsOrigin : registryAllowOrigin, vary: "Origin",
                               allowHeaders: "If-None-Match, Content-Type, Authorization")
        case .listenersPreflight:
            guard reporting else {
                return Expectation(status: 204, allowOrigin: registryAllowOrigin, vary: registryVary,
                                   allowHeaders: "If-None-Match, Content-Type")
            }
            return Expectation(status: 204, allowOrigin: localAllowOrigin, vary: "Origin",
                               allowHeaders: "If-None-Match, Content-Type, Authorization")
        case .listenersPost:
            // Refused for its method before anything else is looked at; like every refusal, never stored.
            return reporting
                ? Expectation(status: 405, allowOrigin: localAllowOrigin, vary: "Origin", cacheControl: "no-store", bodyKeys: problemKeys)
                : Expectation(status: 405, allowOrigin: registryAllowOrigin, vary: registryVary, cacheControl: "no-store",
                              bodyKeys: problemKeys)
        case .unknownGet:
            // A page or a problem, as Accept asks.
            return Expectation(status: 404, allowOrigin: registryAllowOrigin, vary: withAccept(registryVary), cacheControl: "no-store",
                               bodyKeys: problemKeys)
        }
    }

    /// The header fields a case sends.
    static func headers(for c: Case) -> [(String, String)] {
        var headers = [("Host", c.host == .literal ? "127.0.0.1:8080" : "portinfo.attacker.example")]
        switch c.token {
        case .right: headers.append(("Authorization", "Bearer \(token)"))
        case .wrong: headers.append(("Authorization", "Bearer guess"))
        case .none, .absent: break
        }
        switch c.origin {
        case .none: break
        case .localAllowed: headers.append(("Origin", opsOrigin))
        case .registryOnly: headers.append(("Origin", wikiOrigin))
        case .other: headers.append(("Origin", "https://evil.example"))
        }
        if c.target.method == "OPTIONS" {
            headers.append(("Access-Control-Request-Method", "GET"))
            headers.append(("Access-Control-Request-Headers", "authorization"))
        }
        if c.target.method == "POST" { headers.append(("Content-Length", "0")) }
        return headers
    }

    /// The settings a case's server has.
    static func setup(for c: Case) -> APISetup {
        let networks = switch c.allow {
        case .none: [String]()
        case .inside: [clientsNetwork]
        case .outside: [otherNetwork]
        }
        let reporting = c.reporting == .off ? nil : LocalReporting(
            token: c.token == .none ? nil : token, allowedNetworks: networks.compactMap(IPNetwork.init),
            allowedOrigins: [opsOrigin], scanMaxAge: .seconds(60))
        return APISetup(allowedOrigins: c.registryCORS == .anyOrigin ? ["*"] : [Self.wikiOrigin], localReporting: reporting)
    }

    @Test(.needsProcNet, arguments: Serving.allCases)
    func everyCombinationAnswersAsTheOracleSays(serving: Serving) throws {
        let folder = TemporaryDirectory()
        let database = try seededDatabase(trapsCSV, in: folder)
        // One server per setting the cases need.
        var clients: [String: any PortInfoClient] = [:]
        func client(for c: Case) throws -> any PortInfoClient {
            let key = Self.setup(for: c).serveOptions.joined(separator: " ")
            if let client = clients[key] { return client }
            let made = try serving.client(database: database, Self.setup(for: c))
            clients[key] = made
            return made
        }

        #expect(Self.cases.count == 9 * 2 * 4 * 3 * 4 * 2 * 2)
        var mismatches: [String] = []
        for c in Self.cases {
            let response = try client(for: c).get(c.target.path, method: c.target.method, headers: Self.headers(for: c))
            let expected = Self.oracle(c)
            var wrong: [String] = []
            if response.status != expected.status { wrong.append("status \(response.status), not \(expected.status)") }
            if response.values("Access-Control-Allow-Origin") != (expected.allowOrigin.map { [$0] } ?? []) {
                wrong.append("Access-Control-Allow-Origin \(response.values("Access-Control-Allow-Origin")), not \(expected.allowOrigin ?? "none")")
            }
            if response.values("Vary") != (expected.vary.map { [$0] } ?? []) {
                wrong.append("Vary \(response.values("Vary")), not \(expected.vary ?? "none")")
            }
            if response.values("Cache-Control") != (expected.cacheControl.map { [$0] } ?? []) {
                wrong.append("Cache-Control \(response.values("Cache-Control")), not \(expected.cacheControl ?? "none")")
            }
            if (response.header("ETag") != nil) != expected.hasETag { wrong.append("ETag \(response.header("ETag") ?? "none")") }
            if response.header("Access-Control-Allow-Headers") != expected.allowHeaders {
                wrong.append("Access-Control-Allow-Headers \(response.header("Access-Control-Allow-Headers") ?? "none")")
            }
            let keys = Set(response.json?.keys ?? [String: Any]().keys)
            if keys != expected.bodyKeys { wrong.append("body keys \(keys.sorted()), not \(expected.bodyKeys.sorted())") }
            if !wrong.isEmpty { mismatches.append("\(c): " + wrong.joined(separator: "; ")) }
        }
        let shown = mismatches.prefix(20).joined(separator: "\n")
        #expect(mismatches.count == 0, "of \(Self.cases.count), the first 20:\n\(shown)")
    }
}
