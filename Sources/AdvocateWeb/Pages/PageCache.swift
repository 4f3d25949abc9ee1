internal import AdvocateCore
internal import NIOCore
internal import Synchronization

/// Whole pages kept until the cases change. The agenda reads hundreds of rows and writes a
/// large page, and advocates reload it far more often than any case changes; the store's case
/// revision (moved by a trigger on every change, from any process) says when it is stale.
/// A page is kept per session, since its form tokens are, and sent again without a copy.
final class PageCache: Sendable {
    struct Key: Hashable {
        var page: String
        /// The session's token hash.
        var session: String
        /// The role decides which cases a page may show, and an admin can change it.
        var role: String
        var language: String
        var day: CivilDate
        var revision: Int64
    }

    private let entries = Mutex<[Key: ByteBuffer]>([:])
    private let limit: Int

    init(limit: Int = 256) { self.limit = limit }

    /// The page for `key`, made by `make` when it is not kept (or no longer current).
    func page(_ key: Key, make: () throws -> ByteBuffer) rethrows -> ByteBuffer {
        if let kept = kept(key) { return kept }
        let made = try make()
        keep(made, for: key)
        return made
    }

    func kept(_ key: Key) -> ByteBuffer? { entries.withLock { $0[key] } }

    /// Drops a session's pages when it signs out, so they do not stay in memory.
    func forget(session: String) {
        entries.withLock { entries in entries = entries.filter { $0.key.session != session } }
    }

    func keep(_ page: ByteBuffer, for key: Key) {
        entries.withLock { entries in
            if entries.count >= limit {
                // Pages from older revisions are stale (only a request already under way could
                // still ask for one); if dropping them frees nothing, start over.
                entries = entries.filter { $0.key.revision >= key.revision }
                if entries.count >= limit { entries.removeAll() }
            }
            entries[key] = page
        }
    }
}
