import HTTPServer
import Logging

/// The API as the HTTP server's delegate: the server's own refusals are worded as the API words
/// every problem (FinishingStage), and every response the server sends, the API's and those
/// refusals, is observed here once: counted in the metrics under its route's label and, with an
/// access log, a line each.
struct APIServerDelegate: HTTPServerDelegate {
    let api: PortInfoAPI

    func refusal(status: Int, detail: String, retryAfterSeconds: Int?) -> HTTPResponse {
        api.finishing.refusal(status: status, detail: detail, retryAfterSeconds: retryAfterSeconds, generation: api.registry.generation)
    }

    func sent(_ response: HTTPResponse, for exchange: HTTPExchange, to client: String, after duration: Duration) {
        switch exchange {
        case let .answered(request):
            api.metrics.requestAnswered(route: RouteTable.route(for: request.path)?.route, method: request.method, status: response.status,
                                        duration: duration)
            api.configuration.accessLog?.info("""
                \(client) "\(request.method) \(request.target)" \(response.status) \(response.body.count)B \(duration.nanoseconds / 1000)µs
                """)
        case let .refused(status, detail):
            api.metrics.requestRefused(status: status)
            api.configuration.accessLog?.info("\(client) refused: \(status) \(detail)")
        }
    }

    func connectionOpened() { api.metrics.connectionOpened() }
    func connectionClosed() { api.metrics.connectionClosed() }
    func connectionRejected() { api.metrics.connectionRejected() }
}
