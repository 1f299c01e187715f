/// Chunked bodies (RFC 9112 §7.1): sizes, extensions (§7.1.1) and trailers (§7.1.2). A body is
/// read whole and dropped, so the next request starts where the client meant it to; any chunk
/// line that does not follow the grammar is refused.
extension HostileCase {
    static let chunked: [HostileCase] = {
        typealias R = HostileRequests
        let smuggled = "GET /registry HTTP/1.1\r\nHost: t\r\n\r\n"
        let hex = String(smuggled.utf8.count, radix: 16)
        return [
            HostileCase("a chunked body is read, then the next request",
                        R.chunked("5\r\nhello\r\n0\r\n\r\n"), .port600),
            HostileCase("a body in two chunks is read",
                        R.chunked("2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n"), .port600),
            HostileCase("a chunk holding a request is only a body",
                        R.chunked("\(hex)\r\n\(smuggled)\r\n0\r\n\r\n"), .port600),
            HostileCase("an uppercase hex size is a size",
                        R.chunked("A\r\n0123456789\r\n0\r\n\r\n"), .port600),
            HostileCase("a size with leading zeros is a size",
                        R.chunkSizeLine("005"), .port600),

            // Sizes
            HostileCase("a size that is not hex is refused", R.chunkSizeLine("zz"), .refused(400)),
            HostileCase("a size written 0x5 is refused", R.chunkSizeLine("0x5"), .refused(400)),
            HostileCase("a negative size is refused", R.chunkSizeLine("-5"), .refused(400)),
            HostileCase("a size with a sign is refused", R.chunkSizeLine("+5"), .refused(400)),
            HostileCase("an empty size line is refused", R.chunkSizeLine(""), .refused(400)),
            HostileCase("a size past 64 bits (seventeen hex digits) is 413, not wrapped round to 5",
                        R.chunkSizeLine("10000000000000005"), .refused(413)),
            HostileCase("a chunk larger than the body limit (0x2001 = 8193) is 413",
                        R.chunked("2001\r\n"), .refused(413)),
            HostileCase("a size line ending in CR CR LF is refused", R.chunkSizeLine("5\r"), .refused(400)),

            // Extensions: *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )
            HostileCase("the extension 5;name=value is accepted", R.chunkSizeLine("5;name=value"), .port600),
            HostileCase("the extension 5;a=\"q s\" (a quoted value) is accepted", R.chunkSizeLine("5;a=\"q s\""), .port600),
            HostileCase("a quoted extension value with a quoted-pair is accepted", R.chunkSizeLine("5;a=\"q\\\"s\""), .port600),
            HostileCase("the name-only extension 5;name is accepted", R.chunkSizeLine("5;name"), .port600),
            HostileCase("several extensions 5;a=1;b=2 are accepted", R.chunkSizeLine("5;a=1;b=2"), .port600),
            HostileCase("blanks around ; and = in an extension (BWS) are accepted", R.chunkSizeLine("5 ; a = 1"), .port600),
            HostileCase("5; (an extension with no name) is refused", R.chunkSizeLine("5;"), .refused(400)),
            HostileCase("5 garbage (no semicolon) is refused", R.chunkSizeLine("5 garbage"), .refused(400)),
            HostileCase("5;=x (an extension with an empty name) is refused", R.chunkSizeLine("5;=x"), .refused(400)),
            HostileCase("5;a= (an empty value) is refused", R.chunkSizeLine("5;a="), .refused(400)),
            HostileCase("an unterminated quoted extension value is refused", R.chunkSizeLine("5;a=\"open"), .refused(400)),
            HostileCase("5;a=b c (a value with a space) is refused", R.chunkSizeLine("5;a=b c"), .refused(400)),
            HostileCase("an extension name that is not a token is refused", R.chunkSizeLine("5;a@b=1"), .refused(400)),
            HostileCase("a control character in an extension is refused", R.chunkSizeLine("5;a=\u{1}"), .refused(400)),
            HostileCase("a size line longer than 1024 bytes is refused",
                        R.chunkSizeLine("5;a=" + String(repeating: "x", count: 1100)), .refused(400)),

            // The CRLF after each chunk's data
            HostileCase("a chunk longer than its size is refused",
                        R.chunked("5\r\nhelloX\r\n0\r\n\r\n"), .refused(400)),
            HostileCase("a chunk with no CRLF after its data is refused",
                        R.chunked("5\r\nhello0\r\n\r\n"), .refused(400)),
            HostileCase("the last chunk without its empty line, then a request, is refused",
                        R.chunked("0\r\n" + smuggled), .refused(400)),

            // Trailers
            HostileCase("a trailer field is read and dropped",
                        R.chunked("5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n"), .port600),
            HostileCase("a Content-Length trailer does not reframe anything",
                        R.chunked("5\r\nhello\r\n0\r\nContent-Length: 50\r\n\r\n"), .port600),
            HostileCase("a trailer line with no colon is refused",
                        R.chunked("5\r\nhello\r\n0\r\nX-Trailer\r\n\r\n"), .refused(400)),
            HostileCase("a folded trailer is refused",
                        R.chunked("5\r\nhello\r\n0\r\nX-Trailer: 1\r\n 2\r\n\r\n"), .refused(400)),
            HostileCase("a trailer with a space before its colon is refused",
                        R.chunked("5\r\nhello\r\n0\r\nX-Trailer : 1\r\n\r\n"), .refused(400)),
            HostileCase("a trailer with a NUL is refused",
                        R.chunked("5\r\nhello\r\n0\r\nX-Trailer: a\u{0}b\r\n\r\n"), .refused(400)),
            HostileCase("trailers past the 16384-byte header section are 431",
                        R.chunked("0\r\n" + String(repeating: "X-Trailer: \(String(repeating: "t", count: 100))\r\n", count: 170) + "\r\n"),
                        .refused(431)),
        ]
    }()
}
