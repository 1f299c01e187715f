import Basics

/// The request line checked byte by byte as it arrives: `METHOD SP TARGET SP HTTP-VERSION`.
struct RequestLineScan {
    /// 0 the method, 1 the target, 2 the version.
    private var part = 0
    private var partLength = 0
    private var sawCarriageReturn = false

    private static let versionShape = Array("HTTP/0.0".utf8) // 0: any digit

    mutating func check(_ byte: UInt8, at offset: Int, limit: Int) throws(HTTPParseError) {
        // The line may be `limit` bytes long, then a CR.
        if offset > limit || (offset == limit && byte != UInt8(ascii: "\r")) {
            throw HTTPParseError(status: 414, detail: "the request line is longer than \(limit) bytes")
        }
        if sawCarriageReturn {
            throw HTTPParseError(status: 400, detail: "a carriage return inside a line (lines end in CRLF)")
        }
        if byte == UInt8(ascii: "\r") {
            sawCarriageReturn = true
            return
        }
        if byte == UInt8(ascii: " ") {
            guard part < 2, partLength > 0 else { throw Self.malformed }
            part += 1
            partLength = 0
            return
        }
        switch part {
        case 0:
            guard HTTPSyntax.isTokenCharacter(byte) else {
                if offset == 0 {
                    throw HTTPParseError(status: 400, detail: "this is not an HTTP/1.x request: a request line cannot start with byte 0x"
                        + String(byte, radix: 16) + " (TLS or HTTP/2 sent to a plain HTTP/1.1 port?)")
                }
                throw HTTPParseError(status: 400, detail: "the method is not a token")
            }
        case 1:
            guard (0x21...0x7E).contains(byte) else {
                throw HTTPParseError(status: 400, detail: "the request target has a character that must be percent-encoded")
            }
        default:
            let expected = partLength < Self.versionShape.count ? Self.versionShape[partLength] : nil
            let fits = expected == UInt8(ascii: "0") ? ASCII.isDigit(byte) : byte == expected
            guard fits else { throw Self.badVersion }
        }
        partLength += 1
    }

    /// At the line feed: all three parts were there, the version whole.
    func checkComplete() throws(HTTPParseError) {
        guard part == 2 else { throw Self.malformed }
        guard partLength == Self.versionShape.count else { throw Self.badVersion }
    }

    private static let malformed = HTTPParseError(
        status: 400, detail: "the request line must be METHOD SP TARGET SP HTTP-VERSION, single spaces")
    private static let badVersion = HTTPParseError(status: 400, detail: "the HTTP version must look like HTTP/1.1")
}
