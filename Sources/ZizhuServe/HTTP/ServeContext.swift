import HTTPTypes
import Hummingbird

/// The request context: Hummingbird's core storage and the peer's address (login throttling and the audit log).
public struct ServeContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's IP address, or `local` when there is none (tests through the router).
    public let address: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        address = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    /// Uploads are streamed and capped by the server itself (ServeConfiguration.maxUploadBytes).
    public var maxUploadSize: Int { 64 * 1024 }
}

/// Security headers on every response: no framing, no referrer, nothing loaded from elsewhere, no script.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"
        if let name = HTTPField.Name("X-Frame-Options") { response.headers[name] = "DENY" }
        if let name = HTTPField.Name("X-Content-Type-Options") { response.headers[name] = "nosniff" }
        if let name = HTTPField.Name("Referrer-Policy") { response.headers[name] = "no-referrer" }
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
