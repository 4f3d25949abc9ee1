internal import GRDB
internal import Synchronization

/// What a page needs to know of the whole store before it reuses something it built: the
/// revision (see ``StoreTransaction/caseRevision()``) and when the earliest timer comes due.
public struct StorePulse: Sendable, Equatable {
    public var revision: Int64
    /// Seconds since 1970, UTC; nil when no case waits on a timer.
    public var nextWake: Int64?
}

/// The last pulse this process read, and a count of this process's writes that moved the
/// revision, so that a read racing such a write is never kept.
struct PulseMemory {
    var last: (pulse: StorePulse, readAt: ContinuousClock.Instant)?
    var moves: UInt64 = 0
}

extension CaseStore {
    /// The store's pulse, as read less than `maxAge` ago if this process has not moved the
    /// revision since; otherwise read now.
    ///
    /// A change made by this process is seen at once. A change made by another process (a
    /// command in a terminal) is seen within `maxAge`; zero reads every time.
    public func pulse(maxAge: Duration) throws -> StorePulse {
        let (known, moves) = pulseMemory.withLock { ($0.last, $0.moves) }
        if let known, maxAge > .zero, known.readAt.duration(to: .now) < maxAge { return known.pulse }
        let pulse = try read { tx in StorePulse(revision: try tx.caseRevision(), nextWake: try tx.nextWake()) }
        pulseMemory.withLock { memory in
            if memory.moves == moves { memory.last = (pulse, .now) }
        }
        return pulse
    }

    /// Called after each commit of this process with the revision it committed.
    func noteCommitted(revision: Int64) {
        pulseMemory.withLock { memory in
            guard memory.last?.pulse.revision != revision else { return }
            memory.last = nil
            memory.moves &+= 1
        }
    }

    /// Forgets the pulse after a write that went around ``write(_:)``.
    func forgetPulse() {
        pulseMemory.withLock { memory in
            memory.last = nil
            memory.moves &+= 1
        }
    }
}

extension StoreTransaction {
    /// When the earliest timer or follow-up comes due, in seconds since 1970, UTC.
    public func nextWake() throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: #"SELECT MIN(next_wake) FROM "case" WHERE next_wake IS NOT NULL"#))
    }
}
