internal import AdvocateStore
internal import Synchronization

/// Sessions lately read from the store, so that a browser's burst of requests does not read the
/// same row for each one (that read was most of the cost of a small page). An entry is trusted
/// for `freshness`. This process drops an entry at once when it changes the session or its
/// account (sign-out, an unlock, the page language, an admin's change); a change another process
/// makes (`advocate users disable` in a terminal) is seen within `freshness`.
final class SessionCache: Sendable {
    private struct Entry {
        var session: WebSession
        var readAt: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let freshness: Duration
    private let limit: Int

    init(freshness: Duration, limit: Int = 10_000) {
        self.freshness = freshness
        self.limit = limit
    }

    /// The session for a token hash, if it was read within `freshness`.
    func fresh(_ tokenHash: String) -> WebSession? {
        guard freshness > .zero else { return nil }
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[tokenHash], now - entry.readAt < freshness else { return nil }
            return entry.session
        }
    }

    func keep(_ session: WebSession, for tokenHash: String) {
        guard freshness > .zero else { return }
        let now = ContinuousClock.now
        entries.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[tokenHash] = Entry(session: session, readAt: now)
        }
    }

    func forget(_ tokenHash: String) {
        _ = entries.withLock { $0.removeValue(forKey: tokenHash) }
    }

    /// After a change to accounts: any session may belong to it.
    func forgetAll() {
        entries.withLock { $0.removeAll() }
    }
}
