/// The OpenAPI document the API implements: openapi.yaml, embedded at build time by the
/// EmbedOpenAPISpec plugin.
enum OpenAPISpec {
    static let text = embeddedOpenAPISpecFiles[0].text
}
