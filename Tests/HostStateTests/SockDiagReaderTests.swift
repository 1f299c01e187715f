import CLinux
import Glibc
@testable import HostState
import TestSupport
import Testing

/// Real dumps from this host's kernel.
@Suite(.needsProcNet)
struct SockDiagReaderTests {
    @Test func ownLoopbackSocketsAreFoundByPortAndInodeAndGoWhenClosed() throws {
        let sockets = [LoopbackSocket(.tcp, .ipv4), LoopbackSocket(.udp, .ipv4), LoopbackSocket(.tcp, .ipv6), LoopbackSocket(.udp, .ipv6)]
        try #require(sockets[0] != nil && sockets[1] != nil, "cannot bind 127.0.0.1")
        let open = sockets.compactMap { $0 }
        let inodes = open.map(\.inode)
        let dumped = try SockDiagReader().listeningSockets()
        for (socket, inode) in zip(open, inodes) {
            let found = dumped.filter { $0.transport == socket.transport && $0.local.family == socket.family && $0.local.port == socket.port }
            #expect(found.map(\.inode) == [try #require(inode)], "\(socket.transport) \(socket.address):\(socket.port)")
            #expect(found.first?.local.addressText == socket.address)
            #expect(found.first?.uid == geteuid())
        }
        for socket in open { socket.closeSocket() }
        let afterClose = Set(try SockDiagReader().listeningSockets().map(\.inode))
        #expect(afterClose.isDisjoint(with: inodes.compactMap { $0 }))
    }

    @Test func aNetlinkProtocolTheKernelLacksIsRefusedAtTheSocket() {
        #expect(throws: SockDiagError.socketRefused(SystemCallError(code: EPROTONOSUPPORT))) {
            try SockDiagReader(netlinkProtocol: MAX_LINKS).listeningSockets()
        }
    }

    @Test func aProtocolWithoutASockDiagHandlerIsRefusedByTheKernel() {
        // IP protocol 254 is for experiments: no kernel module diagnoses its sockets.
        #expect(throws: SockDiagError.dumpRefused(SystemCallError(code: ENOENT))) {
            try SockDiagReader(requests: [SockDiagRequest(.tcp, .ipv4), SockDiagRequest(.tcp, .ipv4, protocolNumber: 254)]).listeningSockets()
        }
    }
}
