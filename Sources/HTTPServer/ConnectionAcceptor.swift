import Basics
import Dispatch
import Logging
import Sockets

/// Accepts connections on the listening socket, on a queue of its own, and hands each on. When
/// the system runs out of descriptors or memory it pauses, backing off (AcceptBackoff), rather
/// than fail again at once, forever, at full speed. It closes the listening socket once stopped.
/// (Unchecked Sendable: its mutable state, the back-off, its report and whether it is paused,
/// belongs to `queue`: only the read source's handler and work run on `queue` use it.)
final class ConnectionAcceptor: @unchecked Sendable {
    private let listener: Socket
    private let logger: Logger
    private let queue = DispatchQueue(label: "portinfo.accept")
    private let source: any DispatchSourceRead

    // The rest belongs to `queue`.
    private var backoff = AcceptBackoff()
    private var backoffReport = ThrottledReport(interval: HTTPServer.reportInterval)
    private var paused = false

    init(listener: Socket, logger: Logger) {
        self.listener = listener
        self.logger = logger
        source = DispatchSource.makeReadSource(fileDescriptor: listener.descriptor, queue: queue)
    }

    /// Starts accepting; `admit` takes each connection and its client's address, on the queue.
    func start(admit: @escaping @Sendable (Socket, String) -> Void) {
        source.setEventHandler { [self] in acceptPending(admit) }
        source.setCancelHandler { [listener] in listener.close() }
        source.resume()
    }

    /// Stops accepting, for good; the listening socket is closed once the source lets go of it.
    func stop() {
        queue.sync {
            source.cancel()
            // A paused source is resumed, so that it can finish cancelling.
            if paused {
                paused = false
                source.resume()
            }
        }
    }

    // MARK: On the queue

    private func acceptPending(_ admit: (Socket, String) -> Void) {
        while !paused {
            let accepted: (Socket, String)?
            do {
                accepted = try listener.accept()
            } catch where error.isOutOfResources {
                return pause(error)
            } catch {
                logger.error("cannot accept a connection: \(error)")
                return
            }
            guard let (socket, remoteAddress) = accepted else { return }
            let failures = backoff.succeeded()
            if failures > 0 { logger.notice("accepting connections again, after \(failures) attempts failed for want of resources") }
            admit(socket, remoteAddress)
        }
    }

    /// Out of descriptors or memory: stop accepting for a while rather than fail again at once.
    private func pause(_ error: SocketError) {
        let pause = backoff.failed()
        if let failures = backoffReport.record(at: .now) {
            logger.error("""
                cannot accept connections (\(error)): pausing up to \(AcceptBackoff.longestPause) at a time; \
                \(failures) attempts failed since the last report
                """)
        }
        paused = true
        source.suspend()
        queue.asyncAfter(deadline: .now() + pause.dispatchInterval) { [self] in
            guard paused else { return }
            paused = false
            source.resume()
        }
    }
}
