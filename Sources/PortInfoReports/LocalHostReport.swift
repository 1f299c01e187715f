import HostState
import Registry
import Glibc

/// What listens on this host, each socket with the IANA service registered for its port and
/// transport; and the ports a new service could take. The API's local-host routes and the
/// CLI's `listeners` and `free-ports` both answer from it.
public final class LocalHostReport: Sendable {
    /// A listening socket and the IANA service name for its port and transport, or nil.
    public struct ServicedListener: Sendable, Equatable {
        public let listener: Listener
        public let service: String?
    }

    /// Most ports one `freePorts` call returns.
    public static let maximumFreePortCount = 1000
    public static let defaultFreePortCount = 10

    private let scanner: ListenerScanner
    private let serviceNames: [Listener.Transport: [Int: String]]
    /// Per transport filter (nil: any), whether IANA lists each port as unassigned.
    private let unassigned: [Listener.Transport?: [Bool]]

    /// Reads what it needs of the registry once: the registry does not change while it is open.
    public init(store: RegistryStore, scanner: ListenerScanner) throws {
        self.scanner = scanner
        var names: [Listener.Transport: [Int: String]] = [:]
        var unassigned: [Listener.Transport?: [Bool]] = [nil: try store.unassignedPorts(transport: nil)]
        for transport in Listener.Transport.allCases {
            names[transport] = try store.serviceNames(for: transport.registryTransport)
            unassigned[transport] = try store.unassignedPorts(transport: transport.registryTransport)
        }
        serviceNames = names
        self.unassigned = unassigned
    }

    /// This host's name, as reports of its sockets give it.
    public static var hostName: String {
        var name = [CChar](repeating: 0, count: 256)
        guard gethostname(&name, name.count - 1) == 0 else { return "localhost" }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The host's listening sockets, optionally only those of one transport or port.
    public func listeners(transport: Listener.Transport? = nil, port: Int? = nil) throws(HostStateError) -> [ServicedListener] {
        try scanner.listeners()
            .filter { (transport == nil || $0.transport == transport) && (port == nil || $0.port == port) }
            .map { ServicedListener(listener: $0, service: serviceNames[$0.transport]?[$0.port]) }
    }

    /// Up to `count` ports in `range`, lowest first from `from`, that IANA lists as unassigned
    /// and on which nothing listens here (over `transport`, or over any when nil). A `from` below
    /// the range means its first port; above it, no port is left.
    public func freePorts(in range: ClosedRange<Int>, transport: Listener.Transport?, from: Int, count: Int)
        throws(HostStateError) -> [Int] {
        let listening = Set(try scanner.listeners().filter { transport == nil || $0.transport == transport }.map(\.port))
        let unassigned = unassigned[transport] ?? []
        var ports: [Int] = []
        let first = max(from, range.lowerBound)
        guard first <= range.upperBound else { return [] }
        for port in first...range.upperBound where ports.count < count {
            if unassigned[port] && !listening.contains(port) { ports.append(port) }
        }
        return ports
    }
}

extension Listener.Transport {
    var registryTransport: Record.Transport {
        switch self {
        case .tcp: .tcp
        case .udp: .udp
        }
    }
}

extension PortRange {
    /// RFC 6335's bounds of the range.
    public var ports: ClosedRange<Int> {
        switch self {
        case .system: 0...1023
        case .user: 1024...49151
        case .dynamic: 49152...65535
        }
    }
}
