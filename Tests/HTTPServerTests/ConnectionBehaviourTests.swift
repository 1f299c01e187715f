import Testing
@testable import HTTPServer

func ok(_ body: String = "ok") -> HTTPResponse {
    HTTPResponse(status: 200, body: Array(body.utf8))
}

func request(_ target: String = "/", extra: String = "") -> String {
    "GET \(target) HTTP/1.1\r\nHost: h\r\n\(extra)\r\n"
}

/// How a connection behaves, through an I/O worker's own loop on a socketpair, turned by the
/// test with a clock it moves (WorkerUnderTest).
@Suite struct ConnectionBehaviourTests {
    @Test func pipelinedRequestsAreHandedOutOneAtATime() throws {
        let served = try WorkerUnderTest()
        served.client.send(request("/a") + request("/b") + request("/c"))
        served.turn()
        #expect(served.handedOut == ["/a"])
        served.turn()
        #expect(served.handedOut == ["/a"], "no second request before the first is answered")
        served.respond(ok("1"))
        #expect(served.handedOut == ["/a", "/b"])
        served.respond(ok("2"))
        served.respond(ok("3"))
        #expect(served.handedOut == ["/a", "/b", "/c"])
        #expect(served.client.statusLines == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK"])
        #expect(served.client.text.hasSuffix("\r\n\r\n3"))
        #expect(served.isOpen && !served.client.sawEnd)
    }

    @Test func outputAboveTheHighWaterMarkStopsParsingAndReading() throws {
        let body = String(repeating: "x", count: 100 * 1024)
        // The server's socket holds a few KiB: a client that reads nothing stops it at once.
        let served = try WorkerUnderTest(serverSendBuffer: 4096) { _ in ok(body) }
        served.client.send(String(repeating: request(), count: 5))
        served.turn()
        // Three 100 KiB answers pass the 256 KiB mark: the other two requests wait, unparsed.
        #expect(served.handedOut.count == 3)
        served.client.send(request())
        served.turn()
        #expect(served.unreadByServer == request().utf8.count, "nothing is read while the output is above its mark")
        // Once the client reads, everything is answered.
        #expect(served.turn { served.client.statusLines.count == 6 })
        #expect(served.handedOut.count == 6 && served.unreadByServer == 0)
    }

    @Test func unparsedInputAboveItsHighWaterMarkStopsReading() throws {
        let served = try WorkerUnderTest()
        served.client.send(request() + String(repeating: request("/x"), count: 3000))
        #expect(served.turn { served.unreadByServer == 0 })
        #expect(served.handedOut.count == 1)
        served.client.send(request("/later"))
        served.turn()
        #expect(served.unreadByServer == request("/later").utf8.count, "more than 64 KiB wait to be parsed: read no more")
        served.respond(ok())
        #expect(served.handedOut.count == 2)
        #expect(served.unreadByServer == request("/later").utf8.count)
    }

    @Test func aClientThatTakesNothingIsClosedAtTheWriteTimeout() throws {
        var limits = HTTPLimits()
        limits.writeTimeout = .seconds(5)
        let served = try WorkerUnderTest(limits: limits, serverSendBuffer: 4096) { _ in ok(String(repeating: "x", count: 64 * 1024)) }
        served.client.send(request())
        served.turn()
        served.advance(by: .seconds(4))
        #expect(served.isOpen)
        // Progress moves the deadline on: the client takes what came, and the server writes more.
        served.client.receive()
        served.turn()
        served.advance(by: .seconds(4))
        #expect(served.isOpen)
        served.advance(by: .seconds(1))
        #expect(!served.isOpen, "closed at once: no linger for a client that reads nothing")
    }

    @Test func aRequestThatDoesNotArriveInTimeIsRefused408AndClosedAfterOneWrite() throws {
        var limits = HTTPLimits()
        limits.headerTimeout = .seconds(10)
        let served = try WorkerUnderTest(limits: limits)
        served.client.send("GET / HTTP/1.1\r\nHo")
        served.turn()
        served.advance(by: .seconds(9))
        served.client.send("st: h\r\n") // bytes arriving do not move the header deadline
        served.turn()
        #expect(served.isOpen)
        served.advance(by: .seconds(1))
        #expect(served.delegate.events == ["sent 408 refused"] && served.client.statusLines == ["HTTP/1.1 408 Request Timeout"])
        #expect(!served.isOpen && served.client.sawEnd)
    }

    @Test func anIdleConnectionEndsAtTheIdleTimeoutByLingering() throws {
        var limits = HTTPLimits()
        limits.idleTimeout = .seconds(60)
        limits.lingerTimeout = .seconds(2)
        let served = try WorkerUnderTest(limits: limits) { _ in ok() }
        served.client.send(request())
        served.turn()
        served.advance(by: .seconds(59))
        #expect(!served.client.sawEnd)
        served.advance(by: .seconds(1))
        #expect(served.client.sawEnd && served.isOpen, "writing shut down; still reading")
        served.client.send(request()) // dropped
        served.turn()
        #expect(served.handedOut.count == 1 && served.unreadByServer == 0)
        served.advance(by: .seconds(2))
        #expect(!served.isOpen)
    }

    @Test func aRefusalIsWrittenThenTheConnectionLingersDroppingInput() throws {
        let served = try WorkerUnderTest()
        served.client.send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + request())
        served.turn()
        #expect(served.delegate.events == ["sent 400 refused"] && served.handedOut.isEmpty)
        #expect(served.client.statusLines == ["HTTP/1.1 400 Bad Request"] && served.client.text.contains("Connection: close\r\n"))
        #expect(served.client.sawEnd && served.isOpen)
        served.client.send(String(repeating: "more ", count: 1000)) // dropped
        served.turn()
        #expect(served.handedOut.isEmpty && served.isOpen && served.unreadByServer == 0)
        served.client.finishSending()
        served.turn()
        #expect(!served.isOpen)
    }

    @Test func aClientThatAsksToCloseIsClosedWithoutLingering() throws {
        let served = try WorkerUnderTest { _ in ok() }
        served.client.send(request(extra: "Connection: close\r\n"))
        served.turn()
        #expect(served.client.text.contains("Connection: close\r\n") && !served.isOpen)
    }

    @Test func aClientThatAsksToCloseButSentMoreGetsALinger() throws {
        let served = try WorkerUnderTest { _ in ok() }
        served.client.send(request(extra: "Connection: close\r\n") + request())
        served.turn()
        #expect(served.handedOut.count == 1 && served.client.sawEnd && served.isOpen)
    }

    /// The requests and the client's FIN reach the epoll set as one edge (EPOLLRDHUP): the end is
    /// found by reading on, unprompted.
    @Test func aHalfClosedClientGetsEveryAnswerThenTheClose() throws {
        let served = try WorkerUnderTest { _ in ok() }
        served.client.send(request() + request())
        served.client.finishSending()
        #expect(served.turn { !served.isOpen }, "closed without waiting for a deadline")
        #expect(served.client.statusLines.count == 2)
    }

    @Test func expectContinueGetsTheInterimAnswerBeforeTheBodyIsRead() throws {
        let served = try WorkerUnderTest { _ in ok() }
        served.client.send("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        served.turn()
        #expect(served.client.text == "HTTP/1.1 100 Continue\r\n\r\n" && served.handedOut.isEmpty)
        served.client.send("hello")
        served.turn()
        #expect(served.handedOut.count == 1 && served.client.statusLines == ["HTTP/1.1 100 Continue", "HTTP/1.1 200 OK"])
    }

    @Test func stoppingEndsAnIdleConnectionAfterItsWait() throws {
        let served = try WorkerUnderTest()
        served.worker.shutDownConnections()
        served.turn()
        #expect(!served.client.sawEnd, "a request may be on its way")
        served.advance(by: HTTPLimits().shutdownIdleWait)
        #expect(served.client.sawEnd)
    }

    @Test func stoppingAnswersARequestThatArrivesDuringTheWaitThenCloses() throws {
        let served = try WorkerUnderTest { _ in ok() }
        served.worker.shutDownConnections()
        served.turn()
        served.advance(by: .milliseconds(100))
        served.client.send(request())
        served.turn()
        #expect(served.client.statusLines.count == 1 && served.client.text.contains("Connection: close\r\n"), "answered, then closed")
        #expect(served.client.sawEnd)
    }

    @Test func stoppingMarksTheAnswerInFlightAsTheLast() throws {
        let served = try WorkerUnderTest()
        served.client.send(request())
        served.turn()
        served.worker.shutDownConnections()
        served.turn()
        served.respond(ok())
        #expect(served.client.text.contains("Connection: close\r\n") && served.client.sawEnd)
    }

    @Test func stoppingAnswersWhatHadArrivedOnlyTheLastSayingClose() throws {
        let served = try WorkerUnderTest()
        served.client.send(request() + request())
        served.turn()
        served.worker.shutDownConnections()
        served.turn()
        served.respond(ok())
        served.respond(ok())
        #expect(served.client.statusLines.count == 2, "what had arrived is answered")
        #expect(served.client.text.components(separatedBy: "Connection: close\r\n").count == 2, "only the last says close")
    }

    @Test func theLastRequestAllowedOnAConnectionSaysClose() throws {
        var limits = HTTPLimits()
        limits.maxRequestsPerConnection = 2
        let served = try WorkerUnderTest(limits: limits) { _ in ok() }
        served.client.send(request() + request() + request())
        served.turn()
        #expect(served.handedOut.count == 2 && served.client.text.components(separatedBy: "Connection: close\r\n").count == 2)
        #expect(served.client.sawEnd && served.isOpen, "the third request was sent: linger rather than reset it")
    }

    @Test func http10KeepsAliveOnlyWhenAsked() throws {
        let plain = try WorkerUnderTest { _ in ok() }
        plain.client.send("GET / HTTP/1.0\r\n\r\n")
        plain.turn()
        #expect(plain.client.text.contains("Connection: close\r\n") && !plain.isOpen)

        let kept = try WorkerUnderTest { _ in ok() }
        kept.client.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        kept.turn()
        #expect(kept.client.text.contains("Connection: keep-alive\r\n") && kept.isOpen)
    }

    @Test func headAnswersCarryTheLengthButNoBody() throws {
        let served = try WorkerUnderTest { _ in ok("twelve bytes") }
        served.client.send("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n")
        served.turn()
        #expect(served.client.text.contains("Content-Length: 12\r\n") && served.client.text.hasSuffix("\r\n\r\n"))
    }

    @Test func aSocketFailureWhileAnsweringClosesAndTheLateAnswerIsDropped() throws {
        let served = try WorkerUnderTest { $0.target == "/slow" ? nil : ok() }
        served.client.send(request("/first") + request("/slow"))
        served.turn()
        #expect(served.handedOut == ["/first", "/slow"])
        served.client.closeUnread() // the first answer unread: the server's next read fails
        served.turn()
        #expect(!served.isOpen)
        served.respond(ok())
        #expect(served.delegate.events == ["sent 200 for GET /first"])
    }

    @Test func aRefusedConnectionWritesItsRefusalThenLingers() throws {
        let refusal = RecordingDelegate().refusal(status: 503, detail: "full", retryAfterSeconds: 1)
        let served = try WorkerUnderTest(refusal: refusal)
        #expect(served.client.statusLines == ["HTTP/1.1 503 Service Unavailable"] && served.client.text.contains("Retry-After: 1\r\n"))
        #expect(served.client.sawEnd && served.isOpen)
        served.client.send(request()) // dropped: it is not served
        served.turn()
        #expect(served.handedOut.isEmpty && served.unreadByServer == 0)
    }
}
