internal import Advocate
internal import AdvocateStore
internal import Foundation
internal import Hummingbird

/// Signing in and out, and the page language.
struct SignInRoutes {
    let app: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/") { _, context in
            Response.redirect(to: context.session?.account.role == .admin ? "/workflows" : "/agenda", type: .found)
        }
        router.get("/login") { _, context in try signInPage(context: context) }
        router.post("/login") { request, context in try await signIn(request, context: context) }
        router.post("/logout") { _, context in try signOut(context: context) }
        router.post("/account/language") { _, context in try setLanguage(context: context) }
        // Browsers ask for this on their own; without an answer here it would be sent to sign in.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
    }

    /// The sign-in form, with the token for its double-submit cookie (the browser's own, or a new one).
    func signInPage(context: WebContext, status: HTTPResponse.Status = .ok, error: String? = nil, name: String = "") throws -> Response {
        if context.session != nil, error == nil { return Response.redirect(to: "/", type: .found) }
        var context = context
        // A browser that already holds a sign-in token keeps it: a background request that
        // lands here (a favicon, a second tab) must not replace the token an open form carries.
        let token = context.signInToken.flatMap { Tokens.isWellFormed($0) ? $0 : nil } ?? Tokens.random()
        context.signInToken = token
        let text = UIText.for(context.language)
        var response = try app.pages.render(
            "login", title: text["sign_in"], data: ["error": error ?? "", "hasError": error != nil, "name": name], context: context, status: status)
        response.setCookie(
            Cookie(name: SessionMiddleware.signInCookieName, value: token, path: "/login", secure: app.configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func signIn(_ request: Request, context: WebContext) async throws -> Response {
        let text = UIText.for(context.language)
        let name = (context.form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = context.form["password"] ?? ""
        guard await app.throttle.attempt(name: name, address: context.remoteAddress, now: app.now) else {
            return try signInPage(context: context, status: .tooManyRequests, error: text["too_many_attempts"], name: name)
        }
        guard !name.isEmpty, !password.isEmpty, let (token, account) = try await app.signIn(name: name, password: password) else {
            try app.service.record(Actor(account: nil, channel: .web), "sign-in.failed", detail: "from \(context.remoteAddress)")
            return try signInPage(context: context, status: .unauthorized, error: text["sign_in_failed"], name: name)
        }
        await app.throttle.succeeded(name: name, address: context.remoteAddress)
        try app.service.record(Actor(account: account, channel: .web), "sign-in")
        var response = Response.redirect(to: account.role == .admin ? "/workflows" : "/agenda", type: .normal)
        response.setCookie(app.sessionCookie(token))
        response.setCookie(Cookie(name: SessionMiddleware.signInCookieName, value: "", maxAge: 0, path: "/login", secure: app.configuration.secureCookies, httpOnly: true, sameSite: .strict))
        return response
    }

    func signOut(context: WebContext) throws -> Response {
        if let session = context.session {
            try app.signOut(session)
            try app.service.record(session.actor, "sign-out")
        }
        var response = Response.redirect(to: "/login", type: .normal)
        response.setCookie(app.sessionCookie("", maxAge: 0))
        return response
    }

    func setLanguage(context: WebContext) throws -> Response {
        guard let session = context.session else { return Response.redirect(to: "/login", type: .normal) }
        let language = UILanguage(rawValue: context.form["language"] ?? "") ?? .en
        try app.service.setLanguage(language.rawValue, actor: session.actor)
        // Only paths of our own go back into the redirect.
        let back = context.form["back"].flatMap { $0.hasPrefix("/") && !$0.hasPrefix("//") && !$0.contains("\\") ? $0 : nil } ?? "/"
        return Response.redirect(to: back, type: .normal)
    }
}

/// The style sheet and the small script, with a long cache: their names change when they do.
struct AssetRoutes {
    let app: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/assets/{name}") { _, context in
            let name = try context.parameters.require("name")
            guard let asset = Assets.shared[name] else { throw HTTPError(.notFound) }
            var response = Response(status: .ok, headers: [.contentType: asset.type], body: .init(byteBuffer: ByteBuffer(bytes: asset.bytes)))
            response.headers[.cacheControl] = "public, max-age=3600"
            return response
        }
    }
}

/// The files in `Assets/`, read once.
struct Assets: Sendable {
    struct Asset: Sendable {
        var bytes: [UInt8]
        var type: String
    }

    static let shared = Assets()
    private let files: [String: Asset]

    init() {
        var files: [String: Asset] = [:]
        if let folder = Bundle.module.resourceURL?.appendingPathComponent("Assets"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path)
        {
            for name in names {
                guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
                let type = name.hasSuffix(".css") ? "text/css; charset=utf-8" : name.hasSuffix(".js") ? "text/javascript; charset=utf-8" : "application/octet-stream"
                files[name] = Asset(bytes: [UInt8](data), type: type)
            }
        }
        self.files = files
    }

    subscript(name: String) -> Asset? { files[name] }
}
