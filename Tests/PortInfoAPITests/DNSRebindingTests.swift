import Foundation
import HTTPServer
@testable import PortInfoAPI
import Testing
import TestSupport

/// Without a token, host state goes only to requests addressed to an IP literal, localhost or a
/// listed name: a page that rebinds its own DNS name to this server sends that name as the Host.
@Suite struct DNSRebindingTests {
    static let safe = ["127.0.0.1", "127.0.0.1:8080", "[::1]", "[::1]:9180", "192.0.2.7:80", "[2001:db8::7]", "localhost",
                       "LocalHost:8080", "portinfo.internal", "PortInfo.Internal:9180"]
    static let rebindable = ["attacker.example", "localhost.attacker.example", "127.0.0.1.nip.io", "portinfo.internal.evil",
                             "internal", "1.2.3", "0x7f.0.0.1", "2130706433", ""]

    @Test(.needsProcNet, arguments: safe)
    func anIPLiteralLocalhostOrAListedNameSeesHostState(host: String) throws {
        let (api, _) = try localAPI(LocalReporting(allowedHostNames: ["portinfo.internal"], scanMaxAge: .seconds(60)))
        #expect(api.handle(localRequest("/listeners", headers: [("Host", host)])).status == 200)
        #expect(api.handle(localRequest("/ports/600", headers: [("Host", host)])).object?["listeners"] != nil)
    }

    @Test(.needsProcNet, arguments: rebindable)
    func anyOtherNameIsRefusedAndGetsTheRegistryAnswer(host: String) throws {
        let (api, _) = try localAPI(LocalReporting(allowedHostNames: ["portinfo.internal"], scanMaxAge: .seconds(60)))
        let refused = api.handle(localRequest("/free-ports", headers: [("Host", host)]))
        #expect(refused.status == 403)
        #expect(refused.problemType == "https://portinfo.invalid/problems/forbidden")
        #expect(refused.headers["Cache-Control"] == "no-store")
        #expect(refused.detail == "local-host reports are open only to requests addressed to this host by IP address, as localhost, "
            + "or by a name the server lists (--local-hosts); this one names '\(host)'")
        let port = api.handle(localRequest("/ports/600", headers: [("Host", host)]))
        #expect(port.status == 200 && port.object?["listeners"] == nil && port.headers["ETag"] != nil)
        // With a token, the token decides: a rebinding page does not have it.
        let (tokenAPI, _) = try localAPI(LocalReporting(token: "t", scanMaxAge: .seconds(60)))
        #expect(tokenAPI.handle(localRequest("/free-ports", token: "t", headers: [("Host", host)])).status == 200)
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
