/// The ports not yet given something, each taken at most once however many ranges cover it: the
/// next port not taken is found by following links that skip taken runs, each link shortened as
/// it is followed (a union-find), so that any number of ranges, however wide, cost one pass over
/// the ports between them.
struct UnnamedPorts {
    /// For each port, a port at or above it that may not be taken yet; `PortLookup.validPorts.count` past the last.
    private var next = Array(0...PortLookup.validPorts.count)

    /// Calls `give` with each port of `range` not taken before, in order, and takes it.
    mutating func take(_ range: ClosedRange<Int>, _ give: (Int) -> Void) {
        var port = free(from: range.lowerBound)
        while port <= range.upperBound {
            give(port)
            next[port] = port + 1
            port = free(from: port + 1)
        }
    }

    /// The first port at or above `port` not taken.
    private mutating func free(from port: Int) -> Int {
        var root = port
        while next[root] != root { root = next[root] }
        var step = port
        while next[step] != root {
            let following = next[step]
            next[step] = root
            step = following
        }
        return root
    }
}
