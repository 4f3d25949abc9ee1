internal import Foundation
internal import AdvocateStore

/// Which accounts were allowed to see which cases at one revision of the store. Access depends
/// only on the case's assignment and the account's role, and both move the revision, so a check
/// made at the current revision still holds and need not read the store again.
final class AccessGrants: @unchecked Sendable {
    private struct Grant: Hashable {
        var accountId: String
        var role: AccountRole
        var caseId: String
    }

    private let lock = NSLock()
    private var revision: Int64 = -1
    private var granted: Set<Grant> = []
    private static let limit = 50_000

    func note(_ actor: Actor, caseId: String, revision: Int64) {
        guard let account = actor.account else { return }
        lock.lock()
        defer { lock.unlock() }
        if revision != self.revision || granted.count >= Self.limit {
            self.revision = revision
            granted = []
        }
        granted.insert(Grant(accountId: account.id, role: account.role, caseId: caseId))
    }

    func contains(_ actor: Actor, caseId: String, revision: Int64) -> Bool {
        guard let account = actor.account else { return false }
        lock.lock()
        defer { lock.unlock() }
        return revision == self.revision && granted.contains(Grant(accountId: account.id, role: account.role, caseId: caseId))
    }
}

extension CaseService {
    /// The store's revision (see ``caseRevision()``), without opening the store when this
    /// process read it less than `maxAge` ago and no timer has come due since. This process's
    /// own changes are seen at once; another process's within `maxAge`.
    public func currentRevision(maxAge: Duration) throws(AdvocateError) -> Int64 {
        let pulse: StorePulse
        do {
            pulse = try store.pulse(maxAge: maxAge)
        } catch {
            throw AdvocateError.from(error)
        }
        let now = Int64(clock.now().timeIntervalSince1970.rounded(.down))
        if let wake = pulse.nextWake, wake <= now { return try caseRevision() }
        return pulse.revision
    }
}
