internal import AdvocateStore
internal import Synchronization

/// Sessions lately read from the store, so that a browser's burst of requests does not read the
/// same row for each one (that read was most of the cost of a small page). An entry is trusted
/// for `freshness`. This process drops an entry at once when it changes the session or its
/// account (sign-out, an unlock, the page language, an admin's change); a change another process
/// makes (`advocate users disable` in a terminal) is seen within `freshness`.
///
/// Entries are found by the cookie's token, so a kept session costs no hashing; they are
/// forgotten by the token's hash, which is what the rest of the app knows a session by.
final class SessionCache: Sendable {
    private struct Entry {
        var session: WebSession
        var tokenHash: String
        var readAt: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let freshness: Duration
    private let limit: Int

    init(freshness: Duration, limit: Int = 10_000) {
        self.freshness = freshness
        self.limit = limit
    }

    /// The session for a cookie's token, and the token's hash, if it was read within `freshness`.
    func fresh(token: String) -> (session: WebSession, tokenHash: String)? {
        guard freshness > .zero else { return nil }
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[token], now - entry.readAt < freshness else { return nil }
            return (entry.session, entry.tokenHash)
        }
    }

    func keep(_ session: WebSession, token: String, tokenHash: String) {
        guard freshness > .zero else { return }
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[token] = Entry(session: session, tokenHash: tokenHash, readAt: now)
        }
    }

    func forget(_ tokenHash: String) {
        entries.withLock { entries in
            for (token, entry) in entries where entry.tokenHash == tokenHash { entries.removeValue(forKey: token) }
        }
    }

    /// After a change to accounts: any session may belong to it.
    func forgetAll() {
        entries.withLock { $0.removeAll() }
    }
}
