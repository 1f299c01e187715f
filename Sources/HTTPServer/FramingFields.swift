import Basics

/// What the header fields say about the message's framing and the connection, gathered as the
/// fields are parsed so that the head is not searched again.
struct FramingFields {
    var hosts: [String] = []
    var connectionClose = false
    var connectionKeepAlive = false
    private var transferEncodings: [String] = []
    private var contentLengths: [String] = []
    private var expectations: [String] = []

    enum BodyLength {
        case none
        case fixed(Int)
        case chunked
    }

    mutating func note(_ field: FieldLine) {
        switch field.name.utf8.count {
        case 4 where field.name.caseInsensitiveEquals("Host"):
            hosts.append(field.value)
        case 6 where field.name.caseInsensitiveEquals("Expect"):
            expectations.append(field.value)
        case 10 where field.name.caseInsensitiveEquals("Connection"):
            for option in HTTPSyntax.commaSeparated(field.value) {
                if option.caseInsensitiveEquals("close") { connectionClose = true }
                if option.caseInsensitiveEquals("keep-alive") { connectionKeepAlive = true }
            }
        case 14 where field.name.caseInsensitiveEquals("Content-Length"):
            contentLengths.append(field.value)
        case 17 where field.name.caseInsensitiveEquals("Transfer-Encoding"):
            transferEncodings.append(field.value)
        default:
            break
        }
    }

    /// How the body is delimited (RFC 9112 §6): anything ambiguous is refused, since a server
    /// and a proxy that read it differently would disagree on where the next request starts.
    func bodyLength(version: HTTPRequest.Version, maxBodySize: Int) throws(HTTPParseError) -> BodyLength {
        if !transferEncodings.isEmpty {
            guard contentLengths.isEmpty else {
                throw HTTPParseError(status: 400, detail: "both Transfer-Encoding and Content-Length: the body's length is ambiguous")
            }
            guard version == .http1_1 else {
                throw HTTPParseError(status: 400, detail: "Transfer-Encoding in an HTTP/1.0 request")
            }
            let codings = transferEncodings.flatMap(HTTPSyntax.commaSeparated)
            guard let last = codings.last, last.caseInsensitiveEquals("chunked") else {
                throw HTTPParseError(status: 400, detail: "the last transfer coding must be chunked")
            }
            guard codings.dropLast().allSatisfy({ !$0.caseInsensitiveEquals("chunked") }) else {
                throw HTTPParseError(status: 400, detail: "chunked is applied more than once (RFC 9112 §7)")
            }
            guard codings.count == 1 else {
                throw HTTPParseError(status: 501, detail: "transfer codings other than chunked are not supported")
            }
            return .chunked
        }
        guard !contentLengths.isEmpty else { return .none }
        // 1*DIGIT, or a list of equal ones (RFC 9112 §6.3); an empty element is no length at all.
        let values = contentLengths.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }
            .map { $0.trimmingWhitespace() }
        guard let first = values.first, values.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(ASCII.isDigit) }) else {
            let shown = contentLengths.joined(separator: ", ")
            throw HTTPParseError(status: 400, detail: "Content-Length '\(shown)' is not a number of bytes")
        }
        let significant = first.drop { $0 == "0" }
        guard values.allSatisfy({ $0.drop { $0 == "0" } == significant }) else {
            throw HTTPParseError(status: 400, detail: "Content-Length values differ")
        }
        guard significant.utf8.count <= 9, let length = Int(significant.isEmpty ? "0" : significant), length <= maxBodySize else {
            throw HTTPParseError(status: 413, detail: "the request body is larger than \(maxBodySize) bytes")
        }
        return length == 0 ? .none : .fixed(length)
    }

    /// Whether to send `100 Continue` before reading a body. Only `100-continue` is understood
    /// (417 for anything else), and an HTTP/1.0 client gets none (RFC 9110 §10.1.1).
    func expectsContinue(version: HTTPRequest.Version) throws(HTTPParseError) -> Bool {
        let members = expectations.flatMap(HTTPSyntax.commaSeparated)
        if let unknown = members.first(where: { !$0.caseInsensitiveEquals("100-continue") }) {
            throw HTTPParseError(status: 417, detail: "the expectation '\(unknown)' is not one this server meets (only 100-continue)")
        }
        return !members.isEmpty && version == .http1_1
    }
}
