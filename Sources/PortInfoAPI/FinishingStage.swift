import HTTPServer
import PortInfoPages

/// The one place every answer passes through, once, on its way out, the HTTP layer's own
/// refusals and the answers kept finished included: it chooses the CORS policy (exactly one per
/// answer: the registry's, or local-host reporting's), writes the caching fields (Cache-Control;
/// ETag and the 304 for registry answers), names in `Vary` the request fields that decided the
/// answer, and adds the security fields (the pages' CSP, `nosniff` on everything). An answer the
/// same for everyone asking the same way (`Answer.keptFinishedAs`) is finished once and kept, its
/// head encoded: asked again, this stage hands it out as it is.
struct FinishingStage: Sendable {
    private let registryCORS: CORSPolicy
    /// Answers about the host: only the origins `--local-cors-origins` lists, never `*`.
    private let hostStateCORS: CORSPolicy
    /// `public, max-age=N` and `private, max-age=N`, made once.
    private let sharedCacheControl: String
    private let privateCacheControl: String

    init(registryCORS: CORSPolicy, hostStateCORS: CORSPolicy, cacheMaxAge: Int) {
        self.registryCORS = registryCORS
        self.hostStateCORS = hostStateCORS
        sharedCacheControl = "public, max-age=\(cacheMaxAge)"
        privateCacheControl = "private, max-age=\(cacheMaxAge)"
    }

    /// The CORS policy an answer in `audience` follows.
    func corsPolicy(for audience: Answer.Audience) -> CORSPolicy {
        audience == .hostState ? hostStateCORS : registryCORS
    }

    /// `answer` as the response to `request`, made from `generation`'s registry (its ETags, the
    /// answers it keeps finished).
    func finish(_ answer: Answer, to request: HTTPRequest, generation: RegistryGeneration) -> HTTPResponse {
        guard let key = answer.keptFinishedAs else { return finish(answer, ifNoneMatch: request.headers, origin: request, generation: generation) }
        if let finished = generation.portAnswers.finished(for: key) { return finished }
        let response = finish(answer, ifNoneMatch: request.headers, origin: request, generation: generation).withEncodedHead()
        generation.portAnswers.keepFinished(response, for: key)
        return response
    }

    /// The response for what the HTTP layer refuses itself (it read no request whole): a problem of
    /// the API's, in JSON, with every field any other error has; CORS as for a request without Origin.
    func refusal(status: Int, detail: String, retryAfterSeconds: Int?, generation: RegistryGeneration) -> HTTPResponse {
        var answer = Problem(Problem.Kind(refusedWith: status), detail).answer(.json(.compact), route: nil, context: Answer.Context())
        answer.fields.removeAll { $0.name == "Retry-After" }
        if let retryAfterSeconds { answer.fields.append(("Retry-After", String(retryAfterSeconds))) }
        return finish(answer, ifNoneMatch: HTTPHeaders(), origin: nil, generation: generation)
    }

    /// The response: `headers` are the request's (If-None-Match), `origin` the request CORS reads.
    private func finish(_ answer: Answer, ifNoneMatch headers: HTTPHeaders, origin request: HTTPRequest?,
                        generation: RegistryGeneration) -> HTTPResponse {
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
            if tag.isMatched(byIfNoneMatchIn: headers) {
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
        if let allowed = cors.allowOriginValue(for: request?.headers["Origin"]) { fields.append(("Access-Control-Allow-Origin", allowed)) }
        var consulted = answer.context.consulted
        if cors.readsOrigin { consulted.insert(.origin) }
        if let vary = consulted.varyValue { fields.append(("Vary", vary)) }
        return HTTPResponse(status: status, headers: HTTPHeaders(fields), body: body)
    }
}
