import Foundation
import Synchronization
import Testing
import TestSupport
@testable import HTTPServer

/// The limits that keep one client from costing the server more than its share, through real
/// sockets on loopback.
@Suite struct ConnectionLimitsTests {
    @Test func oneClientAddressMayHoldOnlyItsShareOfConnections() throws {
        var limits = HTTPLimits()
        limits.maxConnectionsPerClient = 2
        let server = try TestServer(limits: limits, host: "::")
        let first = try RawClient(port: server.port), second = try RawClient(port: server.port)
        for client in [first, second] {
            client.send(get())
            #expect(client.readResponse()?.status == 200)
        }
        let third = try RawClient(port: server.port)
        let refused = try #require(third.readResponse())
        #expect(refused.status == 503 && refused.header("Retry-After") == "1")
        #expect(refused.body.contains("this client has 2 connections open"))
        // Another address is another client.
        let other = try RawClient(port: server.port, host: "::1")
        other.send(get())
        #expect(other.readResponse()?.status == 200)
    }

    @Test func aClientThatReadsNothingStopsTheServerParsingAndIsClosedAtTheWriteTimeout() throws {
        var limits = HTTPLimits()
        limits.writeTimeout = .milliseconds(500)
        let answered = Atomic(0)
        let server = try TestServer(limits: limits) { _ in
            answered.add(1, ordering: .relaxed)
            return HTTPResponse(status: 200, body: [UInt8](repeating: 65, count: 64 * 1024))
        }
        let client = try server.client()
        client.shrinkReceiveBuffer()
        // Sending blocks once the server stops reading: from a thread of its own, which ends
        // when the server closes the connection.
        let requests = String(repeating: get(), count: 2000)
        Thread { client.send(requests) }.start()
        #expect(waitUntil { server.server.openConnections == 0 }, "closed once it took nothing for the write timeout")
        // 2,000 requests were sent; only those whose answers fit the output high-water mark and
        // the socket buffers were answered.
        #expect(answered.load(ordering: .relaxed) < 200)
    }

    @Test func aSlowAnswerHoldsUpNoOtherConnectionOnItsWorker() throws {
        let slowStarted = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let server = try TestServer(workerThreads: 1) { request, responder in
            guard request.target == "/slow" else { return echo(request) }
            Thread {
                slowStarted.signal()
                release.wait()
                responder.respond(echo(request))
            }.start()
            return nil
        }
        let slow = try server.client()
        slow.send(get("/slow") + get("/after-slow"))
        slowStarted.wait()
        for index in 0..<5 {
            let other = try server.client()
            other.send(get("/fast\(index)"))
            #expect(other.readResponse()?.body.hasPrefix("GET /fast\(index)\n") == true)
        }
        release.signal()
        #expect(slow.readResponse()?.body.hasPrefix("GET /slow\n") == true)
        #expect(slow.readResponse()?.body.hasPrefix("GET /after-slow\n") == true, "pipelined requests wait their turn")
    }

    @Test func aRefusedRequestIsReadNotResetEvenWithMoreInputBehindIt() throws {
        let server = try TestServer()
        for _ in 0..<20 {
            let client = try server.client()
            // No Host: refused; what follows is never read by the parser.
            client.send("GET / HTTP/1.1\r\n\r\n" + String(repeating: "x", count: 200_000))
            let refusal = try #require(client.readResponse())
            #expect(refusal.status == 400)
            #expect(client.isClosedByServer())
        }
    }

    @Test func expectContinueGetsItsInterimAnswerBeforeTheBody() throws {
        let server = try TestServer()
        let client = try server.client()
        client.send("POST /upload HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        let interim = try #require(client.readResponse())
        #expect(interim.status == 100)
        client.send("hello")
        #expect(client.readResponse()?.body.hasPrefix("POST /upload\n") == true)
    }
}
