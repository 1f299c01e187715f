/// One listening socket of the host, as `ss -tuln` shows it, with its owner where visible
/// (the design's Listener, ../shared/DESIGN.md, without `service`, which the API layer joins from the registry).
public struct Listener: Hashable, Sendable {
    public enum Transport: String, CaseIterable, Sendable {
        case tcp, udp
    }

    public enum Family: String, CaseIterable, Sendable {
        case ipv4, ipv6
    }

    public let transport: Transport
    public let family: Family
    /// The local address as inet_ntop(3) and `ss` write it, without brackets: `127.0.0.1`,
    /// `0.0.0.0`, `::`, `::1`, `::ffff:127.0.0.1` (an IPv4-mapped IPv6 socket stays IPv6).
    public let address: String
    public let port: Int
    /// The process holding the socket; nil when it is not visible to this process (another
    /// user's process when not root, another pid namespace, or a process that exited mid-scan).
    /// When several processes share the socket (a forking server, socket activation), the lowest pid.
    public let pid: Int?
    /// The process's name from `/proc/<pid>/comm` (at most 15 bytes, as the kernel keeps it).
    public let process: String?
    /// The socket's owner: the uid the kernel lists beside the socket, named through
    /// `/etc/passwd`, or the uid in decimal when `/etc/passwd` has no name for it.
    public let user: String?

    public init(transport: Transport, family: Family, address: String, port: Int, pid: Int?, process: String?, user: String?) {
        self.transport = transport
        self.family = family
        self.address = address
        self.port = port
        self.pid = pid
        self.process = process
        self.user = user
    }
}
