import HTTPServer
import Registry
import Synchronization

/// Rendered `/ports/{port}` bodies, kept from the first request on: the registry does not change
/// while the API serves it, so a body once rendered stays right. A hit costs a lock and a hash
/// lookup instead of an SQLite query and a rendering.
///
/// There are 65,536 ports x 5 transport choices (none, tcp, udp, sctp, dccp) x 2 formats =
/// 655,360 keys; for the 2026 registry their bodies would take 209 MB (19 MB for every port,
/// compact and unfiltered). So the cache holds at most `maximumBytes`, 8 MiB: about
/// 23,000 answers (a body averages 300 bytes), far more than the ports people ask about, and small
/// beside the server's 17 MB. When a new body would pass the bound the cache empties and starts
/// over: a scan of every port cannot pin it, the ports asked for again come back at the cost of
/// one query each (about 12 µs), and no hit pays for LRU bookkeeping.
final class PortAnswerCache: Sendable {
    static let maximumBytes = 8 << 20
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

    /// A body, and the whole response made of it for requests that nothing else decides (no
    /// Origin, no If-None-Match, no local-host rules): the finishing stage's output, its head
    /// encoded, sent again as it is, with only the Date patched in by the server.
    private struct Entry {
        var body: [UInt8]
        var finished: HTTPResponse?
    }

    private struct Contents {
        var entries: [Key: Entry] = [:]
        var bytes = 0
    }

    private let contents = Mutex(Contents())

    func body(for key: Key) -> [UInt8]? {
        contents.withLock { $0.entries[key]?.body }
    }

    func finished(for key: Key) -> HTTPResponse? {
        contents.withLock { $0.entries[key]?.finished }
    }

    /// Keeps `response`, finished from the body kept for `key`, beside it (if it is still kept).
    func keepFinished(_ response: HTTPResponse, for key: Key) {
        contents.withLock { contents in
            guard contents.entries[key]?.finished == nil else { return }
            let cost = response.head?.count ?? 0
            guard contents.bytes + cost <= Self.maximumBytes, contents.entries[key] != nil else { return }
            contents.entries[key]!.finished = response
            contents.bytes += cost
        }
    }

    func keep(_ body: [UInt8], for key: Key) {
        let cost = body.count + Self.entryOverheadBytes
        guard cost <= Self.maximumBytes else { return }
        // Freeing a full cache's bodies takes milliseconds: they are returned, to be freed once
        // the lock is let go.
        _ = contents.withLock { contents -> Contents? in
            guard contents.entries[key] == nil else { return nil }
            var emptied: Contents?
            if contents.bytes + cost > Self.maximumBytes {
                emptied = contents
                contents = Contents()
            }
            contents.entries[key] = Entry(body: body)
            contents.bytes += cost
            return emptied
        }
    }
}
