internal import Advocate
internal import AdvocateStore
internal import Foundation
internal import Hummingbird
internal import HummingbirdBcrypt
internal import NIOPosix

/// What every route shares: the case service, the configuration, the page renderer and the
/// sign-in throttle.
final class WebServices: Sendable {
    let service: CaseService
    let configuration: WebConfiguration
    let pages: Pages
    let throttle: SignInThrottle
    let pageCache = PageCache()
    let sessionCache: SessionCache

    init(service: CaseService, configuration: WebConfiguration) throws {
        self.service = service
        self.configuration = configuration
        let sessionCache = SessionCache(freshness: .milliseconds(configuration.storeRecheckMilliseconds))
        self.sessionCache = sessionCache
        // Any session may belong to a changed account.
        service.onAccountChange { sessionCache.forgetAll() }
        self.pages = try Pages()
        self.throttle = SignInThrottle(limit: configuration.signInAttempts, window: configuration.throttleWindowSeconds)
    }

    /// Runs work that blocks for a long time (LibreOffice making a PDF) on a dispatch thread, so
    /// that the few threads serving requests stay free for everyone else meanwhile.
    func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { done in
            DispatchQueue.global(qos: .userInitiated).async { done.resume(with: Result { try work() }) }
        }
    }

    /// How old the store's revision may be when a page is served from memory.
    var revisionMaxAge: Duration { .milliseconds(configuration.storeRecheckMilliseconds) }

    /// Seconds since 1970, from the service's clock (tests move it).
    var now: Int64 { Int64(service.clock.now().timeIntervalSince1970.rounded(.down)) }

    // MARK: Sessions

    /// The live session for a cookie token; an idle or expired one is removed.
    func session(token: String) throws -> SignedIn? {
        let store = service.store
        let found: WebSession
        let hash: String
        if let kept = sessionCache.fresh(token: token) {
            (found, hash) = kept
        } else {
            hash = Tokens.hash(token)
            guard let read = try store.read({ try $0.session(tokenHash: hash) }) else { return nil }
            found = read
            sessionCache.keep(read, token: token, tokenHash: hash)
        }
        let now = now
        if now - found.lastSeen > configuration.sessionIdleSeconds || now - found.createdAt > configuration.sessionLifetimeSeconds {
            try store.write { try $0.deleteSession(tokenHash: hash) }
            forget(session: hash)
            return nil
        }
        // Writing on every request would serialise all reads behind the writer; a minute is fine-grained enough.
        if now - found.lastSeen >= 60 {
            try store.write { try $0.touchSession(tokenHash: hash, now: now) }
            sessionCache.forget(hash)
        }
        return SignedIn(account: found.account, tokenHash: hash, csrfToken: found.csrfToken, unlock: found.unlock)
    }

    /// The account behind an API token, as a session without CSRF (scripts send no cookies).
    func apiSession(token: String) throws -> SignedIn? {
        let hash = Tokens.hash(token)
        guard let account = try service.store.read({ try $0.account(apiTokenHash: hash) }) else { return nil }
        return SignedIn(account: account, tokenHash: hash, csrfToken: "", channel: .api)
    }

    /// Checks a name and password; on success stores a new session and returns its cookie token.
    func signIn(name: String, password: String) async throws -> (token: String, account: Account)? {
        let found = try service.store.read { try $0.account(named: name) }
        // Bcrypt runs off the request threads, and runs even for an unknown name, so that the
        // time taken does not tell which names exist.
        let hash = found?.passwordHash ?? Passwords.decoy
        let matches = try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
        guard matches, let account = found?.account, !account.disabled else { return nil }
        let token = Tokens.random()
        try service.store.write { tx in
            try tx.deleteSessions(idleBefore: now - configuration.sessionIdleSeconds, createdBefore: now - configuration.sessionLifetimeSeconds)
            try tx.createSession(tokenHash: Tokens.hash(token), accountId: account.id, csrfToken: Tokens.random(), now: now)
        }
        return (token, account)
    }

    func signOut(_ session: SignedIn) throws {
        try service.store.write { try $0.deleteSession(tokenHash: session.tokenHash) }
        forget(session: session.tokenHash)
    }

    /// Drops what this process keeps for a session (its kept pages, its cached row) after the
    /// session changed or ended.
    func forget(session tokenHash: String) {
        sessionCache.forget(tokenHash)
        pageCache.forget(session: tokenHash)
    }

    func sessionCookie(_ token: String, maxAge: Int? = nil) -> Cookie {
        Cookie(name: SessionMiddleware.cookieName, value: token, maxAge: maxAge, path: "/", secure: configuration.secureCookies, httpOnly: true, sameSite: .strict)
    }

    // MARK: Responses

    func jsonError(_ status: HTTPResponse.Status, _ message: String) -> Response {
        APIRoutes.json(["error": message], status: status)
    }
}

/// Password rules and hashing (bcrypt).
public enum Passwords {
    /// Work factor for new hashes. `ADVOCATE_BCRYPT_COST` lowers it for tests only.
    public static var cost: UInt8 {
        ProcessInfo.processInfo.environment["ADVOCATE_BCRYPT_COST"].flatMap(UInt8.init).map { min(max($0, 4), 31) } ?? 12
    }

    public enum Weakness: Sendable {
        case tooShort, containsName
    }

    /// Why a new password is refused, or nil when it is acceptable.
    public static func weakness(of password: String, name: String) -> Weakness? {
        if password.count < 12 { return .tooShort }
        if !name.isEmpty, password.lowercased().contains(name.lowercased()) { return .containsName }
        return nil
    }

    /// ``weakness(of:name:)`` in words, for the command line.
    public static func problem(with password: String, name: String) -> String? {
        switch weakness(of: password, name: name) {
        case nil: nil
        case .tooShort: "use at least 12 characters (a few unrelated words work well)"
        case .containsName: "do not include the account name in the password"
        }
    }

    public static func hash(_ password: String, cost: UInt8 = Passwords.cost) -> String { Bcrypt.hash(password, cost: cost) }

    /// A hash of a random password, checked against when a name is unknown.
    static let decoy = Bcrypt.hash(Tokens.random(), cost: cost)
}

/// Counts failed sign-in attempts per account name (`limit` in `window` seconds) and per address
/// (ten times that, since offices share one address behind a proxy).
/// An attempt is counted before its password is checked, so parallel guesses cannot slip past.
actor SignInThrottle {
    let limit: Int
    let window: Int64
    private var attempts: [String: [Int64]] = [:]

    init(limit: Int, window: Int64) {
        self.limit = limit
        self.window = window
    }

    /// Counts an attempt for `name` from `address`; false when either has used up its allowance.
    func attempt(name: String, address: String, now: Int64) -> Bool {
        let keys = [("name:" + name.lowercased(), limit), ("address:" + address, limit * 10)]
        for (key, allowed) in keys where (attempts[key]?.filter { now - $0 < window }.count ?? 0) >= allowed { return false }
        for (key, _) in keys { attempts[key] = (attempts[key] ?? []).filter { now - $0 < window } + [now] }
        if attempts.count > 10_000 { attempts = attempts.filter { $0.value.contains { now - $0 < window } } }
        return true
    }

    /// A successful sign-in clears the name's count, and takes back the attempt it added to the
    /// address's (others share the address, so their failures stay counted).
    func succeeded(name: String, address: String) {
        attempts["name:" + name.lowercased()] = nil
        if var times = attempts["address:" + address], !times.isEmpty {
            times.removeLast()
            attempts["address:" + address] = times
        }
    }
}

/// API tokens for scripts: made by `advocate users token`, kept only as a hash.
public enum APITokens {
    public static func make() -> String { "adv_" + Tokens.random() }
    public static func hash(_ token: String) -> String { Tokens.hash(token) }
}
