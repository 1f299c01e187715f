import Basics
import Registry

/// One service on a page: its name, ports and transports, then each detail the registry gives,
/// references as links (RFCs to the RFC Editor), notes and reported unauthorized use as text.
enum RecordSection {
    static func write(_ group: ServiceGroup, into html: inout HTMLWriter) {
        let record = group.first
        html.element("section", ["class": "record"]) { html in
            html.element("h3") { html in
                if let name = group.name {
                    html.link("/services/\(PathSegment.encoded(name))", text: name)
                } else {
                    html.text(record.status == .assigned ? "(unnamed)" : record.status == .reserved ? "Reserved" : "Unassigned")
                }
                html.text(" ")
                html.element("span", ["class": "muted"], text: [group.portText.map { "port \($0)" }, group.transportText]
                    .compactMap { $0 }.joined(separator: ", "))
                if record.source == .site {
                    html.text(" ")
                    html.element("span", ["class": "label"], text: "site")
                }
            }
            details(of: record, into: &html)
            for variant in group.variants {
                html.element("h4", text: "For \(variant.transport?.rawValue.uppercased() ?? "every transport")")
                details(of: variant, into: &html)
            }
        }
    }

    private static func details(of record: Record, into html: inout HTMLWriter) {
        html.element("dl") { html in
            item("Description", record.description, into: &html)
            item(record.source == .site ? "Team" : "Assignee", record.assignee, into: &html)
            item("Contact", record.contact, into: &html)
            item("Registered", record.registered, into: &html)
            item("Modified", record.modified, into: &html)
            if !record.references.isEmpty {
                html.element("dt", text: "References")
                html.element("dd") { html in
                    for (index, reference) in record.references.enumerated() {
                        if index > 0 { html.text(", ") }
                        writeReference(reference, into: &html)
                    }
                }
            }
            item("Service code", record.serviceCode, into: &html)
            item("Unauthorized use reported", record.unauthorizedUse, into: &html)
            item("Notes", record.notes, into: &html)
        }
    }

    private static func item(_ term: String, _ value: String?, into html: inout HTMLWriter) {
        guard let value else { return }
        html.element("dt", text: term)
        html.element("dd", text: value)
    }

    /// `RFC1057` links to the RFC Editor's page; other references (people, documents) are text.
    static func writeReference(_ reference: String, into html: inout HTMLWriter) {
        let digits = reference.dropFirst(3)
        if reference.hasPrefix("RFC"), !digits.isEmpty, digits.count <= 5, digits.utf8.allSatisfy(ASCII.isDigit) {
            html.link("https://www.rfc-editor.org/rfc/rfc\(Int(digits)!)", text: "RFC \(Int(digits)!)")
        } else {
            html.text(reference)
        }
    }
}

/// A path segment percent-encoded: what a link to `/services/{name}` carries (names hold `/`, `+`, `*`).
enum PathSegment {
    static func encoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case _ where ASCII.isLetter(byte) || ASCII.isDigit(byte),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%"
                out.unicodeScalars.append(Unicode.Scalar(ASCII.upperHexDigits[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(ASCII.upperHexDigits[Int(byte & 15)]))
            }
        }
        return out
    }
}
