import HTTPServer
import PortInfoPages
import PortInfoReports
import Registry

extension PortInfoAPI {
    /// `/search?q=…`: records and known uses the words find, best first, a page of them.
    func searchAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        guard let text = try request.query.value("q") else {
            throw Problem(.invalidParameter, "query parameter 'q' is required: /search?q=WORDS")
        }
        guard !text.isEmpty else {
            throw Problem(.invalidParameter, "query parameter 'q' is empty: give the words to search for, /search?q=WORDS")
        }
        let limit = try request.query.integer("limit", from: 1, to: RegistryStore.maximumSearchLimit) ?? RegistryStore.defaultSearchLimit
        let offset = try request.query.integer("offset", from: 0) ?? 0
        // The caps are checked here, before any query: a refusal costs no query thread.
        let search = try Self.searchQuery(text)
        let (generation, representation, context) = (request.generation, request.representation, request.context)
        return .query { [self] () throws(Problem) in
            let results = try fromRegistry(generation) { try $0.search(search, limit: limit, offset: offset) }
            let body = switch representation {
            case let .json(format): APIJSON.searchAnswer(query: text, results: results, format: format)
            case .html: SearchPage(query: text, results: results, port: nil, offset: offset, limit: limit).rendered()
            }
            return .registry(body, representation, caching: .registry(representation, sharedCaches: true), context: context)
        }
    }

    /// `/` and `/?q=…`: the lookup page, with what the query finds: the port it names, if it is
    /// one, and the search's best results.
    func lookupPageAnswer(_ request: inout RouteRequest) throws(Problem) -> Reply {
        // The caps count what was sent, spaces around it included, as /search's do.
        let given = try request.query.value("q") ?? ""
        let search = try Self.searchQuery(given)
        let text = Substring(given).trimmingWhitespace()
        let (generation, context) = (request.generation, request.context)
        guard !text.isEmpty else {
            return .now(.registry(LookupPage.rendered(), .html, caching: .registry(.html, sharedCaches: true), context: context))
        }
        let port = PortLookup.port(fromDecimal: text)
        return .query { [self] () throws(Problem) in
            let lookup = try port.map { (port) throws(Problem) in try fromRegistry(generation) { try $0.lookup(port: port) } }
            let results = try fromRegistry(generation) { try $0.search(search, limit: RegistryStore.defaultSearchLimit, offset: 0) }
            let page = SearchPage(query: text, results: results, port: lookup, offset: 0, limit: RegistryStore.defaultSearchLimit)
            return .registry(page.rendered(), .html, caching: .registry(.html, sharedCaches: true), context: context)
        }
    }

    /// `q` as a search, within the caps.
    private static func searchQuery(_ text: String) throws(Problem) -> SearchQuery {
        do { return try SearchQuery(text) } catch { throw Problem(.invalidParameter, "query parameter 'q': \(error)") }
    }
}
