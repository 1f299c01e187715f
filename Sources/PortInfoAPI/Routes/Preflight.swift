import HTTPServer

extension PortInfoAPI {
    /// What browsers may send a route (CORS preflight), and `Allow` for anyone. Where host state
    /// may answer, a page may send the token; a `/ports` preflight follows the local-host policy
    /// for the origins it lists, as the answers with listeners will.
    func preflight(for route: Route, request: HTTPRequest, context: Answer.Context) -> Answer {
        var context = context
        var sendsToken = false
        if localHost != nil {
            switch route.hostState {
            case .beside:
                sendsToken = true
                context.consulted.insert(.origin)
                if let origin = request.headers["Origin"], finishing.corsPolicy(for: .hostState).lists(origin) {
                    context.audience = .hostState
                }
            case .only: sendsToken = true
            case .none: break
            }
        }
        return Answer(status: 204, fields: [
            ("Access-Control-Allow-Methods", route.allowedMethods),
            ("Access-Control-Allow-Headers", sendsToken ? CORSPolicy.allowedRequestHeadersWithToken : CORSPolicy.allowedRequestHeaders),
            ("Access-Control-Max-Age", String(CORSPolicy.preflightMaxAgeSeconds)),
            ("Allow", route.allowedMethods),
        ], caching: .unstated, context: context)
    }

    /// `OPTIONS *`: the server's own options (RFC 9110, 9.3.7), what every route allows.
    func serverOptions() -> Answer {
        Answer(status: 200, fields: [("Allow", RouteTable.allowedMethods)], caching: .unstated, context: Answer.Context())
    }
}
