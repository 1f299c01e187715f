// Fuzzes HTTPRequestParser with what a hostile client may send, fed whole and fed in pieces.
//
// Input: byte 0 holds flags: bits 0-2 how many of the next bytes give the piece sizes of the
// split feed (each 1...32, repeated; none: one byte at a time), bit 3 small limits (so that
// every limit's edge is within libFuzzer's reach). The rest is what the client sends.
//
// Invariants, beyond not crashing:
// - the results fed whole equal the results fed in pieces (requests field by field, failures
//   status and detail): where a network splits a request must never change what it means;
// - a failure's status is one the parser is known to answer with, and its detail says something;
// - a request's method is a token, its target visible ASCII, its fields RFC 9110 fields
//   (token names, values without control characters or surrounding blanks); an HTTP/1.1 request
//   has exactly one Host, and no request has both Transfer-Encoding and Content-Length;
// - nothing after a failure: the connection closes, so the parser must not hand out a request
//   from the bytes behind one even if it is asked again.
@testable import HTTPServer

/// What the parser answers with when it refuses a request; a status outside these is a finding
/// (or a new refusal the parser learnt, to be added here).
let knownFailureStatuses: Set<Int> = [400, 413, 414, 417, 431, 501, 505]

/// Small enough for 4 KiB inputs to cross each limit.
let smallLimits: HTTPLimits = {
    var limits = HTTPLimits()
    limits.maxRequestLineLength = 64
    limits.maxHeaderSectionSize = 256
    limits.maxHeaderCount = 8
    limits.maxBodySize = 64
    return limits
}()

let remoteAddress = "192.0.2.1"

/// One result of the parser, comparable: a request with everything it carries, a failure, or
/// any other result (`.continueExpected`, and whatever case the parser gains later), compared by
/// its description so that it too must come at the same point however the bytes are split.
enum Outcome: Equatable, CustomStringConvertible {
    case request(method: String, target: String, version: String, fields: [String], remoteAddress: String, keepAlive: Bool)
    case failure(status: Int, detail: String)
    case other(String)

    var description: String {
        switch self {
        case let .request(method, target, version, fields, remoteAddress, keepAlive):
            "request \(method) \(target) \(version) \(fields) from \(remoteAddress) keepAlive \(keepAlive)"
        case let .failure(status, detail): "failure \(status) \(detail)"
        case let .other(text): text
        }
    }

    var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}

/// Everything the parser returns from the bytes in `buffer` until it needs more or fails.
func drain(_ parser: inout HTTPRequestParser, _ buffer: inout InboundBuffer, into outcomes: inout [Outcome]) {
    while true {
        let result = parser.next(from: &buffer)
        if case .needMore = result { return }
        let outcome: Outcome
        switch result {
        case let .request(request, keepAlive):
            checkRequest(request)
            outcome = .request(method: request.method, target: request.target, version: request.version.rawValue,
                               fields: request.headers.map { "\($0.name): \($0.value)" },
                               remoteAddress: request.remoteAddress, keepAlive: keepAlive)
        case let .failure(error):
            invariant(knownFailureStatuses.contains(error.status), "a failure with an unknown status: \(error)")
            invariant(!error.detail.isEmpty, "a failure without a detail: \(error)")
            outcome = .failure(status: error.status, detail: error.detail)
        default:
            outcome = .other(String(describing: result))
        }
        outcomes.append(outcome)
        if outcome.isFailure { return }
    }
}

/// The parser's results from `pieces` delivered one after the other; after a failure, the rest is
/// delivered anyway and the parser asked again, and must not return a request.
func parse(_ pieces: [ArraySlice<UInt8>], limits: HTTPLimits) -> [Outcome] {
    var parser = HTTPRequestParser(limits: limits, remoteAddress: remoteAddress)
    var buffer = InboundBuffer()
    var outcomes: [Outcome] = []
    for (index, piece) in pieces.enumerated() {
        piece.withUnsafeBytes { buffer.append($0) }
        drain(&parser, &buffer, into: &outcomes)
        guard outcomes.last?.isFailure == true else { continue }
        for rest in pieces[(index + 1)...] { rest.withUnsafeBytes { buffer.append($0) } }
        if case let .request(request, _) = parser.next(from: &buffer) {
            fatalError("a request after a failure: \(request.method) \(request.target) after \(outcomes.last!)")
        }
        break
    }
    return outcomes
}

func isTokenCharacter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): true
    default: "!#$%&'*+-.^_`|~".utf8.contains(byte)
    }
}

func isToken(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy(isTokenCharacter)
}

func checkRequest(_ request: HTTPRequest) {
    invariant(isToken(request.method), "the method is not a token: \(hex(request.method.utf8))")
    invariant(!request.target.isEmpty && request.target.utf8.allSatisfy { (0x21...0x7E).contains($0) },
                 "the target is not visible ASCII: \(hex(request.target.utf8))")
    for (name, value) in request.headers {
        invariant(isToken(name), "a field name is not a token: \(hex(name.utf8))")
        // Values are kept as Latin-1 reads them: each scalar is one byte as sent.
        let scalars = value.unicodeScalars.map(\.value)
        invariant(scalars.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F && $0 <= 0xFF) },
                     "the value of \(name) has a control character: \(scalars)")
        invariant(scalars.first.map { $0 != 0x20 && $0 != 0x09 } ?? true && scalars.last.map { $0 != 0x20 && $0 != 0x09 } ?? true,
                     "the value of \(name) is not trimmed: \(scalars)")
    }
    if request.version == .http1_1 {
        invariant(request.headers.values("Host").count == 1, "an HTTP/1.1 request without exactly one Host")
    }
    invariant(request.headers.values("Transfer-Encoding").isEmpty || request.headers.values("Content-Length").isEmpty,
                 "a request with both Transfer-Encoding and Content-Length")
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let flags = input.takeByte()
    let sizes = input.takePieceSizes(count: Int(flags & 7), maxSize: 32)
    let limits = flags & 8 != 0 ? smallLimits : HTTPLimits()
    let sent = input.bytes

    let whole = parse([sent], limits: limits)
    let split = parse(pieces(of: sent, sizes: sizes), limits: limits)
    invariant(whole == split, """
        fed whole and in pieces of \(sizes.isEmpty ? [1] : sizes), the parser answers differently:
        whole: \(whole)
        split: \(split)
        """)
    return 0
}
