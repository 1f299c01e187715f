import HTTPServer

/// What every registry answer (`/ports`, `/services`, `/search`, `/registry`) in one format carries
/// beside its body: one ETag, one Cache-Control, the CORS fields. Built once, so that an answer
/// costs no header building, and a 304 is ready-made.
struct RegistryAnswerHeaders: Sendable {
    let entityTag: EntityTag
    private let headers: HTTPHeaders
    private let notModified: HTTPResponse

    init(entityTag: EntityTag, cacheMaxAge: Int, cors: CORSPolicy) {
        self.entityTag = entityTag
        // A 304 carries what the 200 would have said of caching (RFC 9110, 15.4.5), not its Content-Type.
        var caching = HTTPHeaders([("ETag", entityTag.value), ("Cache-Control", "public, max-age=\(cacheMaxAge)")])
        for field in cors.fixedHeaders { caching.add(field.name, field.value) }
        notModified = HTTPResponse(status: 304, headers: caching)
        headers = HTTPHeaders([("Content-Type", "application/json")] + caching.fields)
    }

    /// A 200 with `body`, or the 304 that stands for it when the request's If-None-Match names its tag.
    func response(body: [UInt8], to request: HTTPRequest) -> HTTPResponse {
        entityTag.isMatched(byIfNoneMatchIn: request.headers) ? notModified : HTTPResponse(status: 200, headers: headers, body: body)
    }
}
