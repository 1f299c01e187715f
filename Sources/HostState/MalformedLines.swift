/// Lines of the /proc/net socket tables a scan could not read and left out: one odd line must not
/// hide every other socket, but it is counted (for a metric) and the first is kept (for a log line).
public struct MalformedLines: Equatable, Sendable {
    /// One line left out: the table, its line number (from 1) and why.
    public struct Line: Equatable, Sendable, CustomStringConvertible {
        public let path: String
        public let line: Int
        public let reason: String

        public var description: String { "\(path) line \(line): \(reason)" }
    }

    public private(set) var count = 0
    public private(set) var first: Line?

    init() {}

    mutating func add(_ error: ProcNetFormatError, in path: String) {
        count += 1
        if first == nil { first = Line(path: path, line: error.line, reason: error.reason) }
    }
}
