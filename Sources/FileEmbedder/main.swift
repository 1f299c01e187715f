// Build-time tool run by the Embed* plugins, so that the binary carries files it must serve or
// apply without anything beside it:
//   FileEmbedder OUTPUT.swift NAME FILE...
// writes `let NAME: [(name: String, text: String)]`: each file's name and exact text, in the order given.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: FileEmbedder OUTPUT.swift NAME FILE...\n".utf8))
    exit(2)
}
let (outputPath, symbol, inputs) = (arguments[0], arguments[1], arguments.dropFirst(2))

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

let \(symbol): [(name: String, text: String)] = [

"""
for path in inputs {
    let url = URL(fileURLWithPath: path)
    guard let text = String(data: try Data(contentsOf: url), encoding: .utf8) else {
        FileHandle.standardError.write(Data("FileEmbedder: \(path) is not valid UTF-8\n".utf8))
        exit(1)
    }
    source += "    (\(swiftLiteral(url.lastPathComponent)), \(swiftLiteral(text))),\n"
}
source += "]\n"
try Data(source.utf8).write(to: URL(fileURLWithPath: outputPath), options: .atomic)
