import HTTPServer
import PortInfoPages

/// The one place every answer passes through, once, on its way out: it chooses the CORS policy
/// (exactly one per answer: the registry's, or local-host reporting's), writes the caching fields
/// (Cache-Control; ETag and the 304 for registry answers), says `nosniff`, names in `Vary` the
/// request fields that decided the answer, and records the request metric under the route's label.
struct FinishingStage: Sendable {
    private let registryCORS: CORSPolicy
    /// Answers about the host: only the origins `--local-cors-origins` lists, never `*`.
    private let hostStateCORS: CORSPolicy
    /// `public, max-age=N` and `private, max-age=N`, made once.
    private let sharedCacheControl: String
    private let privateCacheControl: String
    private let metrics: PortInfoMetrics

    init(registryCORS: CORSPolicy, hostStateCORS: CORSPolicy, cacheMaxAge: Int, metrics: PortInfoMetrics) {
        self.registryCORS = registryCORS
        self.hostStateCORS = hostStateCORS
        sharedCacheControl = "public, max-age=\(cacheMaxAge)"
        privateCacheControl = "private, max-age=\(cacheMaxAge)"
        self.metrics = metrics
    }

    /// The CORS policy an answer in `audience` follows.
    func corsPolicy(for audience: Answer.Audience) -> CORSPolicy {
        audience == .hostState ? hostStateCORS : registryCORS
    }

    /// `answer` as the response to `request` on `route` (nil: no route), made from `generation`'s
    /// registry (its ETags), which began at `started`.
    func finish(_ answer: Answer, to request: HTTPRequest, route: Route.Template?, generation: RegistryGeneration,
                started: ContinuousClock.Instant) -> HTTPResponse {
        var status = answer.status
        var body = answer.body
        var fields: [(name: String, value: String)] = []
        fields.reserveCapacity(answer.fields.count + 6)
        switch answer.caching {
        case .registry, .registryDescription, .registryChanges, .asset:
            let (tag, sharedCaches) = switch answer.caching {
            case let .registryDescription(format):
                (format == .pretty ? generation.registryBodyTags.pretty : generation.registryBodyTags.compact, true)
            case let .registryChanges(format):
                (format == .pretty ? generation.changesTags.pretty : generation.changesTags.compact, true)
            case let .registry(representation, sharedCaches): (generation.tag(representation), sharedCaches)
            case let .asset(tag): (tag, true)
            case .noStore, .unstated: preconditionFailure("not a tagged answer")
            }
            if tag.isMatched(byIfNoneMatchIn: request.headers) {
                // A 304 carries what the 200 would have said of caching (RFC 9110, 15.4.5), not its Content-Type.
                status = 304
                body = []
            } else if let contentType = answer.contentType {
                fields.append(("Content-Type", contentType))
            }
            fields.append(("ETag", tag.value))
            fields.append(("Cache-Control", sharedCaches ? sharedCacheControl : privateCacheControl))
        case .noStore:
            if let contentType = answer.contentType { fields.append(("Content-Type", contentType)) }
            fields.append(("Cache-Control", "no-store"))
        case .unstated:
            if let contentType = answer.contentType { fields.append(("Content-Type", contentType)) }
        }
        // A browser takes every body for the type it is said to be: a problem or a search answer
        // holding `<script>` is never run as a page, nor a page as a script.
        fields.append(("X-Content-Type-Options", "nosniff"))
        if answer.contentType == Answer.htmlContentType {
            // Pages run no script and load nothing; their one stylesheet is allowed by its hash.
            fields.append(("Content-Security-Policy", PageStyle.contentSecurityPolicy))
        } else if answer.contentType == Answer.javaScriptContentType {
            fields.append(("Content-Security-Policy", Widget.contentSecurityPolicy))
        }
        fields += answer.fields
        let cors = corsPolicy(for: answer.context.audience)
        if let allowed = cors.allowOriginValue(for: request) { fields.append(("Access-Control-Allow-Origin", allowed)) }
        var consulted = answer.context.consulted
        if cors.readsOrigin { consulted.insert(.origin) }
        if let vary = consulted.varyValue { fields.append(("Vary", vary)) }
        metrics.requestAnswered(route: route, method: request.method, status: status, duration: ContinuousClock.now - started)
        return HTTPResponse(status: status, headers: HTTPHeaders(fields), body: body)
    }
}
