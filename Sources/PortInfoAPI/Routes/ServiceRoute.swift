import PortInfoPages
import PortInfoReports
import Registry

extension PortInfoAPI {
    /// `/services/{name}`: the records of the name, matched whole in any case; the name is one
    /// percent-decoded path segment (`whois%2B%2B`, `cl%2F1`).
    func serviceAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        guard let name = String(percentDecoding: request.segment, plusIsSpace: false) else {
            throw Problem(.invalidEncoding, "the service name is not percent-encoded UTF-8: '\(request.segment)'")
        }
        guard !name.isEmpty else {
            throw Problem(.invalidParameter, "the service name is empty: ask for /services/NAME")
        }
        let (generation, representation, context) = (request.generation, request.representation, request.context)
        return .query { [self] () throws(Problem) in
            let records = try fromRegistry(generation) { try $0.records(named: name) }
            guard !records.isEmpty else {
                throw Problem(.unknownService, """
                    no service is named '\(name)' in the registry (names match whole, in any case); \
                    /search?q=WORDS finds words in names, descriptions and notes
                    """)
            }
            let body = switch representation {
            case let .json(format): APIJSON.serviceAnswer(name: name, records: records, format: format)
            case .html: ServicePage(name: name, records: records).rendered()
            }
            return .registry(body, representation, caching: .registry(representation, sharedCaches: true), context: context)
        }
    }
}
