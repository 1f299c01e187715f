import Testing
@testable import HTTPServer

/// Drives a ConnectionLifecycle as HTTPConnection would, with a pretend socket: it takes at most
/// `socketTakes` bytes per write and keeps what it took.
struct LifecycleDriver {
    var lifecycle: ConnectionLifecycle
    var now = ContinuousClock.now
    var written: [UInt8] = []
    var socketTakes = Int.max
    var shutDownSent = false
    var closed = false
    var refusals: [Int] = []
    /// The requests handed out, in order.
    var handedOut: [HTTPRequest] = []

    init(limits: HTTPLimits = HTTPLimits()) {
        lifecycle = ConnectionLifecycle(limits: limits, remoteAddress: "192.0.2.1", refusal: RecordingDelegate.problem,
                                        at: EventTime(instant: now, dateField: "Date: now\r\n"))
    }

    var time: EventTime { EventTime(instant: now, dateField: "Date: now\r\n") }

    mutating func receive(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { lifecycle.received(UnsafeRawBufferPointer($0), at: time) }
    }

    /// Carries out actions until the lifecycle waits or closes; answers requests with `answer`
    /// when it gives one (nil: the application answers later, through `answer(_:)`).
    mutating func run(answering answer: (HTTPRequest) -> HTTPResponse? = { _ in nil }) {
        while true {
            switch lifecycle.nextAction(at: time) {
            case let .answer(request):
                handedOut.append(request)
                if let response = answer(request) { lifecycle.answered(response, at: time) }
            case let .refused(_, refusal):
                refusals.append(refusal.status)
            case .write:
                let taken = lifecycle.withPendingOutput { pending in
                    let count = min(pending.count, socketTakes)
                    written += pending[..<count]
                    return count
                }
                lifecycle.wrote(taken, at: time)
            case .shutDownWriting:
                shutDownSent = true
            case .close:
                closed = true
                return
            case .wait:
                return
            }
        }
    }

    mutating func answer(_ response: HTTPResponse) {
        lifecycle.answered(response, at: time)
        run()
    }

    mutating func advance(by duration: Duration) {
        now += duration
        if let deadline = lifecycle.deadline, deadline <= now { lifecycle.deadlinePassed(at: time) }
        run()
    }

    /// The status lines written so far (the bodies here never hold "HTTP/1.1 ").
    var statusLines: [String] {
        text.components(separatedBy: "HTTP/1.1 ").dropFirst().map { "HTTP/1.1 " + $0.components(separatedBy: "\r\n")[0] }
    }

    var text: String { String(decoding: written, as: UTF8.self) }
}

func ok(_ body: String = "ok") -> HTTPResponse {
    HTTPResponse(status: 200, body: Array(body.utf8))
}

let request = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"

@Suite struct ConnectionLifecycleTests {
    @Test func pipelinedRequestsAreHandedOutOneAtATime() {
        var driver = LifecycleDriver()
        driver.receive(request + request.replacingOccurrences(of: "/a", with: "/b") + request.replacingOccurrences(of: "/a", with: "/c"))
        driver.run()
        #expect(driver.handedOut.map(\.target) == ["/a"])
        driver.run()
        #expect(driver.handedOut.count == 1, "no second request before the first is answered")
        driver.answer(ok("1"))
        #expect(driver.handedOut.map(\.target) == ["/a", "/b"])
        driver.answer(ok("2"))
        driver.answer(ok("3"))
        #expect(driver.handedOut.map(\.target) == ["/a", "/b", "/c"])
        #expect(driver.statusLines == ["HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 200 OK"])
        #expect(driver.text.hasSuffix("\r\n\r\n3"))
        #expect(!driver.closed && driver.lifecycle.interest == .init(read: true, write: false))
    }

    @Test func outputAboveTheHighWaterMarkStopsParsingAndReading() {
        var driver = LifecycleDriver()
        driver.socketTakes = 0 // a client that reads nothing
        let body = String(repeating: "x", count: 100 * 1024)
        driver.receive(String(repeating: request, count: 50))
        driver.run { _ in ok(body) }
        // Three 100 KiB answers pass the 256 KiB mark: the other 47 requests wait, unparsed.
        #expect(driver.handedOut.count == 3)
        #expect(driver.lifecycle.interest == .init(read: false, write: true))
        driver.socketTakes = .max
        driver.lifecycle.becameWritable()
        driver.run { _ in ok(body) }
        #expect(driver.handedOut.count == 50 && driver.statusLines.count == 50)
    }

    @Test func unparsedInputAboveItsHighWaterMarkStopsReading() {
        var driver = LifecycleDriver()
        driver.receive(request + String(repeating: "GET /x HTTP/1.1\r\nHost: h\r\n\r\n", count: 3000))
        driver.run()
        #expect(driver.handedOut.count == 1)
        #expect(driver.lifecycle.interest.read == false, "64 KiB wait to be parsed: read no more")
        driver.answer(ok())
        #expect(driver.lifecycle.interest.read == false)
    }

    @Test func aClientThatTakesNothingIsClosedAtTheWriteTimeout() {
        var limits = HTTPLimits()
        limits.writeTimeout = .seconds(5)
        var driver = LifecycleDriver(limits: limits)
        driver.socketTakes = 0
        driver.receive(request)
        driver.run { _ in ok(String(repeating: "x", count: 1000)) }
        #expect(driver.lifecycle.deadline == driver.now + .seconds(5))
        driver.advance(by: .seconds(4))
        #expect(!driver.closed)
        // Progress moves the deadline on.
        driver.socketTakes = 10
        driver.lifecycle.becameWritable()
        driver.run()
        driver.socketTakes = 0
        driver.lifecycle.becameWritable()
        driver.run()
        driver.advance(by: .seconds(4))
        #expect(!driver.closed)
        driver.advance(by: .seconds(1))
        #expect(driver.closed && !driver.shutDownSent, "closed at once: no linger for a client that reads nothing")
    }

    @Test func aRequestThatDoesNotArriveInTimeIsRefused408AndClosedAfterOneWrite() {
        var limits = HTTPLimits()
        limits.headerTimeout = .seconds(10)
        var driver = LifecycleDriver(limits: limits)
        driver.receive("GET / HTTP/1.1\r\nHo")
        driver.run()
        #expect(driver.lifecycle.deadline == driver.now + .seconds(10))
        driver.advance(by: .seconds(9))
        driver.receive("st: h\r\n") // bytes arriving do not move the header deadline
        driver.run()
        driver.advance(by: .seconds(1))
        #expect(driver.refusals == [408] && driver.statusLines == ["HTTP/1.1 408 Request Timeout"])
        #expect(driver.closed && !driver.shutDownSent)
    }

    @Test func anIdleConnectionEndsAtTheIdleTimeoutByLingering() {
        var limits = HTTPLimits()
        limits.idleTimeout = .seconds(60)
        limits.lingerTimeout = .seconds(2)
        var driver = LifecycleDriver(limits: limits)
        driver.receive(request)
        driver.run { _ in ok() }
        #expect(driver.lifecycle.deadline == driver.now + .seconds(60))
        driver.advance(by: .seconds(60))
        #expect(driver.shutDownSent && !driver.closed && driver.lifecycle.interest.read)
        #expect(driver.lifecycle.deadline == driver.now + .seconds(2))
        driver.advance(by: .seconds(2))
        #expect(driver.closed)
    }

    @Test func aRefusalIsWrittenThenTheConnectionLingersDroppingInput() {
        var driver = LifecycleDriver()
        driver.receive("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" + request)
        driver.run()
        #expect(driver.refusals == [400] && driver.handedOut.isEmpty)
        #expect(driver.statusLines == ["HTTP/1.1 400 Bad Request"] && driver.text.contains("Connection: close\r\n"))
        #expect(driver.shutDownSent && !driver.closed && driver.lifecycle.interest.read)
        driver.receive(String(repeating: "more ", count: 1000)) // dropped
        driver.run()
        #expect(driver.handedOut.isEmpty && !driver.closed)
        driver.lifecycle.receivedEnd()
        driver.run()
        #expect(driver.closed)
    }

    @Test func aClientThatAsksToCloseIsClosedWithoutLingering() {
        var driver = LifecycleDriver()
        driver.receive("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")
        driver.run { _ in ok() }
        #expect(driver.text.contains("Connection: close\r\n") && driver.closed && !driver.shutDownSent)
    }

    @Test func aClientThatAsksToCloseButSentMoreGetsALinger() {
        var driver = LifecycleDriver()
        driver.receive("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n" + request)
        driver.run { _ in ok() }
        #expect(driver.handedOut.count == 1 && driver.shutDownSent && !driver.closed)
    }

    @Test func aHalfClosedClientGetsEveryAnswerThenTheClose() {
        var driver = LifecycleDriver()
        driver.receive(request + request)
        driver.lifecycle.receivedEnd()
        driver.run { _ in ok() }
        #expect(driver.statusLines.count == 2 && driver.closed && !driver.shutDownSent)
    }

    @Test func expectContinueGetsTheInterimAnswerBeforeTheBodyIsRead() {
        var driver = LifecycleDriver()
        driver.receive("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
        driver.run()
        #expect(driver.text == "HTTP/1.1 100 Continue\r\n\r\n" && driver.handedOut.isEmpty)
        driver.receive("hello")
        driver.run { _ in ok() }
        #expect(driver.handedOut.count == 1 && driver.statusLines == ["HTTP/1.1 100 Continue", "HTTP/1.1 200 OK"])
    }

    @Test func stoppingEndsAnIdleConnectionAndMarksTheLastAnswer() {
        var idle = LifecycleDriver()
        idle.lifecycle.shutDown(at: idle.time)
        idle.run()
        #expect(!idle.shutDownSent, "a request may be on its way")
        idle.advance(by: HTTPLimits().shutdownIdleWait)
        #expect(idle.shutDownSent)

        var late = LifecycleDriver()
        late.lifecycle.shutDown(at: late.time)
        late.run()
        late.advance(by: .milliseconds(100))
        late.receive(request)
        late.run { _ in ok() }
        #expect(late.statusLines.count == 1 && late.text.contains("Connection: close\r\n"), "answered, then closed")

        var busy = LifecycleDriver()
        busy.receive(request)
        busy.run()
        busy.lifecycle.shutDown(at: busy.time)
        busy.answer(ok())
        #expect(busy.text.contains("Connection: close\r\n") && busy.shutDownSent)

        var pipelined = LifecycleDriver()
        pipelined.receive(request + request)
        pipelined.run()
        pipelined.lifecycle.shutDown(at: pipelined.time)
        pipelined.answer(ok())
        pipelined.answer(ok())
        #expect(pipelined.statusLines.count == 2, "what had arrived is answered")
        #expect(pipelined.text.components(separatedBy: "Connection: close\r\n").count == 2, "only the last says close")
    }

    @Test func theLastRequestAllowedOnAConnectionSaysClose() {
        var limits = HTTPLimits()
        limits.maxRequestsPerConnection = 2
        var driver = LifecycleDriver(limits: limits)
        driver.receive(request + request + request)
        driver.run { _ in ok() }
        #expect(driver.handedOut.count == 2 && driver.text.components(separatedBy: "Connection: close\r\n").count == 2)
        #expect(driver.shutDownSent, "the third request was sent: linger rather than reset it")
    }

    @Test func http10KeepsAliveOnlyWhenAsked() {
        var plain = LifecycleDriver()
        plain.receive("GET / HTTP/1.0\r\n\r\n")
        plain.run { _ in ok() }
        #expect(plain.text.contains("Connection: close\r\n") && plain.closed)

        var kept = LifecycleDriver()
        kept.receive("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        kept.run { _ in ok() }
        #expect(kept.text.contains("Connection: keep-alive\r\n") && !kept.closed)
    }

    @Test func headAnswersCarryTheLengthButNoBody() {
        var driver = LifecycleDriver()
        driver.receive("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n")
        driver.run { _ in ok("twelve bytes") }
        #expect(driver.text.contains("Content-Length: 12\r\n") && driver.text.hasSuffix("\r\n\r\n"))
    }

    @Test func aSocketFailureWhileAnsweringClosesAndTheLateAnswerIsDropped() {
        var driver = LifecycleDriver()
        driver.receive(request)
        driver.run()
        driver.lifecycle.socketFailed()
        driver.run()
        #expect(driver.closed)
        driver.closed = false
        driver.answer(ok())
        #expect(driver.written.isEmpty && !driver.closed)
    }

    @Test func aRefusedConnectionWritesItsRefusalThenLingers() {
        var driver = LifecycleDriver()
        driver.lifecycle = ConnectionLifecycle(refusing: RecordingDelegate().refusal(status: 503, detail: "full", retryAfterSeconds: 1),
                                               limits: HTTPLimits(), at: driver.time)
        driver.receive(request) // dropped: it is not served
        driver.run()
        #expect(driver.statusLines == ["HTTP/1.1 503 Service Unavailable"] && driver.text.contains("Retry-After: 1\r\n"))
        #expect(driver.handedOut.isEmpty && driver.shutDownSent)
    }
}
