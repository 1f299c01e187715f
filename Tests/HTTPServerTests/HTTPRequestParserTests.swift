import Testing
@testable import HTTPServer

/// What the parser gave, in a form tests compare.
enum ParseOutcome: Equatable, CustomStringConvertible {
    case request(String, keepAlive: Bool)
    case continueExpected
    case failure(Int, String)

    var description: String {
        switch self {
        case let .request(line, keepAlive): "request(\(line), keepAlive: \(keepAlive))"
        case .continueExpected: "continueExpected"
        case let .failure(status, detail): "failure(\(status), \(detail))"
        }
    }
}

/// Feeds `bytes` to a new parser in pieces that end at `cuts` (offsets), and gives every
/// outcome but `needMore`, in order.
func parse(_ bytes: [UInt8], cuts: [Int] = [], limits: HTTPLimits = HTTPLimits()) -> [ParseOutcome] {
    var parser = HTTPRequestParser(limits: limits, remoteAddress: "192.0.2.1")
    var buffer = InboundBuffer()
    var outcomes: [ParseOutcome] = []
    var start = 0
    for end in cuts + [bytes.count] where end >= start {
        bytes[start..<end].withUnsafeBytes { buffer.append($0) }
        start = end
        loop: while true {
            switch parser.next(from: &buffer) {
            case .needMore: break loop
            case .continueExpected: outcomes.append(.continueExpected)
            case let .request(request, keepAlive):
                let fields = request.headers.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
                outcomes.append(.request("\(request.method) \(request.target) \(request.version.rawValue) [\(fields)]", keepAlive: keepAlive))
            case let .failure(error):
                outcomes.append(.failure(error.status, error.detail))
                break loop
            }
        }
    }
    return outcomes
}

let host = "Host: h\r\n"

/// Requests and what the parser must make of them, however the bytes are split.
let parserCases: [(name: String, bytes: String, expected: [ParseOutcome])] = [
    ("a plain GET", "GET /ports/600 HTTP/1.1\r\n\(host)\r\n", [.request("GET /ports/600 HTTP/1.1 [Host=h]", keepAlive: true)]),
    ("lone LF line ends", "GET / HTTP/1.1\nHost: h\n\n", [.request("GET / HTTP/1.1 [Host=h]", keepAlive: true)]),
    ("empty lines before the request", "\r\n\n\r\nGET / HTTP/1.1\r\n\(host)\r\n", [.request("GET / HTTP/1.1 [Host=h]", keepAlive: true)]),
    ("two pipelined", "GET /1 HTTP/1.1\r\n\(host)\r\nGET /2 HTTP/1.1\r\n\(host)Connection: close\r\n\r\n",
     [.request("GET /1 HTTP/1.1 [Host=h]", keepAlive: true), .request("GET /2 HTTP/1.1 [Host=h,Connection=close]", keepAlive: false)]),
    ("HTTP/1.0 closes", "GET / HTTP/1.0\r\n\r\n", [.request("GET / HTTP/1.0 []", keepAlive: false)]),
    ("HTTP/1.0 keep-alive", "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", [.request("GET / HTTP/1.0 [Connection=Keep-Alive]", keepAlive: true)]),
    ("a later 1.x is 1.1", "GET / HTTP/1.9\r\n\(host)\r\n", [.request("GET / HTTP/1.1 [Host=h]", keepAlive: true)]),
    ("field values trimmed, obs-text kept", "GET / HTTP/1.1\r\n\(host)X: \t a\u{E9} \t\r\n\r\n",
     [.request("GET / HTTP/1.1 [Host=h,X=a\u{C3}\u{A9}]", keepAlive: true)]),
    ("absolute form: its authority stands for Host", "GET http://h:80/ports/1?x HTTP/1.1\r\nHost: other\r\n\r\n",
     [.request("GET /ports/1?x HTTP/1.1 [Host=h:80]", keepAlive: true)]),
    ("absolute form without a path", "GET https://h?q=1 HTTP/1.1\r\n\(host)\r\n", [.request("GET /?q=1 HTTP/1.1 [Host=h]", keepAlive: true)]),
    ("absolute form still needs a Host field", "GET http://h/ HTTP/1.1\r\n\r\n",
     [.failure(400, "an HTTP/1.1 request must have a Host header field")]),
    ("absolute form from HTTP/1.0", "GET http://h/ HTTP/1.0\r\n\r\n", [.request("GET / HTTP/1.0 [Host=h]", keepAlive: false)]),
    ("absolute form with an invalid host", "GET http://a<b/ HTTP/1.1\r\n\(host)\r\n",
     [.failure(400, "the Host header field 'a<b' is not a valid host[:port]")]),
    ("asterisk form", "OPTIONS * HTTP/1.1\r\n\(host)\r\n", [.request("OPTIONS * HTTP/1.1 [Host=h]", keepAlive: true)]),
    ("a body read and dropped", "POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\n\r\nhelloGET /n HTTP/1.1\r\n\(host)\r\n",
     [.request("POST / HTTP/1.1 [Host=h,Content-Length=5]", keepAlive: true), .request("GET /n HTTP/1.1 [Host=h]", keepAlive: true)]),
    ("equal Content-Lengths", "POST / HTTP/1.1\r\n\(host)Content-Length: 3, 03\r\nContent-Length: 3\r\n\r\nabc",
     [.request("POST / HTTP/1.1 [Host=h,Content-Length=3, 03,Content-Length=3]", keepAlive: true)]),
    ("chunked with extensions and trailers",
     "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5 ; a=b;c=\"d \\\" e\";f\r\nhello\r\n0;x=y\r\nT: v\r\n\r\n",
     [.request("POST / HTTP/1.1 [Host=h,Transfer-Encoding=chunked]", keepAlive: true)]),
    ("100-continue with a body", "PUT / HTTP/1.1\r\n\(host)Expect: 100-Continue\r\nContent-Length: 2\r\n\r\nhi",
     [.continueExpected, .request("PUT / HTTP/1.1 [Host=h,Expect=100-Continue,Content-Length=2]", keepAlive: true)]),
    ("100-continue without a body", "GET / HTTP/1.1\r\n\(host)Expect: 100-continue\r\n\r\n",
     [.request("GET / HTTP/1.1 [Host=h,Expect=100-continue]", keepAlive: true)]),
    ("100-continue from HTTP/1.0 is ignored", "POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx",
     [.request("POST / HTTP/1.0 [Expect=100-continue,Content-Length=1]", keepAlive: false)]),

    ("a TLS hello", "\u{16}\u{03}\u{01}\u{02}\u{00}", [.failure(400,
        "this is not an HTTP/1.x request: a request line cannot start with byte 0x16 (TLS or HTTP/2 sent to a plain HTTP/1.1 port?)")]),
    ("the HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", [.failure(505, "this server speaks HTTP/1.0 and HTTP/1.1, not HTTP/2.0")]),
    ("HTTP/0.9", "GET /\r\n", [.failure(400, "the request line must be METHOD SP TARGET SP HTTP-VERSION, single spaces")]),
    ("two spaces", "GET  / HTTP/1.1\r\n", [.failure(400, "the request line must be METHOD SP TARGET SP HTTP-VERSION, single spaces")]),
    ("a trailing space", "GET / HTTP/1.1 \r\n", [.failure(400, "the request line must be METHOD SP TARGET SP HTTP-VERSION, single spaces")]),
    ("lowercase version", "GET / http/1.1\r\n", [.failure(400, "the HTTP version must look like HTTP/1.1")]),
    ("a short version", "GET / HTTP/1\r\n", [.failure(400, "the HTTP version must look like HTTP/1.1")]),
    ("a method that is no token", "GE(T / HTTP/1.1\r\n", [.failure(400, "the method is not a token")]),
    ("a raw space in the target", "GET /a\u{7F}b HTTP/1.1\r\n", [.failure(400, "the request target has a character that must be percent-encoded")]),
    ("CONNECT", "CONNECT h:443 HTTP/1.1\r\n\(host)\r\n", [.failure(501, "this server is no proxy: CONNECT is not supported")]),
    ("authority form", "GET h:443 HTTP/1.1\r\n\(host)\r\n",
     [.failure(400, "the request target must be a path starting with /, an absolute http URI, or * for OPTIONS")]),
    ("chunked twice", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
     [.failure(400, "chunked is applied more than once (RFC 9112 §7)")]),
    ("asterisk with GET", "GET * HTTP/1.1\r\n\(host)\r\n", [.failure(400, "the target * is for OPTIONS only")]),
    ("a CR inside the request line", "GET /\r HTTP/1.1\r\n", [.failure(400, "a carriage return inside a line (lines end in CRLF)")]),
    ("a CR inside a field", "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", [.failure(400, "a carriage return inside a line (lines end in CRLF)")]),
    ("no Host", "GET / HTTP/1.1\r\n\r\n", [.failure(400, "an HTTP/1.1 request must have a Host header field")]),
    ("two Hosts", "GET / HTTP/1.1\r\n\(host)\(host)\r\n", [.failure(400, "more than one Host header field")]),
    ("obs-fold", "GET / HTTP/1.1\r\n\(host)X: a\r\n b\r\n\r\n",
     [.failure(400, "a header line starts with whitespace (obsolete line folding is not accepted)")]),
    ("space before the colon", "GET / HTTP/1.1\r\n\(host)X : a\r\n\r\n", [.failure(400, "whitespace between a header field name and its colon")]),
    ("a NUL in a value", "GET / HTTP/1.1\r\n\(host)X: a\u{0}b\r\n\r\n", [.failure(400, "the value of X has a control character")]),
    ("no colon", "GET / HTTP/1.1\r\n\(host)X\r\n\r\n", [.failure(400, "a header line has no colon")]),
    ("empty Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length:\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n",
     [.failure(400, "Content-Length '' is not a number of bytes")]),
    ("a lone comma as Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length: ,\r\n\r\n",
     [.failure(400, "Content-Length ',' is not a number of bytes")]),
    ("an empty element among Content-Lengths", "POST / HTTP/1.1\r\n\(host)Content-Length: 5,,5\r\n\r\n",
     [.failure(400, "Content-Length '5,,5' is not a number of bytes")]),
    ("a signed Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length: +5\r\n\r\n",
     [.failure(400, "Content-Length '+5' is not a number of bytes")]),
    ("differing Content-Lengths", "POST / HTTP/1.1\r\n\(host)Content-Length: 5\r\nContent-Length: 6\r\n\r\n",
     [.failure(400, "Content-Length values differ")]),
    ("Content-Length and Transfer-Encoding", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
     [.failure(400, "both Transfer-Encoding and Content-Length: the body's length is ambiguous")]),
    ("chunked not last", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, gzip\r\n\r\n", [.failure(400, "the last transfer coding must be chunked")]),
    ("gzip then chunked", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n",
     [.failure(501, "transfer codings other than chunked are not supported")]),
    ("Transfer-Encoding in 1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", [.failure(400, "Transfer-Encoding in an HTTP/1.0 request")]),
    ("a chunk extension that is not one", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5 garbage\r\nhello\r\n0\r\n\r\n",
     [.failure(400, "a chunk extension is not ;name or ;name=value (RFC 9112 §7.1.1)")]),
    ("an empty chunk extension", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;\r\nhello\r\n0\r\n\r\n",
     [.failure(400, "a chunk extension is not ;name or ;name=value (RFC 9112 §7.1.1)")]),
    ("an unterminated quoted extension", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;a=\"b\r\nhello\r\n0\r\n\r\n",
     [.failure(400, "a chunk extension is not ;name or ;name=value (RFC 9112 §7.1.1)")]),
    ("a chunk size that is not hex", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\n",
     [.failure(400, "a chunk size is not a hexadecimal number")]),
    ("a chunk longer than its size", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n2\r\nhello\r\n0\r\n\r\n",
     [.failure(400, "a chunk is longer than its size says")]),
    ("a huge chunk size", "POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFFFF\r\n",
     [.failure(413, "the request body is larger than 8192 bytes")]),
    ("a huge Content-Length", "POST / HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999999\r\n\r\n",
     [.failure(413, "the request body is larger than 8192 bytes")]),
    ("an expectation other than 100-continue", "GET / HTTP/1.1\r\n\(host)Expect: tea\r\n\r\n",
     [.failure(417, "the expectation 'tea' is not one this server meets (only 100-continue)")]),
    ("nothing after a refusal", "GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\(host)\r\n", [.failure(400, "an HTTP/1.1 request must have a Host header field")]),
]

@Suite struct HTTPRequestParserTests {
    @Test(arguments: parserCases.map(\.name))
    func eachCaseGivesTheSameOutcomesWholeAndSplitAtEveryOffset(name: String) {
        let testCase = parserCases.first { $0.name == name }!
        let bytes = Array(testCase.bytes.utf8)
        #expect(parse(bytes) == testCase.expected, "whole")
        for cut in 0...bytes.count {
            #expect(parse(bytes, cuts: [cut]) == testCase.expected, "split at \(cut)")
        }
        #expect(parse(bytes, cuts: Array(0...bytes.count)) == testCase.expected, "byte by byte")
    }

    @Test func theLimitsHoldAtTheirEdgeHoweverTheBytesArrive() {
        var limits = HTTPLimits()
        limits.maxRequestLineLength = 40
        limits.maxHeaderSectionSize = 60
        limits.maxHeaderCount = 3
        limits.maxBodySize = 10
        func line(_ length: Int) -> String { "GET /" + String(repeating: "a", count: length - 14) + " HTTP/1.1" }
        let cases: [(String, ParseOutcome)] = [
            (line(40) + "\r\n\(host)\r\n", .request(line(40) + " [Host=h]", keepAlive: true)),
            (line(41) + "\r\n\(host)\r\n", .failure(414, "the request line is longer than 40 bytes")),
            // 60 bytes of header section, its final CRLF included.
            ("GET / HTTP/1.1\r\n\(host)X: " + String(repeating: "v", count: 44) + "\r\n\r\n",
             .request("GET / HTTP/1.1 [Host=h,X=\(String(repeating: "v", count: 44))]", keepAlive: true)),
            ("GET / HTTP/1.1\r\n\(host)X: " + String(repeating: "v", count: 45) + "\r\n\r\n",
             .failure(431, "the header section is larger than 60 bytes")),
            ("GET / HTTP/1.1\r\n\(host)A: 1\r\nB: 2\r\n\r\n", .request("GET / HTTP/1.1 [Host=h,A=1,B=2]", keepAlive: true)),
            ("GET / HTTP/1.1\r\n\(host)A: 1\r\nB: 2\r\nC: 3\r\n\r\n", .failure(431, "more than 3 header fields")),
            ("POST / HTTP/1.1\r\n\(host)Content-Length: 10\r\n\r\n0123456789", .request("POST / HTTP/1.1 [Host=h,Content-Length=10]", keepAlive: true)),
            ("POST / HTTP/1.1\r\n\(host)Content-Length: 11\r\n\r\n", .failure(413, "the request body is larger than 10 bytes")),
            ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n",
             .request("POST / HTTP/1.1 [Host=h,Transfer-Encoding=chunked]", keepAlive: true)),
            ("POST / HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\n01234\r\n6\r\n",
             .failure(413, "the request body is larger than 10 bytes")),
        ]
        for (text, expected) in cases {
            let bytes = Array(text.utf8)
            for cut in 0...bytes.count {
                #expect(parse(bytes, cuts: [cut], limits: limits) == [expected], "\(text.debugDescription) split at \(cut)")
            }
        }
    }

    @Test func aRequestLineThatNeverEndsIsRefusedAtItsLimitNotAtATimeout() {
        var limits = HTTPLimits()
        limits.maxRequestLineLength = 100
        #expect(parse(Array(("GET /" + String(repeating: "a", count: 200)).utf8), limits: limits)
            == [.failure(414, "the request line is longer than 100 bytes")])
        #expect(parse(Array("GET /aaa".utf8), limits: limits) == [], "still arriving")
    }

    @Test func betweenRequestsOnlyWhenNothingOfTheNextHasArrived() {
        var parser = HTTPRequestParser(limits: HTTPLimits(), remoteAddress: "")
        var buffer = InboundBuffer()
        #expect(parser.isBetweenRequests)
        Array("\r\n".utf8).withUnsafeBytes { buffer.append($0) }
        _ = parser.next(from: &buffer)
        #expect(!parser.isBetweenRequests, "an empty line before a request counts as its start")
    }
}
