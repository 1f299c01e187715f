/// One `name: value` header line, checked (RFC 9112 §5), the value's surrounding blanks trimmed.
struct FieldLine {
    let name: String
    let value: String

    init(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) {
        if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
            throw HTTPParseError(status: 400, detail: "a header line starts with whitespace (obsolete line folding is not accepted)")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
            throw HTTPParseError(status: 400, detail: "a header line has no colon")
        }
        let name = line[..<colon]
        guard !name.isEmpty else { throw HTTPParseError(status: 400, detail: "a header field has an empty name") }
        guard name.allSatisfy(HTTPSyntax.isTokenCharacter) else {
            let detail = name.last == UInt8(ascii: " ") || name.last == UInt8(ascii: "\t")
                ? "whitespace between a header field name and its colon" : "a header field name is not a token"
            throw HTTPParseError(status: 400, detail: detail)
        }
        var start = colon + 1, end = line.count
        while start < end, HTTPSyntax.isBlank(line[start]) { start += 1 }
        while end > start, HTTPSyntax.isBlank(line[end - 1]) { end -= 1 }
        let value = line[start..<end]
        guard value.allSatisfy(HTTPSyntax.isFieldValueCharacter) else {
            throw HTTPParseError(status: 400, detail: "the value of \(String(decoding: name, as: UTF8.self)) has a control character")
        }
        self.name = String(decoding: name, as: UTF8.self)
        // Field values may hold obs-text (bytes above 0x7E); they are kept as Latin-1 would read them.
        self.value = value.allSatisfy { $0 < 0x80 }
            ? String(decoding: value, as: UTF8.self) : String(value.map { Character(Unicode.Scalar($0)) })
    }
}
