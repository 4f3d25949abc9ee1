internal import Dispatch
internal import Foundation
public import AdvocateCore

/// A case's state and new journal inputs written as the store keeps them, personal fields
/// sealed: the part of saving a case that needs no database, done ahead of the write.
public struct PreparedCase: Sendable {
    let state: String
    /// One per journal entry, in order.
    let inputs: [String]

    init(state: CaseState, entries: [JournalEntry], sealing: Sealing?) {
        self.state = StateJSON.encode(state, sealing: sealing)
        self.inputs = entries.map { StateJSON.encode($0.input, sealing: sealing) }
    }
}

extension StoreTransaction {
    /// Writes one case's state and journal inputs as stored.
    func prepare(state: CaseState, entries: [JournalEntry], personal: Set<String>) -> PreparedCase {
        PreparedCase(state: state, entries: entries, sealing: sealing(personal))
    }

    /// Prepares cases on other cores while this transaction goes on (a batch import).
    public func preparer() -> CasePreparer { CasePreparer(ring: ring) }
}

/// Prepares cases in the background, each as soon as it is final, and hands them back in any
/// order. In a batch import, sealing each personal value (a fresh nonce and an AES-GCM pass
/// apiece) is about half the work, and no case depends on another, so it runs beside the
/// workflow runs and the inserts instead of after them.
public final class CasePreparer: Sendable {
    private let ring: KeyRing?
    private let ready = NSCondition()
    nonisolated(unsafe) private var done: [Int: PreparedCase] = [:]

    init(ring: KeyRing?) {
        self.ring = ring
    }

    /// Starts preparing a case under `slot`.
    public func submit(_ slot: Int, state: CaseState, entries: [JournalEntry], personal: Set<String>) {
        let sealing = Sealing(ring: ring, fields: personal)
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            let prepared = PreparedCase(state: state, entries: entries, sealing: sealing)
            ready.lock()
            done[slot] = prepared
            ready.broadcast()
            ready.unlock()
        }
    }

    /// The case submitted under `slot`, once it is prepared.
    public func take(_ slot: Int) -> PreparedCase {
        ready.lock()
        defer { ready.unlock() }
        while true {
            if let prepared = done.removeValue(forKey: slot) { return prepared }
            ready.wait()
        }
    }
}
