import ArgumentParser
import Basics
import Logging
import Synchronization
import FoundationEssentials
import Glibc

/// How log lines look on standard output: `text` for people, `json` for log pipelines.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    func handler(label: String, level: Logger.Level) -> any LogHandler {
        switch self {
        case .text:
            return TextLogHandler(label: label, logLevel: level)
        case .json:
            return JSONLogHandler(label: label, logLevel: level)
        }
    }
}

/// Whole lines on standard output, one write each: lines from different threads never interleave.
enum LogOutput {
    private static let lock = Mutex(())

    static func write(_ line: [UInt8]) {
        lock.withLock { _ in
            line.withUnsafeBytes { _ = Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
        }
    }
}

/// A line for people: `2026-12-07T22:00:00+0000 info portinfo: key=value [module] message`, as
/// swift-log's StreamLogHandler writes it, but with every control and bidi character of the
/// message and the metadata escaped (PrintableText): what a file, a request or a process name
/// put into a message can neither end its line and forge another nor drive the terminal.
struct TextLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let fields = metadata.merging(event.metadata ?? [:]) { $1 }.sorted { $0.key < $1.key }
            .map { " \(PrintableText.escaping($0.key))=\(PrintableText.escaping($0.value.description))" }.joined()
        let line = "\(Self.timestamp()) \(event.level) \(label):\(fields) [\(event.source)] \(PrintableText.escaping(event.message.description))\n"
        LogOutput.write(Array(line.utf8))
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

/// One JSON object a line: time, level, label, message, and the metadata as further keys.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata.merging(event.metadata ?? [:]) { $1 }.mapValues(\.description)
        fields["time"] = Date.now.formatted(.iso8601)
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = event.message.description
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard var line = try? encoder.encode(fields) else { return }
        line.append(UInt8(ascii: "\n"))
        LogOutput.write(Array(line))
    }
}
