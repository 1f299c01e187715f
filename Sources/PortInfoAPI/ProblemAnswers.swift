import PortInfoPages
import PortInfoReports

extension Problem {
    /// A full query queue drains in milliseconds, and a query stopped at its time budget is one
    /// of a burst: a second later is soon enough, and spreads retries.
    static let retryAfterSeconds = 1

    /// The problem as an answer in `representation` (a page for a browser, else problem+json),
    /// with the fields of its own (`Allow` of `route`, `WWW-Authenticate`, `Retry-After`), and
    /// `no-store`: a refusal is about this request or this moment, and no cache may hand it to
    /// the next client (404s and 405s are cacheable by default).
    func answer(_ representation: Representation, route: Route?, context: Answer.Context) -> Answer {
        var fields: [(name: String, value: String)] = []
        switch kind {
        case .methodNotAllowed:
            fields.append(("Allow", route?.allowedMethods ?? RouteTable.allowedMethods))
        case .unauthorized:
            fields.append(("WWW-Authenticate", #"Bearer realm="portinfo local-host reports""#))
        case .serverBusy, .queryTimedOut:
            fields.append(("Retry-After", String(Self.retryAfterSeconds)))
        default:
            break
        }
        if representation == .html {
            return Answer(status: kind.status, contentType: Answer.htmlContentType,
                          body: ErrorPage.rendered(status: kind.status, title: kind.title, detail: detail),
                          fields: fields, caching: .noStore, context: context)
        }
        return Answer(status: kind.status, contentType: "application/problem+json",
                      body: APIJSON.problem(type: kind.type, title: kind.title, status: kind.status, detail: detail,
                                            format: representation.jsonFormat),
                      fields: fields, caching: .noStore, context: context)
    }
}
