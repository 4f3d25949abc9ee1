public import Advocate
public import Hummingbird
internal import Foundation
internal import Logging

/// How the web app runs.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Marks the session cookie `Secure`. Set it whenever the app is reached over HTTPS (a TLS
    /// proxy in front of it); a cookie marked Secure is never sent over plain HTTP.
    public var secureCookies: Bool
    /// A session ends after this many seconds without a request.
    public var sessionIdleSeconds: Int64
    /// And after this many seconds in all, however active.
    public var sessionLifetimeSeconds: Int64
    /// Failed sign-ins allowed per account name, and per address, within `throttleWindowSeconds`.
    public var signInAttempts: Int
    public var throttleWindowSeconds: Int64
    /// How long an unlocked safe address stays visible.
    public var unlockSeconds: Int64
    /// How long what a page needs from the store before it can be served from memory (the
    /// session, and the store's revision) is trusted before it is read again. Changes this
    /// server makes apply at once; a change from another process (`advocate users disable`,
    /// `advocate case send`) applies within this time. 0 reads both on every request.
    public var storeRecheckMilliseconds: Int64

    public init(
        host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = false, sessionIdleSeconds: Int64 = 30 * 60, sessionLifetimeSeconds: Int64 = 12 * 3600,
        signInAttempts: Int = 5, throttleWindowSeconds: Int64 = 15 * 60, unlockSeconds: Int64 = 10 * 60, storeRecheckMilliseconds: Int64 = 1000
    ) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.sessionIdleSeconds = sessionIdleSeconds
        self.sessionLifetimeSeconds = sessionLifetimeSeconds
        self.signInAttempts = signInAttempts
        self.throttleWindowSeconds = throttleWindowSeconds
        self.unlockSeconds = unlockSeconds
        self.storeRecheckMilliseconds = storeRecheckMilliseconds
    }
}

/// Builds the web app over `service`: the server `advocate serve` runs, and the one tests drive.
/// `onRunning` gets the port listened on once it is (port 0 picks a free one).
public func buildApplication(
    service: CaseService, configuration: WebConfiguration = WebConfiguration(), onRunning: @escaping @Sendable (Int) -> Void = { _ in }
) throws -> some ApplicationProtocol {
    var logger = Logger(label: "advocate.web")
    logger.logLevel = .info
    return Application(
        router: try buildRouter(service: service, configuration: configuration),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Advocate"),
        onServerRunning: { channel in onRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Runs the web app until the process is told to stop (SIGINT or SIGTERM).
public func runWebApp(service: CaseService, configuration: WebConfiguration, onRunning: @escaping @Sendable (Int) -> Void = { _ in }) async throws {
    try await buildApplication(service: service, configuration: configuration, onRunning: onRunning).runService()
}

/// The routes, with their middleware: security headers on every response, then the session,
/// then the CSRF check on every request that changes something.
public func buildRouter(service: CaseService, configuration: WebConfiguration = WebConfiguration()) throws -> Router<WebContext> {
    let app = try WebServices(service: service, configuration: configuration)
    let router = Router(context: WebContext.self)
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ErrorPageMiddleware(app: app))
    router.add(middleware: SessionMiddleware(app: app))
    router.add(middleware: CSRFMiddleware())
    AssetRoutes(app: app).register(on: router)
    SignInRoutes(app: app).register(on: router)
    AgendaRoutes(app: app).register(on: router)
    CaseRoutes(app: app).register(on: router)
    DocumentRoutes(app: app).register(on: router)
    GlossaryRoutes(app: app).register(on: router)
    WorkflowRoutes(app: app).register(on: router)
    AuditRoutes(app: app).register(on: router)
    AccountRoutes(app: app).register(on: router)
    APIRoutes(app: app).register(on: router)
    return router
}
