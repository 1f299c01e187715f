// Fuzzes HTTPQuery against a plainly written reference, over arbitrary query strings.
//
// Input: the query (a slice of a request target, as HTTPRequest.query is), then optionally a
// 0x00 byte and one more name to look up. Looked up: the names the routes read, every name the
// query holds, and that one.
//
// Invariant, beyond not crashing: `contains` and `value` answer as the reference does. The
// reference splits pairs as WHATWG's application/x-www-form-urlencoded parser does (on `&`, empty
// pairs skipped, the name ending at the first `=`) and takes the first pair whose decoded name has
// the same UTF-8 bytes as the name asked for. It decodes with String(percentDecoding:plusIsSpace:),
// which the percent-decoding target checks against a reference of its own.
import Basics
import HTTPServer

/// The names the API's routes read.
let routeParameterNames = ["q", "limit", "offset", "transport", "port", "pretty", "count", "range", "from"]

/// The query's pairs, still encoded, in order.
func referencePairs(_ query: [UInt8]) -> [(name: String, value: String)] {
    query.split(separator: UInt8(ascii: "&")).map { pair in
        let equals = pair.firstIndex(of: UInt8(ascii: "=")) ?? pair.endIndex
        let value = equals == pair.endIndex ? pair[equals...] : pair[(equals + 1)...]
        return (String(decoding: pair[..<equals], as: UTF8.self), String(decoding: value, as: UTF8.self))
    }
}

enum ReferenceAnswer: Equatable {
    case absent
    /// Present, with its decoded value; nil when the value does not decode.
    case present(String?)
}

func referenceLookup(_ pairs: [(name: String, value: String)], _ name: String) -> ReferenceAnswer {
    for pair in pairs {
        guard let decoded = String(percentDecoding: pair.name[...], plusIsSpace: true) else { continue }
        if decoded.utf8.elementsEqual(name.utf8) {
            return .present(String(percentDecoding: pair.value[...], plusIsSpace: true))
        }
    }
    return .absent
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQueryParameters(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let separator = bytes.firstIndex(of: 0) ?? bytes.endIndex
    let queryText = String(decoding: bytes[..<separator], as: UTF8.self)
    let target = "/search?" + queryText
    let query = target[target.utf8.index(after: target.utf8.firstIndex(of: UInt8(ascii: "?"))!)...]
    let parameters = HTTPQuery(query)

    let pairs = referencePairs(Array(query.utf8))
    var names = routeParameterNames + pairs.compactMap { String(percentDecoding: $0.name[...], plusIsSpace: true) }
    if separator < bytes.endIndex { names.append(String(decoding: bytes[(separator + 1)...], as: UTF8.self)) }

    for name in names {
        let expected = referenceLookup(pairs, name)
        let answer: ReferenceAnswer
        do {
            answer = try parameters.value(name).map(ReferenceAnswer.present) ?? .absent
        } catch {
            answer = .present(nil)
        }
        invariant(answer == expected, """
            query \(hex(query.utf8)): value(\(hex(name.utf8))) is \(answer), the reference says \(expected)
            """)
        invariant(parameters.contains(name) == (expected != .absent), """
            query \(hex(query.utf8)): contains(\(hex(name.utf8))) is \(parameters.contains(name)), the reference says \(expected)
            """)
    }
    return 0
}
