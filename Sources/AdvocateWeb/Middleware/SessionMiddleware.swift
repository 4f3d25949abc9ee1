internal import Advocate
internal import AdvocateStore
internal import Crypto
internal import Foundation
internal import HTTPTypes
internal import Hummingbird

/// Finds the signed-in session from its cookie, ends it when idle or too old, and sends
/// signed-out requests to the sign-in page (pages) or answers 401 (the API).
struct SessionMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let app: WebServices

    static let cookieName = "advocate_session"
    static let signInCookieName = "advocate_signin"

    /// Paths anyone may reach.
    static func isPublic(_ path: String) -> Bool {
        path == "/login" || path.hasPrefix("/assets/") || path == "/api/openapi.yaml" || path == "/favicon.ico"
    }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookie(named: SessionMiddleware.cookieName), !token.isEmpty {
            context.session = try app.session(token: token)
        }
        if context.session == nil, request.uri.path.hasPrefix("/api/"), let bearer = request.headers[.authorization], bearer.hasPrefix("Bearer ") {
            context.session = try app.apiSession(token: String(bearer.dropFirst(7)))
        }
        context.signInToken = request.cookie(named: SessionMiddleware.signInCookieName)
        guard context.session != nil || SessionMiddleware.isPublic(request.uri.path) else {
            if request.uri.path.hasPrefix("/api/") {
                return app.jsonError(.unauthorized, "sign in first: send 'Authorization: Bearer TOKEN'")
            }
            if request.method == .get || request.method == .head {
                return Response.redirect(to: "/login", type: .found)
            }
            return try app.pages.errorPage(.unauthorized, message: UIText.for(.en)["sign_in_first"], context: context)
        }
        do {
            return try await next(request, context)
        } catch let error as AdvocateError where error.kind == .forbidden {
            // A supervisor should see who tried to reach what is not theirs. The path names the
            // case; the query is left out (it may hold what someone typed).
            if let session = context.session {
                try? app.service.record(
                    session.actor, "access.refused", caseId: SessionMiddleware.caseId(in: request.uri.path),
                    detail: "\(request.method.rawValue) \(request.uri.path.prefix(200))")
            }
            throw error
        }
    }

    /// The case a path is about (`/cases/C-00012/…`, `/api/cases/C-00012`), if any.
    static func caseId(in path: String) -> String? {
        let parts = path.split(separator: "/")
        guard let index = parts.firstIndex(of: "cases"), index + 1 < parts.count, parts[index + 1].hasPrefix("C-") else { return nil }
        return String(parts[index + 1])
    }
}

extension Request {
    /// One cookie's value. Every request asks for two, and `cookies` parses every cookie with its
    /// attributes to answer each (a tenth of a small page's time, measured).
    func cookie(named name: String) -> String? {
        for field in headers[values: .cookie] {
            for pair in field.split(separator: ";") {
                let pair = pair.drop { $0 == " " }
                guard pair.hasPrefix(name), pair.dropFirst(name.count).first == "=" else { continue }
                var value = pair.dropFirst(name.count + 1)
                if value.count >= 2, value.first == "\"", value.last == "\"" { value = value.dropFirst().dropLast() }
                return String(value)
            }
        }
        return nil
    }
}

/// Checks the CSRF token of every request that changes something, and reads the form.
///
/// Signed in, the token is the session's; on the sign-in form it is a random value also set as a
/// cookie (a double submit), so that another site cannot sign a browser into an account.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = WebContext

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        var request = request
        var context = context
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: context.maxUploadSize)
        } catch {
            // Collecting stops at the limit; short of a dropped connection, that is why it failed.
            throw HTTPError(.contentTooLarge, message: UIText.for(context.language)["too_large"])
        }
        if request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            context.form = FormFields(urlEncoded: Substring(String(buffer: body)))
        }
        // Scripts with an API token send no cookie, so a forged cross-site request cannot carry it.
        if request.uri.path.hasPrefix("/api/"), request.headers[.cookie] == nil { return try await next(request, context) }
        let expected = context.session?.csrfToken ?? context.signInToken
        let given = context.form["_csrf"] ?? request.headers[HTTPField.Name("X-CSRF-Token")!]
        guard let expected, let given, CSRFMiddleware.same(expected, given) else {
            throw HTTPError(.forbidden, message: "This form has expired or did not come from Advocate. Go back, reload the page and try again.")
        }
        return try await next(request, context)
    }

    /// Compares without stopping at the first difference.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }
}

enum Tokens {
    /// 32 random bytes, URL-safe base64 without padding: a session cookie, a CSRF token, an API token.
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Whether `token` looks like one ``random()`` makes (so a cookie cannot smuggle in anything else).
    static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == 43 && token.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || ($0 < 128 && Character(Unicode.Scalar($0)).isLetter) || ($0 >= 48 && $0 <= 57) }
    }

    /// What the store keeps instead of a token: its SHA-256, in hex.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexadecimal
    }
}
