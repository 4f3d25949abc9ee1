internal import HTTPTypes
internal import Hummingbird

/// Headers every response carries. Pages load only our own script and style sheet, cannot be
/// framed, send no referrer, and are not cached: the office computer may be shared.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Errors are pages by now (ErrorPageMiddleware runs inside this one).
        var response = try await next(request, context)
        response.headers.append(contentsOf: SecurityHeaders.fields)
        if response.headers[.cacheControl] == nil { response.headers.append(SecurityHeaders.noStore) }
        return response
    }
}

/// The fields, made once: naming and checking them for every response cost more than sending them.
enum SecurityHeaders {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'"

    /// Always sent. (A second policy from a route could only narrow what a browser allows.)
    static let fields: [HTTPField] = [
        HTTPField(name: .contentSecurityPolicy, value: contentSecurityPolicy),
        HTTPField(name: .xContentTypeOptions, value: "nosniff"),
        HTTPField(name: HTTPField.Name("Referrer-Policy")!, value: "no-referrer"),
        HTTPField(name: HTTPField.Name("X-Frame-Options")!, value: "DENY"),
        HTTPField(name: HTTPField.Name("Cross-Origin-Opener-Policy")!, value: "same-origin"),
        HTTPField(name: HTTPField.Name("Permissions-Policy")!, value: "camera=(), microphone=(), geolocation=()"),
    ]

    /// Unless the route says otherwise (the style sheet and script are cached).
    static let noStore = HTTPField(name: .cacheControl, value: "no-store")
}
