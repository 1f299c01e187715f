/// Where a body ends (RFC 9112 §6): the shapes request smuggling is made of. A server that
/// reads a body's length differently from a proxy in front of it answers a request the proxy
/// never saw, so every ambiguous length is refused and the connection closed.
extension HostileCase {
    static let framing: [HostileCase] = {
        typealias R = HostileRequests
        let smuggled = "GET /registry HTTP/1.1\r\nHost: t\r\n\r\n"
        return [
            // Content-Length and Transfer-Encoding together (RFC 9112 §6.1, §6.3)
            HostileCase("Content-Length then Transfer-Encoding is refused, its body never read as a request",
                        R.get600("Content-Length: 6\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n" + smuggled), .refused(400)),
            HostileCase("Transfer-Encoding then Content-Length is refused",
                        R.get600("Transfer-Encoding: chunked\r\nContent-Length: 40\r\n", body: "0\r\n\r\n" + smuggled), .refused(400)),
            HostileCase("Transfer-Encoding with Content-Length: 0 is refused",
                        R.get600("Content-Length: 0\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n"), .refused(400)),
            HostileCase("Transfer-Encoding in HTTP/1.0 is refused (the framing is faulty, RFC 9112 §6.1)",
                        "GET /ports/600 HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", .refused(400)),

            // Content-Length is 1*DIGIT; a list of equal values is one length (RFC 9110 §8.6)
            HostileCase("two Content-Length fields that differ are refused",
                        R.get600("Content-Length: 5\r\nContent-Length: 6\r\n", body: "hello!"), .refused(400)),
            HostileCase("two equal Content-Length fields are one length",
                        R.get600("Content-Length: 5\r\nContent-Length: 5\r\n", body: "hello"), .port600),
            HostileCase("Content-Length: 5, 5 is one length", R.contentLength("5, 5"), .port600),
            HostileCase("Content-Length: 5,5 without a space is one length", R.contentLength("5,5"), .port600),
            HostileCase("Content-Length: 5, 6 is refused", R.contentLength("5, 6", body: "hello!"), .refused(400)),
            HostileCase("an empty Content-Length is refused, not taken for no body", R.contentLength(""), .refused(400)),
            HostileCase("Content-Length: , (only an empty list) is refused", R.contentLength(","), .refused(400)),
            HostileCase("Content-Length: 5, with an empty last element is refused", R.contentLength("5,"), .refused(400)),
            HostileCase("Content-Length: ,5 with an empty first element is refused", R.contentLength(",5"), .refused(400)),
            HostileCase("Content-Length: 5, , 5 with an empty middle element is refused",
                        R.contentLength("5, , 5"), .refused(400)),
            HostileCase("Content-Length: +5 (a sign) is refused", R.contentLength("+5"), .refused(400)),
            HostileCase("Content-Length: -5 is refused", R.contentLength("-5"), .refused(400)),
            HostileCase("Content-Length: 5 0 (a space inside) is refused", R.contentLength("5 0"), .refused(400)),
            HostileCase("Content-Length: 0x5 (hex) is refused", R.contentLength("0x5"), .refused(400)),
            HostileCase("Content-Length: 5.0 is refused", R.contentLength("5.0"), .refused(400)),
            HostileCase("Content-Length in Arabic-Indic digits is refused", R.contentLength("\u{665}"), .refused(400)),
            HostileCase("a Content-Length of twenty nines is 413, not an overflow",
                        R.contentLength("99999999999999999999"), .refused(413)),
            HostileCase("Content-Length 2^64 + 5 is 413, not wrapped round to 5",
                        R.contentLength("18446744073709551621"), .refused(413)),
            HostileCase("Content-Length: 005 (leading zeros) is the length 5", R.contentLength("005"), .port600),
            HostileCase("blanks around the Content-Length value are not part of it", R.contentLength("\t 5 \t"), .port600),
            HostileCase("Content-Length: 0 on a GET is no body", R.contentLength("0", body: ""), .port600),
            HostileCase("a body that reads like a request is only a body",
                        R.get600("Content-Length: \(smuggled.utf8.count)\r\n", body: smuggled), .port600),
            HostileCase("an HTTP/1.0 request's body is read, then the connection closed",
                        "GET /ports/600 HTTP/1.0\r\nContent-Length: 5\r\n\r\nhello", .port600ThenClosed),

            // Transfer-Encoding: chunked once, and last (RFC 9112 §6.1, §7)
            HostileCase("Transfer-Encoding: chunked, chunked (chunked twice) is refused",
                        R.transferEncoding("chunked, chunked"), .refused(400)),
            HostileCase("two Transfer-Encoding: chunked fields (chunked twice) are refused",
                        R.get600("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n"), .refused(400)),
            HostileCase("Transfer-Encoding: gzip, chunked is 501, a coding this server does not decode",
                        R.transferEncoding("gzip, chunked"), .refused(501)),
            HostileCase("Transfer-Encoding fields gzip then chunked are gzip, chunked: 501",
                        R.get600("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", body: "0\r\n\r\n"), .refused(501)),
            HostileCase("Transfer-Encoding: chunked, gzip (chunked not last) is refused",
                        R.transferEncoding("chunked, gzip"), .refused(400)),
            HostileCase("Transfer-Encoding: gzip without chunked is refused: its length is unknown",
                        R.transferEncoding("gzip"), .refused(400)),
            HostileCase("Transfer-Encoding: identity is refused", R.transferEncoding("identity"), .refused(400)),
            HostileCase("an empty Transfer-Encoding is refused", R.transferEncoding(""), .refused(400)),
            HostileCase("Transfer-Encoding: xchunked is not chunked", R.transferEncoding("xchunked"), .refused(400)),
            HostileCase("Transfer-Encoding: CHUNKED is chunked (codings are case-insensitive)",
                        R.get600("Transfer-Encoding: CHUNKED\r\n", body: "5\r\nhello\r\n0\r\n\r\n"), .port600),
            HostileCase("Transfer-Encoding : chunked (a space before the colon) is refused",
                        R.get600("Transfer-Encoding : chunked\r\n", body: "0\r\n\r\n"), .refused(400)),
            HostileCase("Transfer-Encoding<TAB>: chunked (a tab before the colon) is refused",
                        R.get600("Transfer-Encoding\t: chunked\r\n", body: "0\r\n\r\n"), .refused(400)),
            HostileCase("Content-Length : 5 (a space before the colon) is refused",
                        R.get600("Content-Length : 5\r\n", body: "hello"), .refused(400)),
            HostileCase("Transfer-Encoding folded onto a second line is refused",
                        R.get600("Transfer-Encoding: gzip,\r\n chunked\r\n", body: "0\r\n\r\n"), .refused(400)),
        ]
    }()
}
