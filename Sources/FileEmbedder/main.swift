// Build-time tool run by the EmbedFiles plugin (and by scripts/fuzz.sh, which builds without
// SwiftPM), so that the binary carries files it must serve or apply without anything beside it:
//   FileEmbedder OUTPUT.swift SYMBOL CHECK FILE...
// writes `let SYMBOL: [(name: String, text: String)]`: each file's name and exact text, in the
// order given. CHECK holds the files to what their use needs, or refuses them with a message
// naming the file and the rule (exit 1):
//   -             nothing beyond being UTF-8 text
//   numbered      migrations: names NNNN_name.sql counting up from 0001 without a gap
//   one-snapshot  the IANA snapshot: exactly one file, named service-names-port-numbers-YYYY-MM.csv
// CHECK+compressed (`one-snapshot+compressed`) stores each file compressed (LZBlock) instead:
// `let SYMBOL: [(name: String, size: Int, compressed: String)]`, the block's bytes each the
// Unicode scalar of the same value (mostly ASCII, so the literal stays near the block's size).
import Basics
import Foundation

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("FileEmbedder: \(message)\n".utf8))
    exit(status)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 3 else { fail("usage: FileEmbedder OUTPUT.swift SYMBOL CHECK FILE...", status: 2) }
let (outputPath, symbol) = (arguments[0], arguments[1])
let compressed = arguments[2].hasSuffix("+compressed")
let check = compressed ? String(arguments[2].dropLast("+compressed".count)) : arguments[2]
let inputs = arguments.dropFirst(3).map { URL(fileURLWithPath: $0) }

switch check {
case "-":
    break
case "numbered":
    for (index, file) in inputs.enumerated() {
        let expected = String(format: "%04d_", index + 1)
        let name = file.lastPathComponent
        guard name.hasPrefix(expected), name.hasSuffix(".sql"), name.count > expected.count + ".sql".count else {
            fail("\(file.path): expected a name NNNN_name.sql starting \(expected) (migrations count up from 0001 without a gap)")
        }
    }
case "one-snapshot":
    guard inputs.count == 1, let snapshot = inputs.first,
          snapshot.lastPathComponent.wholeMatch(of: /service-names-port-numbers-\d{4}-\d{2}\.csv/) != nil
    else {
        fail("iana/ must hold exactly one service-names-port-numbers-YYYY-MM.csv, found \(inputs.map(\.lastPathComponent))")
    }
default:
    fail("unknown check '\(check)': -, numbered or one-snapshot", status: 2)
}

/// A Swift string literal holding `text` exactly: everything outside printable ASCII is escaped.
func swiftLiteral(_ text: String) -> String {
    var literal = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": literal += "\\\""
        case "\\": literal += "\\\\"
        case "\n": literal += "\\n"
        case " "..."~": literal.unicodeScalars.append(scalar)
        default: literal += "\\u{\(String(scalar.value, radix: 16))}"
        }
    }
    return literal + "\""
}

var source = """
// Generated at build time by FileEmbedder; do not edit.

let \(symbol): [(name: String, \(compressed ? "size: Int, compressed" : "text"): String)] = [

"""
for url in inputs {
    guard let data = try? Data(contentsOf: url) else { fail("\(url.path): cannot be read") }
    guard let text = String(data: data, encoding: .utf8) else { fail("\(url.path) is not valid UTF-8") }
    if compressed {
        let block = LZBlock.compress([UInt8](data))
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: block.map { Unicode.Scalar($0) })
        source += "    (\(swiftLiteral(url.lastPathComponent)), \(data.count), \(swiftLiteral(String(scalars)))),\n"
    } else {
        source += "    (\(swiftLiteral(url.lastPathComponent)), \(swiftLiteral(text))),\n"
    }
}
source += "]\n"
do {
    try Data(source.utf8).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
} catch {
    fail("cannot write \(outputPath): \(error)")
}
