internal import Foundation
public import AdvocateCore
internal import AdvocateFormat
internal import AdvocateStore

extension CaseService {
    /// One line of a batch: open a case, send an event, or mark a step done.
    public enum BatchItem: Sendable {
        /// Opens a case; `reference` names it for later items in the same batch.
        case open(workflow: String, values: [String: Value], reference: String?, at: LocalDateTime?)
        /// Sends an event to a stored case id or to a reference opened earlier in the batch.
        case event(caseId: String, name: String, payload: [String: Value], at: LocalDateTime?)
        case done(caseId: String, step: String, at: LocalDateTime?)
    }

    /// Applies many inputs in one transaction: all of them are stored, or, at the first refused one, none.
    /// Each case is read and written once, however many of its inputs the batch holds. An import
    /// records history: it does not fill the forms that `fill:` effects name.
    ///
    /// - Returns: the ids of the cases opened, in order.
    public func importBatch(_ items: [BatchItem]) throws(AdvocateError) -> [String] {
        try transaction { tx, _ in
            struct Pending {
                var stored: StoredCase?
                var machine: Machine
                var loaded: Workspace.LoadedWorkflow?
                var state: CaseState
                var entries: [JournalEntry]
            }
            var pending: [String: Pending] = [:]
            var order: [String] = []
            var opened: [String] = []
            let recordedAt = StoreTransaction.timestamp()
            // The whole batch happens at one time, read once per time zone.
            var nowByZone: [String: LocalDateTime] = [:]
            func batchNow(_ machine: Machine) -> LocalDateTime {
                let zone = machine.calendar.timeZone ?? ""
                if let now = nowByZone[zone] { return now }
                let now = self.now(for: machine)
                nowByZone[zone] = now
                return now
            }
            for (index, item) in items.enumerated() {
                do {
                    switch item {
                    case .open(let workflow, let values, let reference, let at):
                        guard let loaded = workspace.workflow(workflow) else { throw AdvocateError("unknown workflow '\(workflow)'") }
                        let machine = workspace.machine(for: loaded.definition)
                        var state = CaseState()
                        let now = at ?? batchNow(machine)
                        let input = CaseInput.open(data: values)
                        _ = try machine.apply(input, to: &state, now: now)
                        let key = "#new\(opened.count)"
                        if let reference { guard pending[reference] == nil else { throw AdvocateError("reference '\(reference)' is used twice") } }
                        let name = reference ?? key
                        pending[name] = Pending(stored: nil, machine: machine, loaded: loaded, state: state, entries: [JournalEntry(sequence: 1, input: input, at: now, recordedAt: recordedAt)])
                        order.append(name)
                        opened.append(name)
                    case .event(let caseId, _, _, let at), .done(let caseId, _, let at):
                        if pending[caseId] == nil {
                            let stored = try load(caseId, tx: tx)
                            pending[caseId] = Pending(stored: stored, machine: try machine(hash: stored.definitionHash, tx: tx), loaded: nil, state: stored.state, entries: [])
                            order.append(caseId)
                        }
                        var entry = pending[caseId]!
                        let input: CaseInput
                        if case .event(_, let name, let payload, _) = item { input = .event(name: name, payload: payload) } else if case .done(_, let step, _) = item {
                            input = .completeStep(key: step)
                        } else { continue }
                        let now = at ?? batchNow(entry.machine)
                        _ = try entry.machine.apply(input, to: &entry.state, now: now)
                        entry.entries.append(JournalEntry(sequence: entry.state.sequence, input: input, at: now, recordedAt: recordedAt))
                        pending[caseId] = entry
                    }
                } catch {
                    throw AdvocateError("item \(index + 1): \(AdvocateError.from(error).description); nothing was imported")
                }
            }
            var ids: [String: String] = [:]
            var savedDefinitions: Set<String> = []
            for name in order {
                guard let entry = pending[name] else { continue }
                let definition = entry.machine.definition
                if let stored = entry.stored {
                    try tx.updateCase(
                        stored.id, expectedVersion: stored.version, state: entry.state, wakeAt: wakeAt(entry.state, entry.machine), entries: entry.entries,
                        agenda: CaseService.agendaRows(stored.id, entry.state, definition), personal: definition.personalFieldNames)
                } else if let loaded = entry.loaded {
                    if savedDefinitions.insert(definition.contentHash).inserted {
                        try tx.saveDefinition(hash: definition.contentHash, workflowId: definition.id, version: definition.version, source: loaded.source, path: loaded.path)
                    }
                    let id = try tx.createCase(
                        workflowId: definition.id, workflowVersion: definition.version, definitionHash: definition.contentHash, first: entry.entries[0],
                        more: Array(entry.entries.dropFirst()), state: entry.state, wakeAt: wakeAt(entry.state, entry.machine), agenda: [],
                        personal: definition.personalFieldNames)
                    try tx.replaceAgenda(caseId: id, CaseService.agendaRows(id, entry.state, definition))
                    ids[name] = id
                }
            }
            return opened.compactMap { ids[$0] }
        }
    }
}
