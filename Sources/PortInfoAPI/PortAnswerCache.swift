import Registry
import Synchronization

/// Rendered `/ports/{port}` bodies, kept from the first request on: the registry does not change
/// while the API serves it, so a body once rendered stays right. A hit costs a lock and a hash
/// lookup instead of an SQLite query and a rendering.
///
/// There are 65,536 ports x 5 transport choices (none, tcp, udp, sctp, dccp) x 2 formats =
/// 655,360 keys; for the 2026 registry their bodies would take 209 MB (19 MB for every port,
/// compact and unfiltered). So the cache holds at most `maximumBytes`, 8 MiB by default: about
/// 23,000 answers (a body averages 300 bytes), far more than the ports people ask about, and small
/// beside the server's 17 MB. When a new body would pass the bound the cache empties and starts
/// over: a scan of every port cannot pin it, the ports asked for again come back at the cost of
/// one query each (about 12 µs), and no hit pays for LRU bookkeeping.
final class PortAnswerCache: Sendable {
    static let defaultMaximumBytes = 8 << 20
    /// What an entry costs beside its body: the array's header and the dictionary's slot.
    static let entryOverheadBytes = 64

    struct Key: Hashable {
        private let packed: Int

        init(port: Int, transport: Record.Transport?, representation: Representation) {
            let transportIndex = transport.map { Record.Transport.allCases.firstIndex(of: $0)! + 1 } ?? 0
            let representationIndex = switch representation {
            case .json(.compact): 0
            case .json(.pretty): 1
            case .html: 2
            }
            packed = (port * (Record.Transport.allCases.count + 1) + transportIndex) * 3 + representationIndex
        }
    }

    private struct Contents {
        var bodies: [Key: [UInt8]] = [:]
        var bytes = 0
    }

    private let contents = Mutex(Contents())
    let maximumBytes: Int

    init(maximumBytes: Int = defaultMaximumBytes) {
        self.maximumBytes = maximumBytes
    }

    func body(for key: Key) -> [UInt8]? {
        contents.withLock { $0.bodies[key] }
    }

    func keep(_ body: [UInt8], for key: Key) {
        let cost = body.count + Self.entryOverheadBytes
        guard cost <= maximumBytes else { return }
        // Freeing a full cache's bodies takes milliseconds: they are returned, to be freed once
        // the lock is let go.
        _ = contents.withLock { contents -> Contents? in
            guard contents.bodies[key] == nil else { return nil }
            var emptied: Contents?
            if contents.bytes + cost > maximumBytes {
                emptied = contents
                contents = Contents()
            }
            contents.bodies[key] = body
            contents.bytes += cost
            return emptied
        }
    }
}
