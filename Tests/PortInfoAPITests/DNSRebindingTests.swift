import Foundation
import HTTPServer
@testable import PortInfoAPI
import Testing
import TestSupport

/// Without a token, host state goes only to requests addressed to an IP literal, localhost or a
/// listed name: a page that rebinds its own DNS name to this server sends that name as the Host.
/// The rules hold in process and through a live server alike.
@Suite struct DNSRebindingTests {
    static let safe = ["127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:9180", "192.0.2.7:80", "[2001:db8::7]", "localhost",
                       "LocalHost:8080", "portinfo.internal", "PortInfo.Internal:9180"]
    static let rebindable = ["attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io", "portinfo.internal.evil",
                             "internal", "1.2.3", "0x7f.0.0.1", "2130706433", ""]

    static let listingAName = APISetup(localReporting: LocalReporting(allowedHostNames: ["portinfo.internal"], scanMaxAge: .seconds(60)))

    @Test(.needsProcNet, arguments: Serving.allCases)
    func anIPLiteralLocalhostOrAListedNameSeesHostState(serving: Serving) throws {
        let (client, _) = try serving.trapsClient(Self.listingAName)
        for host in Self.safe {
            #expect(try client.get("/listeners", headers: [("Host", host)]).status == 200, "\(host)")
            #expect(try client.get("/ports/600", headers: [("Host", host)]).json?["listeners"] != nil, "\(host)")
        }
    }

    @Test(.needsProcNet, arguments: Serving.allCases)
    func anyOtherNameIsRefusedAndGetsTheRegistryAnswer(serving: Serving) throws {
        let (client, _) = try serving.trapsClient(Self.listingAName)
        for host in Self.rebindable {
            let refused = try client.get("/free-ports", headers: [("Host", host)])
            #expect(refused.status == 403, "\(host)")
            #expect(refused.header("Content-Type") == "application/problem+json")
            #expect(refused.json?["type"] as? String == "https://portinfo.invalid/problems/forbidden")
            #expect(refused.header("Cache-Control") == "no-store")
            #expect(refused.json?["detail"] as? String == "local-host reports are open only to requests addressed to this host by IP address, "
                + "as localhost, or by a name the server lists (--local-hosts); this one names '\(host)'")
            let port = try client.get("/ports/600", headers: [("Host", host)])
            #expect(port.status == 200 && port.json?["listeners"] == nil && port.header("ETag") != nil, "\(host)")
        }
    }

    /// With a token, the token decides: a rebinding page does not have it.
    @Test(.needsProcNet, arguments: Serving.allCases)
    func withATokenAnyNameWithTheTokenSeesHostState(serving: Serving) throws {
        let (client, _) = try serving.trapsClient(APISetup(localReporting: LocalReporting(token: "t", scanMaxAge: .seconds(60))))
        for host in Self.rebindable {
            #expect(try client.get("/free-ports", headers: [("Host", host), ("Authorization", "Bearer t")]).status == 200, "\(host)")
        }
    }

    @Test func aRequestWithoutHostIsRefused() throws {
        let (api, _) = try localAPI(LocalReporting(scanMaxAge: .seconds(60)))
        let response = api.handle(HTTPRequest(method: "GET", target: "/listeners", version: .http1_0, headers: HTTPHeaders(),
                                              remoteAddress: "127.0.0.1"))
        #expect(response.status == 403)
        #expect(response.detail?.hasSuffix("this one names no host") == true)
    }

    @Test func theRefusalsTellTheClientWhatToSendNotHowTheServerIsSetUp() throws {
        let (api, _) = try localAPI(LocalReporting(allowedNetworks: [IPNetwork("192.0.2.0/24")!, IPNetwork("10.0.0.0/8")!],
                                                   allowedHostNames: ["secret-name.internal"], scanMaxAge: .seconds(60)))
        let address = api.handle(localRequest("/listeners", from: "198.51.100.7"))
        #expect(address.status == 403)
        #expect(address.detail == "local-host reports are not open to your address (198.51.100.7)")
        let host = api.handle(localRequest("/listeners", from: "192.0.2.7", headers: [("Host", "rebound.example")]))
        for text in [address.text, host.text] {
            #expect(!text.contains("192.0.2.0") && !text.contains("10.0.0.0") && !text.contains("secret-name"))
        }
    }
}
