import CLinux
import Glibc
import Sockets
import Testing
import TestSupport

@Suite struct SocketsTests {
    @Test func aClientConnectsToAListenerAndTheyTalk() throws {
        let listener = try Socket.listen(host: "127.0.0.1", port: 0, backlog: 8)
        defer { listener.close() }
        let client = try Socket.connect(host: "127.0.0.1", port: listener.localPort)
        defer { client.close() }
        let accepted = try self.accepted(by: listener)
        let (server, address) = try #require(accepted)
        defer { server.close() }
        #expect(address == "127.0.0.1")
        #expect(Array("ping".utf8).withUnsafeBytes { client.write($0) } == 4)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64, alignment: 1)
        defer { buffer.deallocate() }
        #expect(waitForRead(server, buffer) == .bytes(4))
        client.shutDownWriting()
        #expect(waitForRead(server, buffer) == .end)
    }

    @Test func theEpollSetTellsOfInputAndOfThePeersFINInOneEdge() throws {
        let listener = try Socket.listen(host: "::", port: 0, backlog: 8)
        defer { listener.close() }
        let client = try Socket.connect(host: "::1", port: listener.localPort)
        defer { client.close() }
        let accepted = try self.accepted(by: listener)
        let (server, _) = try #require(accepted)
        defer { server.close() }
        let epoll = try EpollSet()
        defer { epoll.close() }
        _ = Array("GET".utf8).withUnsafeBytes { client.write($0) }
        client.shutDownWriting()
        // Both are in the server's receive queue before it is watched.
        #expect(waitUntil { Self.polled(server, for: Self.pollPeerFinished) })
        epoll.add(server.descriptor, token: 7, read: true, write: false)
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 4)
        defer { events.deallocate() }
        #expect(epoll.wait(into: events, upTo: .seconds(5)) == 1)
        let readiness = EpollSet.readiness(of: events[0])
        #expect(readiness.token == 7 && readiness.readable && readiness.peerFinished && !readiness.hungUp)
    }

    @Test func aWakeUpSignalWakesTheSetUntilCleared() throws {
        let epoll = try EpollSet()
        defer { epoll.close() }
        let signal = try WakeUpSignal()
        defer { signal.close() }
        epoll.add(signal.descriptor, token: 1, read: true, write: false)
        let events = UnsafeMutableBufferPointer<epoll_event>.allocate(capacity: 4)
        defer { events.deallocate() }
        #expect(epoll.wait(into: events, upTo: .zero) == 0)
        signal.signal()
        signal.signal()
        #expect(epoll.wait(into: events, upTo: .seconds(5)) == 1 && events[0].data.u64 == 1)
        signal.clear()
        #expect(epoll.wait(into: events, upTo: .zero) == 0)
    }

    @Test func acceptingBacksOffByDoublingUpToASecondAndASuccessEndsIt() {
        var backoff = AcceptBackoff()
        #expect((0..<9).map { _ in backoff.failed() }
            == [.milliseconds(10), .milliseconds(20), .milliseconds(40), .milliseconds(80), .milliseconds(160), .milliseconds(320),
                .milliseconds(640), .seconds(1), .seconds(1)])
        #expect(backoff.succeeded() == 9)
        #expect(backoff.failed() == .milliseconds(10))
    }

    @Test func aNetlinkSocketOfAProtocolTheKernelLacksIsRefused() {
        #expect(throws: SocketError.self) { try NetlinkSocket(protocol: 31, receiveTimeoutSeconds: 1) }
    }

    /// The connection `listener` accepts once the client's arrives.
    private func accepted(by listener: Socket) throws -> (Socket, String)? {
        var accepted: (Socket, String)?
        _ = try waitUntil {
            accepted = try listener.accept()
            return accepted != nil
        }
        return accepted
    }

    /// What reading `socket` gives once it gives anything but "would block".
    private func waitForRead(_ socket: Socket, _ buffer: UnsafeMutableRawBufferPointer) -> Socket.ReadResult {
        var result = Socket.ReadResult.wouldBlock
        _ = waitUntil {
            result = socket.read(into: buffer)
            return result != .wouldBlock
        }
        return result
    }

    /// POLLRDHUP (Linux's <poll.h>, under _GNU_SOURCE, which Glibc's module leaves out).
    private static let pollPeerFinished: Int16 = 0x2000

    /// Whether poll(2), not waiting, reports `events` on `socket`.
    private static func polled(_ socket: Socket, for events: Int16) -> Bool {
        var entry = pollfd(fd: socket.descriptor, events: events, revents: 0)
        return poll(&entry, 1, 0) == 1 && entry.revents & events != 0
    }
}
