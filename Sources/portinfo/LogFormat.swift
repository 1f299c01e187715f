import ArgumentParser
import Basics
import Logging
import Synchronization
import FoundationEssentials
import Glibc

/// How log lines look on standard output: `text` for people, `json` for log pipelines.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    /// What each is for, as the help lists them.
    var defaultValueDescription: String {
        switch self {
        case .text: "for people"
        case .json: "one object a line, for log pipelines"
        }
    }

    func handler(label: String, level: Logger.Level) -> any LogHandler {
        LineLogHandler(label: label, format: self, logLevel: level)
    }

    /// The line for one event: `metadata` is the handler's with the event's over it.
    fileprivate func line(_ event: LogEvent, label: String, metadata: Logger.Metadata) -> [UInt8] {
        switch self {
        case .text:
            // As swift-log's StreamLogHandler writes it, `2026-12-07T22:00:00+0000 info portinfo:
            // key=value [module] message`, with every control and bidi character of the message
            // and the metadata escaped (PrintableText): what a file, a request or a process name put
            // into a message can neither end its line and forge another nor drive the terminal.
            let fields = metadata.sorted { $0.key < $1.key }
                .map { " \(PrintableText.escaping($0.key))=\(PrintableText.escaping($0.value.description))" }.joined()
            let line = "\(Self.timestamp()) \(event.level) \(label):\(fields) [\(event.source)] \(PrintableText.escaping(event.message.description))\n"
            return Array(line.utf8)
        case .json:
            // One object: time, level, label, message, and the metadata as further keys.
            var fields = metadata.mapValues(\.description)
            fields["time"] = Date.now.formatted(.iso8601)
            fields["level"] = event.level.rawValue
            fields["label"] = label
            fields["message"] = event.message.description
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            guard let object = try? encoder.encode(fields) else { return [] }
            return Array(object) + [UInt8(ascii: "\n")]
        }
    }

    /// Local time, to the second, with its offset.
    private static func timestamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var text = [CChar](repeating: 0, count: 32)
        let count = strftime(&text, text.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: text[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A line on standard output for each event, in its format, written whole with one write(2) under
/// a lock: lines from different threads never interleave.
struct LineLogHandler: LogHandler {
    let label: String
    let format: LogFormat
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    private static let output = Mutex(())

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let line = format.line(event, label: label, metadata: metadata.merging(event.metadata ?? [:]) { $1 })
        Self.output.withLock { _ in
            line.withUnsafeBytes { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        }
    }
}
