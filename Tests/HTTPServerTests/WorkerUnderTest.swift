import Foundation
import Glibc
@testable import Sockets
import Synchronization
@testable import HTTPServer

/// A clock that stands still until a test moves it.
final class TestClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)

    var now: ContinuousClock.Instant { instant.withLock { $0 } }

    func advance(by duration: Duration) {
        instant.withLock { $0 += duration }
    }
}

/// An IOWorker serving one connection, the server's end of a socketpair, whose loop the test
/// turns on its own thread (the worker's thread is never started), with a clock the test moves:
/// what happens depends on what the test does, never on timing or the machine's load.
final class WorkerUnderTest {
    let clock = TestClock()
    let delegate = RecordingDelegate()
    let worker: IOWorker
    let client: PairedClient
    /// The server's end of the pair.
    private let serverDescriptor: Int32
    private let application: TestApplication

    /// `answer` answers each request at once, or (nil) leaves it for `respond`; a `refusal` is
    /// all a connection turned away is sent; `serverSendBuffer` shrinks what the server's socket
    /// holds, for a client that reads nothing to stop it soon.
    init(limits: HTTPLimits = HTTPLimits(), refusal: HTTPResponse? = nil, serverSendBuffer: Int32? = nil,
         answer: @escaping @Sendable (HTTPRequest) -> HTTPResponse? = { _ in nil }) throws {
        application = TestApplication(answer: answer)
        let services = HTTPServices(handler: application.handle, delegate: delegate)
        worker = try IOWorker(name: "test.worker", services: services, now: { [clock] in clock.now })
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0,
                         &pair) == 0 else { throw SocketError("socketpair") }
        client = PairedClient(descriptor: pair[0])
        serverDescriptor = pair[1]
        if var size = serverSendBuffer {
            setsockopt(serverDescriptor, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        worker.adopt(Socket(descriptor: serverDescriptor), remoteAddress: "192.0.2.1", limits: limits, refusal: refusal)
        turn()
    }

    deinit {
        worker.forceCloseConnections()
        turn()
        // Responders left unanswered hold the connection, which holds the worker.
        application.forgetWaiting()
    }

    /// One turn of the worker's loop, waiting for nothing.
    func turn() {
        worker.serveBatch(waitingAtMost: .zero)
    }

    /// Turns the loop until `condition` holds, at most `turns` times: whether it came to hold.
    func turn(until condition: () -> Bool, atMost turns: Int = 10_000) -> Bool {
        for _ in 0..<turns {
            if condition() { return true }
            turn()
        }
        return condition()
    }

    /// Moves the clock on, then turns the loop once: deadlines passed by then take effect. (The
    /// worker looks for them every `deadlineCheckInterval`: a shorter step might not look.)
    func advance(by duration: Duration) {
        precondition(duration >= IOWorker.deadlineCheckInterval, "a step shorter than the deadline check interval")
        clock.advance(by: duration)
        turn()
    }

    /// Answers the oldest request left for later, then turns the loop once.
    func respond(_ response: HTTPResponse) {
        application.respondToOldest(response)
        turn()
    }

    /// The targets of the requests handed to the application, in order.
    var handedOut: [String] { application.handedOut }

    var isOpen: Bool { worker.connectionCount.load(ordering: .relaxed) == 1 }

    /// Bytes the client sent that the server has not read.
    var unreadByServer: Int {
        var count: Int32 = 0
        return ioctl(serverDescriptor, UInt(FIONREAD), &count) == 0 ? Int(count) : 0
    }
}

/// Answers with `answer` at once, or keeps the responder for the test to answer later.
private final class TestApplication: Sendable {
    private let answer: @Sendable (HTTPRequest) -> HTTPResponse?
    private let requests = Mutex<(handedOut: [String], waiting: [HTTPResponder])>(([], []))

    init(answer: @escaping @Sendable (HTTPRequest) -> HTTPResponse?) {
        self.answer = answer
    }

    var handle: HTTPHandler {
        { [self] request, responder in
            let response = answer(request)
            requests.withLock { requests in
                requests.handedOut.append(request.target)
                if response == nil { requests.waiting.append(responder) }
            }
            return response
        }
    }

    var handedOut: [String] { requests.withLock { $0.handedOut } }

    func forgetWaiting() {
        requests.withLock { $0.waiting = [] }
    }

    func respondToOldest(_ response: HTTPResponse) {
        let responder = requests.withLock { $0.waiting.removeFirst() }
        responder.respond(response)
    }
}

/// The client's end of the socketpair: non-blocking, so that the test sees what has arrived so
/// far and never waits. It reads when the test looks at what arrived: a test that does not look
/// is a client that reads nothing.
final class PairedClient {
    private let descriptor: Int32
    private var isClosed = false
    private var received: [UInt8] = []
    private var receivedEnd = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        if !isClosed { close(descriptor) }
    }

    /// Sends `text`, all of it: the socket holds far more than these tests send unread.
    func send(_ text: String) {
        let bytes = Array(text.utf8)
        let sent = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        precondition(sent == bytes.count, "the client's socket took \(sent) of \(bytes.count) bytes")
    }

    /// Reads what has arrived.
    func receive() {
        guard !isClosed else { return }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !receivedEnd {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count > 0 {
                received += buffer[..<count]
            } else if count == 0 || errno != EAGAIN {
                receivedEnd = true
            } else {
                return
            }
        }
    }

    /// The server shut down its writing side, or closed: what it sent is all it sends.
    var sawEnd: Bool {
        receive()
        return receivedEnd
    }

    /// Sends the end of what it sends (its FIN); it still reads.
    func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Closes without reading what arrived: the server's next read fails (a reset).
    func closeUnread() {
        close(descriptor)
        isClosed = true
    }

    var text: String {
        receive()
        return String(decoding: received, as: UTF8.self)
    }

    /// The status lines received so far (the bodies here never hold "HTTP/1.1 "). Found with
    /// Data's search, which is built optimised: a test looks again after every turn, at answers
    /// of hundreds of KiB.
    var statusLines: [String] {
        receive()
        let bytes = Data(received)
        var lines: [String] = []
        var rest = bytes.startIndex..<bytes.endIndex
        while let start = bytes.range(of: Data("HTTP/1.1 ".utf8), in: rest),
              let end = bytes.range(of: Data("\r\n".utf8), in: start.lowerBound..<bytes.endIndex) {
            lines.append(String(decoding: bytes[start.lowerBound..<end.lowerBound], as: UTF8.self))
            rest = end.upperBound..<bytes.endIndex
        }
        return lines
    }
}
