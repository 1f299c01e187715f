// Fuzzes the site file reader (SitePortsFile) with arbitrary files: what `--site-ports` may name.
//
// Input: the file's bytes.
//
// Invariants, beyond not crashing:
// - a refusal is one line that names the file, with every control and bidi character escaped, and
//   quotes no more of the file than short excerpts: however large the file, the message is no
//   longer than its own words and two escaped excerpts; of a file that is not text it quotes nothing;
// - an accepted file has at most `SitePortsFile.maximumRows` rows, each with a service name, a
//   port range within 0...65535 and a transport, on lines that rise;
// - reading the same bytes twice gives the same rows or the same refusal.
import Basics
@testable import Registry

/// What the reader made of a file: its rows, or its refusal's message.
func readSiteFile(_ bytes: [UInt8]) -> (rows: [IANARow], refusal: String?) {
    do {
        return (try SitePortsFile(bytes: bytes, path: "/fuzz/site.csv").rows, nil)
    } catch let error as RegistryError {
        return ([], "\(error)")
    } catch {
        fatalError("the reader threw something other than a RegistryError: \(error)")
    }
}

/// The longest refusal: the longest message's own words (the header's, which name every IANA
/// column), and two excerpts, each of which may have every character escaped (`\u{10FFFF}`).
let longestRefusal = 400 + 2 * (PrintableText.defaultExcerptLength * 10 + 1)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSitePortsFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let (rows, refusal) = readSiteFile(bytes)
    let again = readSiteFile(bytes)
    invariant(again.refusal == refusal && again.rows == rows, "the same file read twice gave different answers")
    if let refusal {
        invariant(refusal.hasPrefix("/fuzz/site.csv"), "a refusal that does not name the file: \(refusal)")
        invariant(PrintableText.escaping(refusal) == refusal, "a refusal with raw control characters: \(refusal.debugDescription)")
        if PrintableText.isText(bytes) {
            invariant(refusal.unicodeScalars.count <= longestRefusal,
                      "a refusal of \(refusal.unicodeScalars.count) characters quotes more than excerpts: \(refusal.debugDescription)")
        } else {
            invariant(refusal == "/fuzz/site.csv: the file is not text (it holds NUL bytes or is not UTF-8): a site ports file is a CSV; "
                + "nothing was seeded from it", "a refusal of a file that is not text says more: \(refusal.debugDescription)")
        }
        return 0
    }
    invariant(rows.count <= SitePortsFile.maximumRows, "\(rows.count) rows accepted")
    var lastLine = 0
    for row in rows {
        invariant(row.line > lastLine, "row lines do not rise: \(row.line) after \(lastLine)")
        lastLine = row.line
        invariant(!row.serviceName.isEmpty && row.transport != nil, "a row without a service name or transport: \(row)")
        let ports = row.ports
        invariant(ports.map { PortLookup.validPorts.contains($0.lowerBound) && PortLookup.validPorts.contains($0.upperBound) } == true,
                  "a row with ports outside 0...65535: \(row)")
    }
    return 0
}
