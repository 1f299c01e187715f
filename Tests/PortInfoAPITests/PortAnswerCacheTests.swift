@testable import PortInfoAPI
import Registry
import Testing

@Suite struct PortAnswerCacheTests {
    @Test func everyPortTransportAndFormatHasItsOwnKey() {
        var keys = Set<PortAnswerCache.Key>()
        for port in PortLookup.validPorts {
            for transport in [nil] + Record.Transport.allCases.map(Optional.some) {
                keys.insert(PortAnswerCache.Key(port: port, transport: transport, representation: .json(.compact)))
                keys.insert(PortAnswerCache.Key(port: port, transport: transport, representation: .json(.pretty)))
                keys.insert(PortAnswerCache.Key(port: port, transport: transport, representation: .html))
            }
        }
        #expect(keys.count == 65_536 * 5 * 3)
    }

    @Test func keepsBodiesUntilTheBoundThenStartsOver() {
        let entry = 100 + PortAnswerCache.entryOverheadBytes
        let cache = PortAnswerCache(maximumBytes: 2 * entry)
        let keys = (1...3).map { PortAnswerCache.Key(port: $0, transport: nil, representation: .json(.compact)) }
        let bodies = (1...3).map { [UInt8](repeating: UInt8($0), count: 100) }
        cache.keep(bodies[0], for: keys[0])
        cache.keep(bodies[1], for: keys[1])
        #expect(cache.body(for: keys[0]) == bodies[0] && cache.body(for: keys[1]) == bodies[1])
        cache.keep(bodies[2], for: keys[2])
        #expect(cache.body(for: keys[0]) == nil && cache.body(for: keys[1]) == nil)
        #expect(cache.body(for: keys[2]) == bodies[2])
    }

    @Test func aBodyLargerThanTheBoundIsNotKept() {
        let cache = PortAnswerCache(maximumBytes: 100)
        let key = PortAnswerCache.Key(port: 1, transport: .tcp, representation: .json(.pretty))
        cache.keep([UInt8](repeating: 1, count: 100), for: key)
        #expect(cache.body(for: key) == nil)
    }
}
