internal import Foundation
internal import AdvocateStore

/// Writes audit lines from many requests in one transaction (group commit). A caller waits until
/// its line is committed, so a read that could not be logged is never answered; but a hundred
/// page views arriving together take one turn at the store's single writer instead of a hundred.
final class AuditBatch: @unchecked Sendable {
    private let store: CaseStore
    private let lock = NSLock()
    private var waiting: [(record: AuditRecord, done: CheckedContinuation<Void, any Error>)] = []
    private var writing = false

    init(store: CaseStore) {
        self.store = store
    }

    /// Returns once `record` is in the store; throws if the transaction holding it failed.
    func append(_ record: AuditRecord) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            lock.lock()
            waiting.append((record, done))
            let start = !writing
            writing = true
            lock.unlock()
            // The write blocks a thread, so it runs off the concurrency pool.
            if start { DispatchQueue.global().async { self.writeAll() } }
        }
    }

    /// Writes whatever is waiting, again and again, until nothing is: lines that arrive during a
    /// write go in the next one.
    private func writeAll() {
        while true {
            lock.lock()
            let batch = waiting
            waiting = []
            if batch.isEmpty {
                writing = false
                lock.unlock()
                return
            }
            lock.unlock()
            do {
                try store.write { tx in
                    for entry in batch { try tx.audit(entry.record) }
                }
                for entry in batch { entry.done.resume() }
            } catch {
                for entry in batch { entry.done.resume(throwing: error) }
            }
        }
    }
}
