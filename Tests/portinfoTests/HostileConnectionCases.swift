/// A connection's course (RFC 9112 §9, RFC 9110 §10.1.1): Expect: 100-continue gets its interim
/// answer only when there is a body to read, other expectations are 417; Connection: close is
/// honoured; pipelined requests are answered in order; a request however it is cut into pieces
/// is one request; a client too slow with its header section gets 408, an idle one is closed.
extension HostileCase {
    static let connections: [HostileCase] = {
        typealias R = HostileRequests
        let twoRequests = R.get("/ports/600") + R.get("/healthz")
        let byteByByte = Array(R.get("/ports/600").utf8).map { [$0] }
        return [
            // Expect
            HostileCase("Expect: 100-continue with a body gets 100 Continue before the answer",
                        sending: .bodyAfterInterim(head: Array(R.get600("Expect: 100-continue\r\nContent-Length: 5\r\n").utf8),
                                                   body: Array("hello".utf8)),
                        Expected(answers: [.port600AfterContinue], afterwards: .keptAlive)),
            HostileCase("Expect: 100-continue with a chunked body gets 100 Continue before the answer",
                        sending: .bodyAfterInterim(head: Array(R.get600("Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n").utf8),
                                                   body: Array("5\r\nhello\r\n0\r\n\r\n".utf8)),
                        Expected(answers: [.port600AfterContinue], afterwards: .keptAlive)),
            HostileCase("Expect: 100-Continue (any case) gets 100 Continue",
                        sending: .bodyAfterInterim(head: Array(R.get600("Expect: 100-Continue\r\nContent-Length: 5\r\n").utf8),
                                                   body: Array("hello".utf8)),
                        Expected(answers: [.port600AfterContinue], afterwards: .keptAlive)),
            HostileCase("Expect: 100-continue without a body gets no 100, only the answer",
                        R.get600("Expect: 100-continue\r\n"), .port600),
            HostileCase("Expect: 100-continue with Content-Length: 0 gets no 100",
                        R.get600("Expect: 100-continue\r\nContent-Length: 0\r\n"), .port600),
            HostileCase("Expect: 100-continue in HTTP/1.0 is ignored: no 100",
                        "GET /ports/600 HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello", .port600ThenClosed),
            HostileCase("Expect: 100-continue with a body past the limit is 413 at once, with no 100",
                        R.get600("Expect: 100-continue\r\nContent-Length: 9000\r\n"), .refused(413)),
            HostileCase("an unknown expectation is 417",
                        R.get600("Expect: gzip\r\nContent-Length: 5\r\n", body: "hello"), .refused(417)),
            HostileCase("100-continue listed with an unknown expectation is 417",
                        R.get600("Expect: 100-continue, x-fast\r\nContent-Length: 5\r\n", body: "hello"), .refused(417)),

            // Connection
            HostileCase("Connection: close is honoured", R.get600("Connection: close\r\n"), .port600ThenClosed),
            HostileCase("Connection: CLOSE is honoured (any case)", R.get600("Connection: CLOSE\r\n"), .port600ThenClosed),
            HostileCase("Connection: keep-alive, close is close", R.get600("Connection: keep-alive, close\r\n"), .port600ThenClosed),
            HostileCase("pipelined requests are answered in order",
                        twoRequests + R.get("/ports/600"),
                        Expected(answers: [.port600, Answer(status: 200, body: .unchecked), .port600], afterwards: .keptAlive)),
            HostileCase("a malformed request pipelined after a good one: the good one answered, then 400 and close",
                        R.get("/ports/600") + "GET /ports/600 HTTP/1.1\r\n\r\n" + R.get("/ports/600"),
                        Expected(answers: [.port600, .problem(400)], afterwards: .closed)),
            HostileCase("a request pipelined after Connection: close is never answered",
                        R.get600("Connection: close\r\n") + R.get("/registry"), .port600ThenClosed),
            HostileCase("a request pipelined right after a body is answered",
                        R.get600("Content-Length: 5\r\n", body: "hello") + R.get("/ports/600"),
                        Expected(answers: [.port600, .port600], afterwards: .keptAlive)),

            // Pieces
            HostileCase("a request sent byte by byte is one request",
                        sending: .pieces(byteByByte, pause: .microseconds(200)), .port600),
            HostileCase("a request cut between CR and LF is one request",
                        sending: .pieces(["GET /ports/600 HTTP/1.1\r", "\nHost: t\r", "\n\r", "\n"].map { Array($0.utf8) },
                                         pause: .milliseconds(20)), .port600),
            HostileCase("a chunked body cut inside its size line and data is one body",
                        sending: .pieces([R.get600("Transfer-Encoding: chunked\r\n") + "1", "0\r\n0123456789ab", "cdef\r\n0\r", "\n\r\n"]
                                            .map { Array($0.utf8) }, pause: .milliseconds(20)), .port600),
            HostileCase("empty lines before a request are ignored", "\r\n\r\n" + R.get("/ports/600"), .port600),
            HostileCase("a bare LF before a request is ignored", "\n" + R.get("/ports/600"), .port600),

            // The client's FIN
            HostileCase("a request followed by the client's FIN is answered, then closed",
                        sending: .thenFinish(Array(R.get("/ports/600").utf8)), .port600ThenClosed),
            HostileCase("half a request, then the client's FIN, is closed with no answer",
                        sending: .thenFinish(Array("GET /ports/600 HTTP/1.1\r\nHo".utf8)), .closedWithoutAnswer),
            HostileCase("a connection the client ends at once is closed with no answer",
                        sending: .thenFinish([]), .closedWithoutAnswer),

            // Lingering close: a refused client still sending must read the answer, then an
            // orderly close, not a reset that may destroy the answer
            HostileCase("a 413 whose client goes on sending a 1 MB body is read, then an orderly close",
                        R.get600("Content-Length: 1000000\r\n", body: String(repeating: "b", count: 1_000_000)), .refused(413)),
            HostileCase("a 400 followed by 256 KB more is read, then an orderly close",
                        "GET /ports/600 HTTP/1.1\r\n\r\n" + String(repeating: "x", count: 256 * 1024), .refused(400)),

            // Timeouts (a server with a 0.5 s header timeout and a 1 s idle timeout)
            HostileCase("a header section that stops arriving is 408 at the header timeout, then closed",
                        "GET /ports/600 HTTP/1.1\r\nHost: t\r\n", .refused(408), on: .shortTimeouts),
            HostileCase("a header section trickled in past the header timeout is 408: the timeout counts from its first byte",
                        sending: .pieces(Array(byteByByte.prefix(15)), pause: .milliseconds(100)), .refused(408), on: .shortTimeouts),
            HostileCase("a connection that never sends is closed at the idle timeout, with no answer",
                        sending: .whole([]), .closedWithoutAnswer, on: .shortTimeouts),
        ]
    }()
}
