/// Field lines (RFC 9112 §5, RFC 9110 §5.5): a field name is a token right before its colon, a
/// value holds no CR, LF, NUL or other control, and a line never continues onto the next (no
/// obs-fold). Lines may end in a bare LF (RFC 9112 §2.2), never in a bare CR.
extension HostileCase {
    static let fieldSyntax: [HostileCase] = {
        typealias R = HostileRequests
        return [
            HostileCase("an obs-folded field (a line starting with a space) is refused",
                        R.get600("X-A: 1\r\n  folded\r\n"), .refused(400)),
            HostileCase("a field folded with a tab is refused",
                        R.get600("X-A: 1\r\n\tfolded\r\n"), .refused(400)),
            HostileCase("a first field line starting with whitespace is refused",
                        "GET /ports/600 HTTP/1.1\r\n Host: t\r\n\r\n", .refused(400)),
            HostileCase("a bare CR inside a field value is refused",
                        R.get600("X-A: a\rb\r\n"), .refused(400)),
            HostileCase("a field line ended by a bare CR is refused",
                        "GET /ports/600 HTTP/1.1\r\nHost: t\rX-A: 1\r\n\r\n", .refused(400)),
            HostileCase("a field line ended by CR CR LF is refused",
                        "GET /ports/600 HTTP/1.1\r\nHost: t\r\r\n\r\n", .refused(400)),
            HostileCase("a request line ended by a bare CR is refused",
                        "GET /ports/600 HTTP/1.1\rHost: t\r\n\r\n", .refused(400)),
            HostileCase("a NUL in a field value is refused", R.get600("X-A: a\u{0}b\r\n"), .refused(400)),
            HostileCase("a NUL in a field name is refused", R.get600("X-\u{0}A: 1\r\n"), .refused(400)),
            HostileCase("a NUL in the request target is refused",
                        "GET /ports/600\u{0} HTTP/1.1\r\nHost: t\r\n\r\n", .refused(400)),
            HostileCase("a NUL in the method is refused",
                        "GE\u{0}T /ports/600 HTTP/1.1\r\nHost: t\r\n\r\n", .refused(400)),
            HostileCase("SOH in a field value is refused", R.get600("X-A: a\u{1}b\r\n"), .refused(400)),
            HostileCase("DEL in a field value is refused", R.get600("X-A: a\u{7F}b\r\n"), .refused(400)),
            HostileCase("ESC (a terminal escape) in a field value is refused", R.get600("X-A: \u{1B}[31mred\r\n"), .refused(400)),
            HostileCase("a vertical tab in a field value is refused", R.get600("X-A: a\u{B}b\r\n"), .refused(400)),
            HostileCase("a form feed in a field value is refused", R.get600("X-A: a\u{C}b\r\n"), .refused(400)),
            HostileCase("a bare LF inside a field value ends the line, leaving one with no colon: refused",
                        R.get600("X-A: a\nb\r\n"), .refused(400)),
            HostileCase("a tab inside a field value is allowed", R.get600("X-A: a\tb\r\n"), .port600),
            HostileCase("obs-text (bytes above 0x7F) in a field value is allowed",
                        bytes: Array("GET /ports/600 HTTP/1.1\r\nHost: t\r\nX-A: caf".utf8) + [0xE9] + Array("\r\n\r\n".utf8), .port600),
            HostileCase("lines ending in a bare LF are accepted",
                        "GET /ports/600 HTTP/1.1\nHost: t\nX-A: 1\n\n", .port600),
            HostileCase("a field line with no colon is refused", R.get600("X-A 1\r\n"), .refused(400)),
            HostileCase("a field with an empty name is refused", R.get600(": 1\r\n"), .refused(400)),
            HostileCase("a field name with a character outside token is refused", R.get600("X@A: 1\r\n"), .refused(400)),
            HostileCase("a field name with a non-ASCII letter is refused", R.get600("X-\u{C4}: 1\r\n"), .refused(400)),
            HostileCase("a field value of only blanks is an empty value", R.get600("X-A: \t \r\n"), .port600),
        ]
    }()
}
