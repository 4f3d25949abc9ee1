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
                /// When its latest input happened: a later one may not come before it.
                var lastAt: LocalDateTime?
            }
            // A journal says what happened, in the order it happened: a time given must be past,
            // and not before the case's previous input, or replaying it would not run as it did.
            func check(_ at: LocalDateTime?, now: LocalDateTime, after previous: LocalDateTime?) throws(AdvocateError) {
                guard let at else { return }
                if at > now { throw AdvocateError("'at' \(at.iso) has not happened yet (it is now \(now.iso)); an import records what has happened", key: "at") }
                if let previous, at < previous {
                    throw AdvocateError("'at' \(at.iso) is before the case's previous input (\(previous.iso)); give a case's inputs in the order they happened", key: "at")
                }
            }
            // Cases in the order the batch first names them; a name is a reference, `#newN` for an
            // unnamed open, or a stored case id.
            var cases: [Pending] = []
            var slots: [String: Int] = [:]
            var opened: [Int] = []
            var machines: [String: Machine] = [:]
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
            // Each item's case, by name. Once the run passes a case's last item, the case is final:
            // it is written out (sealed) on another core while the run goes on.
            var names: [String] = []
            var lastItem: [String: Int] = [:]
            var opens = 0
            for (index, item) in items.enumerated() {
                switch item {
                case .open(_, _, let reference, _):
                    names.append(reference ?? "#new\(opens)")
                    opens += 1
                case .event(let caseId, _, _, _), .done(let caseId, _, _): names.append(caseId)
                }
                lastItem[names[index]] = index
            }
            let preparer = tx.preparer()
            for (index, item) in items.enumerated() {
                let name = names[index]
                do {
                    switch item {
                    case .open(let workflow, let values, _, let at):
                        guard let loaded = workspace.workflow(workflow) else { throw AdvocateError("unknown workflow '\(workflow)'") }
                        let machine = machines[loaded.definition.contentHash] ?? workspace.machine(for: loaded.definition)
                        machines[loaded.definition.contentHash] = machine
                        var state = CaseState()
                        let batchTime = batchNow(machine)
                        try check(at, now: batchTime, after: nil)
                        let now = at ?? batchTime
                        let input = CaseInput.open(data: values)
                        _ = try machine.apply(input, to: &state, now: now)
                        guard slots[name] == nil else { throw AdvocateError("reference '\(name)' is used twice") }
                        slots[name] = cases.count
                        opened.append(cases.count)
                        cases.append(
                            Pending(
                                stored: nil, machine: machine, loaded: loaded, state: state, entries: [JournalEntry(sequence: 1, input: input, at: now, recordedAt: recordedAt)],
                                lastAt: now))
                    case .event(let caseId, _, _, let at), .done(let caseId, _, let at):
                        if slots[caseId] == nil {
                            let stored = try load(caseId, tx: tx)
                            slots[caseId] = cases.count
                            cases.append(
                                Pending(
                                    stored: stored, machine: try machine(hash: stored.definitionHash, tx: tx), loaded: nil, state: stored.state, entries: [],
                                    lastAt: try tx.lastInputTime(caseId)))
                        }
                        let slot = slots[caseId]!
                        let input: CaseInput
                        if case .event(_, let event, let payload, _) = item { input = .event(name: event, payload: payload) } else if case .done(_, let step, _) = item {
                            input = .completeStep(key: step)
                        } else { continue }
                        let machine = cases[slot].machine
                        let batchTime = batchNow(machine)
                        try check(at, now: batchTime, after: cases[slot].lastAt)
                        let now = at ?? batchTime
                        cases[slot].lastAt = max(now, cases[slot].lastAt ?? now)
                        // In place: a copy of the case would copy its growing journal at every input.
                        _ = try machine.apply(input, to: &cases[slot].state, now: now)
                        cases[slot].entries.append(JournalEntry(sequence: cases[slot].state.sequence, input: input, at: now, recordedAt: recordedAt))
                    }
                } catch {
                    let refused = AdvocateError.from(error)
                    throw AdvocateError("item \(index + 1): \(refused.description); nothing was imported", item: index, key: refused.key)
                }
                if lastItem[name] == index, let slot = slots[name] {
                    let done = cases[slot]
                    preparer.submit(slot, state: done.state, entries: done.entries, personal: done.machine.definition.personalFieldNames)
                }
            }
            var ids: [Int: String] = [:]
            var savedDefinitions: Set<String> = []
            for (slot, entry) in cases.enumerated() {
                let definition = entry.machine.definition
                let prepared = preparer.take(slot)
                if let stored = entry.stored {
                    try tx.updateCase(
                        stored.id, expectedVersion: stored.version, state: entry.state, wakeAt: wakeAt(entry.state, entry.machine), entries: entry.entries,
                        agenda: CaseService.agendaRows(stored.id, entry.state, definition), personal: definition.personalFieldNames, prepared: prepared)
                } else if let loaded = entry.loaded {
                    if savedDefinitions.insert(definition.contentHash).inserted {
                        try tx.saveDefinition(hash: definition.contentHash, workflowId: definition.id, version: definition.version, source: loaded.source, path: loaded.path)
                    }
                    let id = try tx.createCase(
                        workflowId: definition.id, workflowVersion: definition.version, definitionHash: definition.contentHash, first: entry.entries[0],
                        more: Array(entry.entries.dropFirst()), state: entry.state, wakeAt: wakeAt(entry.state, entry.machine),
                        agenda: { CaseService.agendaRows($0, entry.state, definition) }, personal: definition.personalFieldNames, prepared: prepared)
                    ids[slot] = id
                }
            }
            return opened.compactMap { ids[$0] }
        }
    }
}
