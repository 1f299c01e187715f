import Testing
@testable import HTTPServer

private let opened = Moment(.now)

/// The moment `offset` after the connection opened.
private func at(_ offset: Duration) -> EventTime {
    EventTime(moment: opened + offset, dateField: "Date: now\r\n")
}

private func openedLifecycle() -> ConnectionLifecycle {
    ConnectionLifecycle(limits: HTTPLimits(), remoteAddress: "192.0.2.1", refusal: RecordingDelegate.problem, at: at(.zero))
}

private extension ConnectionLifecycle {
    mutating func receive(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { received(UnsafeRawBufferPointer($0)) }
    }

    /// The socket takes everything waiting.
    mutating func writeAll(at time: EventTime) {
        wrote(withPendingOutput { $0.count }, at: time)
    }

    var phase: String { String(String(describing: state).prefix { $0 != "(" }) }
}

/// The lifecycle as a value: its phases, and the events each phase takes, ignores or refuses.
/// How a connection behaves through the I/O worker's loop is ConnectionBehaviourTests'.
@Suite struct ConnectionLifecycleTests {
    @Test func aRequestGoesFromWaitingThroughReceivingAndAnsweringBackToWaiting() throws {
        let limits = HTTPLimits()
        var lifecycle = openedLifecycle()
        #expect(lifecycle.phase == "waiting" && lifecycle.deadline == opened + limits.idleTimeout)
        lifecycle.receive("GET /a HTTP/1.1\r\nHo")
        #expect(lifecycle.nextAction(at: at(.seconds(1))) == .wait)
        #expect(lifecycle.phase == "receiving" && lifecycle.deadline == opened + .seconds(1) + limits.headerTimeout)
        lifecycle.receive("st: h\r\n\r\n")
        let action = lifecycle.nextAction(at: at(.seconds(2)))
        guard case let .answer(request, number) = action else { throw Unexpected(action) }
        #expect(request.target == "/a" && number == 1)
        #expect(lifecycle.phase == "answering" && lifecycle.deadline == nil)
        #expect(lifecycle.nextAction(at: at(.seconds(2))) == .wait)
        #expect(lifecycle.answered(ok(), toRequest: 1, at: at(.seconds(3)))?.request == request)
        #expect(lifecycle.phase == "waiting" && lifecycle.nextAction(at: at(.seconds(3))) == .write)
        lifecycle.writeAll(at: at(.seconds(4)))
        #expect(lifecycle.nextAction(at: at(.seconds(4))) == .wait)
        #expect(lifecycle.deadline == opened + .seconds(4) + limits.idleTimeout, "idle from when the answer was written whole")
    }

    @Test func theHighWaterMarksStopReadingAndParsing() throws {
        var full = openedLifecycle()
        full.receive(request() + String(repeating: request("/x"), count: 3000))
        guard case .answer = full.nextAction(at: at(.zero)) else { throw Unexpected(full.state) }
        #expect(full.interest == .init(read: false, write: false), "64 KiB wait to be parsed: read no more")

        var blocked = openedLifecycle()
        blocked.receive(request() + request())
        _ = blocked.nextAction(at: at(.zero))
        _ = blocked.answered(ok(String(repeating: "x", count: ConnectionLifecycle.outputHighWater)), toRequest: 1, at: at(.zero))
        #expect(blocked.nextAction(at: at(.zero)) == .write)
        blocked.wrote(0, at: at(.zero))
        #expect(blocked.nextAction(at: at(.zero)) == .wait, "the next request is not parsed")
        #expect(blocked.interest == .init(read: false, write: true))
        blocked.becameWritable()
        #expect(blocked.nextAction(at: at(.seconds(1))) == .write)
        blocked.wrote(0, at: at(.seconds(1)))
        #expect(blocked.deadline == opened + HTTPLimits().writeTimeout, "a socket that says it has room but takes nothing gains no time")
    }

    @Test func anEndingConnectionDropsInputIgnoresStoppingAndEndsWithTheClient() {
        var lifecycle = openedLifecycle()
        lifecycle.receive("GET / HTTP/1.1\r\n\r\n") // no Host
        guard case let .refused(response, failure) = lifecycle.nextAction(at: at(.zero)) else { return #expect(Bool(false)) }
        #expect(response.status == 400 && failure.status == 400 && lifecycle.phase == "finishing")
        #expect(lifecycle.nextAction(at: at(.zero)) == .write)
        lifecycle.writeAll(at: at(.zero))
        #expect(lifecycle.nextAction(at: at(.zero)) == .shutDownWriting && lifecycle.phase == "lingering")
        lifecycle.receive(request())
        lifecycle.shutDown(at: at(.zero))
        #expect(lifecycle.nextAction(at: at(.zero)) == .wait && lifecycle.interest == .init(read: true, write: false))
        #expect(lifecycle.deadline == opened + HTTPLimits().lingerTimeout)
        lifecycle.receivedEnd()
        #expect(lifecycle.nextAction(at: at(.zero)) == .close && lifecycle.isClosed)
    }

    @Test func anAnswerAfterTheConnectionEndedOrASecondAnswerIsDropped() {
        var ended = openedLifecycle()
        ended.receive(request())
        _ = ended.nextAction(at: at(.zero))
        ended.socketFailed()
        #expect(ended.nextAction(at: at(.zero)) == .close)
        #expect(ended.answered(ok(), toRequest: 1, at: at(.zero)) == nil && ended.isClosed)

        var twice = openedLifecycle()
        twice.receive(request())
        _ = twice.nextAction(at: at(.zero))
        #expect(twice.answered(ok("first"), toRequest: 1, at: at(.zero)) != nil)
        #expect(twice.answered(ok("second"), toRequest: 1, at: at(.zero)) == nil)
        #expect(twice.nextAction(at: at(.zero)) == .write)
        #expect(twice.withPendingOutput { String(decoding: $0, as: UTF8.self) }.hasSuffix("\r\n\r\nfirst"))
    }

    @Test func anAnswerToARequestNeverHandedOutStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            var lifecycle = ConnectionLifecycle(limits: HTTPLimits(), remoteAddress: "192.0.2.1", refusal: RecordingDelegate.problem,
                                                at: EventTime(moment: Moment(.now), dateField: ""))
            _ = lifecycle.answered(HTTPResponse(status: 200), toRequest: 1, at: EventTime(moment: Moment(.now), dateField: ""))
        }
    }

    @Test func aSocketEventForAClosedConnectionStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            var lifecycle = ConnectionLifecycle(limits: HTTPLimits(), remoteAddress: "192.0.2.1", refusal: RecordingDelegate.problem,
                                                at: EventTime(moment: Moment(.now), dateField: ""))
            lifecycle.forceClose()
            _ = lifecycle.nextAction(at: EventTime(moment: Moment(.now), dateField: ""))
            lifecycle.receivedEnd()
        }
    }

    @Test func bytesWrittenWithNoWriteAskedForStopTheProcess() async {
        await #expect(processExitsWith: .failure) {
            var lifecycle = ConnectionLifecycle(limits: HTTPLimits(), remoteAddress: "192.0.2.1", refusal: RecordingDelegate.problem,
                                                at: EventTime(moment: Moment(.now), dateField: ""))
            lifecycle.forceClose()
            lifecycle.wrote(1, at: EventTime(moment: Moment(.now), dateField: ""))
        }
    }
}

/// What a test did not expect, to throw.
private struct Unexpected: Error {
    let what: String

    init(_ what: Any) {
        self.what = String(describing: what)
    }
}
