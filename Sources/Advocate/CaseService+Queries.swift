public import AdvocateCore
internal import AdvocateFormat
public import AdvocateStore
internal import Foundation
internal import Synchronization

extension CaseService {
    /// A case with the definition it runs on and its dated agenda lines.
    public struct CaseDetails: Sendable {
        public var stored: StoredCase
        public var definition: WorkflowDefinition
        public var agenda: [AgendaRow]
    }

    public func details(_ caseId: String, actor: Actor? = nil) throws(AdvocateError) -> CaseDetails {
        try transaction { tx, _ in try readDetails(caseId, actor: actor, tx: tx) }
    }

    /// Loads a case for `actor`, checks access and writes the audited read, in `tx`.
    private func readDetails(_ caseId: String, actor: Actor?, tx: StoreTransaction) throws -> CaseDetails {
        let stored = try load(caseId, tx: tx)
        try authorize(actor, caseId: caseId, assignedTo: stored.advocateId)
        try record(actor, "case.read", caseId: caseId, in: tx)
        let machine = try machine(hash: stored.definitionHash, tx: tx)
        return CaseDetails(stored: stored, definition: machine.definition, agenda: try tx.agenda(caseId: caseId))
    }

    /// Everything a case page shows, read in one transaction and logged as one read.
    public struct CaseView: Sendable {
        public var details: CaseDetails
        public var history: [JournalEntry]
        public var documents: [StoredDocument]
    }

    public func view(_ caseId: String, actor: Actor? = nil) throws(AdvocateError) -> CaseView {
        try transaction { tx, _ in
            CaseView(details: try readDetails(caseId, actor: actor, tx: tx), history: try tx.journal(caseId), documents: try tx.documents(caseId: caseId))
        }
    }

    /// A case view, or word that the caller's copy is still current.
    public enum CaseRead: Sendable {
        /// Nothing changed since the revision the caller kept.
        case kept(revision: Int64)
        case fresh(CaseView, revision: Int64)
    }

    /// Like ``view(_:actor:)``, for a caller that keeps what it built from a view: access is
    /// checked and the read is logged every time, and the case is read only when `isKept`
    /// says the caller has nothing built at the store's current revision.
    ///
    /// The revision may be up to `revisionMaxAge` old for changes made by another process (see
    /// ``currentRevision(maxAge:)``). Access granted at the current revision is not read again:
    /// an assignment or a role that changes moves the revision. A kept view's audit line goes in
    /// with others arriving at the same moment (``AuditBatch``); it returns once the line is
    /// stored.
    public func view(_ caseId: String, actor: Actor?, revisionMaxAge: Duration = .zero, isKept: (Int64) -> Bool) async throws(AdvocateError) -> CaseRead {
        let known = try currentRevision(maxAge: revisionMaxAge)
        let revision: Int64?
        if let actor, isKept(known), accessGrants.contains(actor, caseId: caseId, revision: known) {
            revision = known
        } else {
            revision = try reading { tx -> Int64? in
                let revision = try tx.caseRevision()
                guard isKept(revision) else { return nil }
                try authorize(actor, caseId: caseId, in: tx)
                if let actor { accessGrants.note(actor, caseId: caseId, revision: revision) }
                return revision
            }
        }
        guard let revision else {
            return try transaction { tx, _ in
                let revision = try tx.caseRevision()
                let view = CaseView(details: try readDetails(caseId, actor: actor, tx: tx), history: try tx.journal(caseId), documents: try tx.documents(caseId: caseId))
                if let actor { accessGrants.note(actor, caseId: caseId, revision: revision) }
                return .fresh(view, revision: revision)
            }
        }
        if let actor {
            do {
                try await auditBatch.append(actor.auditRecord("case.read", caseId: caseId))
            } catch {
                throw AdvocateError.from(error)
            }
        }
        return .kept(revision: revision)
    }

    /// The workflow a case runs on, for reading a form against its events before sending one.
    /// It holds nothing about the client, so reading it is not an audited read of the case.
    public func definition(ofCase caseId: String, actor: Actor? = nil) throws(AdvocateError) -> WorkflowDefinition {
        do {
            return try store.read { tx in
                try authorize(actor, caseId: caseId, in: tx)
                return try machine(hash: try tx.definitionHash(ofCase: caseId), tx: tx).definition
            }
        } catch {
            throw AdvocateError.from(error)
        }
    }

    /// Cases for a list, without decoding their states. An advocate sees their own only.
    public func caseSummaries(_ filter: StoreTransaction.SummaryFilter, actor: Actor? = nil) throws(AdvocateError) -> (cases: [CaseSummary], total: Int) {
        if actor?.account?.role == .admin { throw AdvocateError("admin accounts see no cases", kind: .forbidden) }
        var filter = filter
        if let account = actor?.account, account.role == .advocate { filter.advocateId = account.id }
        do {
            return try store.read { try $0.caseSummaries(filter) }
        } catch {
            throw AdvocateError.from(error)
        }
    }

    public func cases(workflow: String? = nil, includeClosed: Bool = true) throws(AdvocateError) -> [StoredCase] {
        try transaction { tx, _ in try tx.cases(.init(workflowId: workflow, includeClosed: includeClosed)) }
    }

    public func history(_ caseId: String, actor: Actor? = nil) throws(AdvocateError) -> [JournalEntry] {
        try transaction { tx, _ in
            try authorize(actor, caseId: caseId, in: tx)
            try record(actor, "case.history", caseId: caseId, in: tx)
            return try tx.journal(caseId)
        }
    }

    /// An agenda line with the workflow of its case.
    public struct AgendaEntry: Sendable {
        public var row: AgendaRow
        public var workflowId: String
        public var overdue: Bool
    }

    /// Items due from `from` for `days` days and, with `overdue`, every step still open from before
    /// today. Soonest first; on the same day, court dates come first.
    ///
    /// Overdue is measured from today, whatever window is asked for: a step due tomorrow is not
    /// overdue on an agenda that starts next week, and a court date is never overdue.
    ///
    /// An advocate sees the items of their own cases only; an admin sees none.
    public func agenda(from: CivilDate, days: Int, overdue: Bool, overdueOnly: Bool = false, actor: Actor? = nil) throws(AdvocateError) -> [AgendaEntry] {
        if actor?.account?.role == .admin { throw AdvocateError("admin accounts see no cases", kind: .forbidden) }
        let mine = actor?.account.flatMap { $0.role == .advocate ? $0.id : nil }
        let today = self.today()
        return try reading { tx in
            let through = from.adding(days: max(0, days - 1))
            let rows = try tx.agenda(
                from: overdueOnly ? nil : from, through: overdueOnly ? nil : through, overdueBefore: overdue || overdueOnly ? today : nil, advocateId: mine)
            // The store returns them in agenda order: by day, court dates first, then by time.
            return rows.map { row in
                AgendaEntry(row: row, workflowId: row.workflowId, overdue: row.kind != "court-date" && (row.due.map { $0.date < today } ?? false))
            }
        }
    }

    /// Today on the default calendar, for commands that need a date when none is given.
    public func today() -> CivilDate {
        // Every page asks; the calendar arithmetic is worth doing once a minute, not per request.
        let now = clock.now()
        let minute = Int64((now.timeIntervalSince1970 / 60).rounded(.down))
        if let known = lastDay.withLock({ $0 }), known.minute == minute { return known.day }
        let day = LocalClock.local(now, in: .current).date
        lastDay.withLock { $0 = (minute, day) }
        return day
    }

    /// Moves a case to another version of its workflow, refusing when a track's current state does not exist there.
    public func migrate(_ caseId: String, toVersion version: Int) throws(AdvocateError) -> StoredCase {
        try transaction { tx, _ in
            let stored = try tx.loadCase(caseId)
            guard let target = workspace.workflow(stored.workflowId, version: version) else {
                let versions = workspace.workflows.filter { $0.definition.id == stored.workflowId }.map { String($0.definition.version) }
                throw AdvocateError("workflow '\(stored.workflowId)' has no version \(version) in Workflows/ (versions: \(versions.joined(separator: ", ")))")
            }
            if target.definition.contentHash == stored.definitionHash { return stored }
            var missing: [String] = []
            for (track, state) in stored.state.tracks.sorted(by: { $0.key < $1.key }) {
                if target.definition.track(track)?.state(state) == nil { missing.append("\(track)/\(state)") }
            }
            guard missing.isEmpty else {
                let states = missing.count == 1 ? "state \(missing[0]) does" : "states \(missing.joined(separator: ", ")) do"
                throw AdvocateError("cannot migrate \(caseId) to version \(version): its current \(states) not exist there")
            }
            try tx.saveDefinition(hash: target.definition.contentHash, workflowId: target.definition.id, version: target.definition.version, source: target.source, path: target.path)
            let machine = workspace.machine(for: target.definition)
            var state = machine.carriedOver(stored.state)
            state.sequence += 1
            let entry = JournalEntry(sequence: state.sequence, input: .event(name: CaseService.migrationMarker, payload: ["from": .string(stored.definitionHash), "hash": .string(target.definition.contentHash)]), at: now(for: machine), recordedAt: StoreTransaction.timestamp())
            try tx.updateCase(
                caseId, expectedVersion: stored.version, state: state, wakeAt: wakeAt(state, machine), entries: [entry],
                agenda: CaseService.agendaRows(caseId, state, target.definition), personal: target.definition.personalFieldNames,
                definition: (target.definition.contentHash, version))
            return try tx.loadCase(caseId)
        }
    }

    /// The journal marks a migration with this event name, which no workflow may use (it is not a valid event name).
    static let migrationMarker = "@migrate"

    /// Rebuilds a case's state from its journal alone, switching definitions where it was migrated.
    public func replay(_ caseId: String) throws(AdvocateError) -> CaseState {
        try transaction { tx, _ in
            let stored = try tx.loadCase(caseId)
            let journal = try tx.journal(caseId)
            // The case was opened on the definition the first migration moved it from, or on its current one.
            var openingHash = stored.definitionHash
            for entry in journal {
                if case .event(CaseService.migrationMarker, let payload) = entry.input, case .string(let from)? = payload["from"] {
                    openingHash = from
                    break
                }
            }
            var machine = try machine(hash: openingHash, tx: tx)
            var state = CaseState()
            for entry in journal {
                if case .event(CaseService.migrationMarker, let payload) = entry.input, case .string(let hash)? = payload["hash"] {
                    machine = try self.machine(hash: hash, tx: tx)
                    state = machine.carriedOver(state)
                    state.sequence += 1
                    continue
                }
                _ = try machine.apply(entry.input, to: &state, now: entry.at)
            }
            return state
        }
    }
}

extension CaseService {
    /// The workflow each of these cases runs on; unknown ids are left out.
    public func workflowIds(of caseIds: Set<String>) throws(AdvocateError) -> [String: String] {
        do {
            return try store.read { tx in try tx.workflowIds(of: Array(caseIds)) }
        } catch {
            throw AdvocateError.from(error)
        }
    }
}
