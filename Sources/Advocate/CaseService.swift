internal import Foundation
internal import Synchronization
public import AdvocateCore
public import AdvocateFormat
public import AdvocateStore

/// The interpreter around the pure core: it reads the clock, loads each case's pinned workflow,
/// applies inputs through ``Machine/apply(_:to:now:)``, and stores the journal entry, the new
/// state and the agenda projection in one transaction.
///
/// Every operation first fires the timers that have come due, inside the same transaction, so a
/// failed command leaves the store exactly as it was.
public final class CaseService: @unchecked Sendable {
    public let workspace: Workspace
    public let store: CaseStore
    public let clock: LocalClock
    /// The templates that `fill:` effects fill.
    public let forms: FormLibrary
    private let lock = NSLock()
    private var machines: [String: Machine] = [:]
    /// Case states already decoded, by case id, with the version they belong to.
    private var states: [String: (version: Int, state: CaseState)] = [:]
    private static let cachedStates = 10_000
    let auditBatch: AuditBatch
    let accountChanges = AccountChanges()
    let accessGrants = AccessGrants()
    let lastDay = Mutex<(minute: Int64, day: CivilDate)?>(nil)

    public init(workspace: Workspace, store: CaseStore, clock: LocalClock = .system) {
        self.workspace = workspace
        self.store = store
        self.clock = clock
        self.forms = FormLibrary(workspace: workspace)
        self.auditBatch = AuditBatch(store: store)
    }

    /// A case that timers moved: what they did, and paperwork they asked for that could not be filled.
    public typealias TickedCase = (caseId: String, effects: [Effect], documentProblems: [String])

    /// The result of a change: the case, its new state and what the transition asked for.
    public struct Outcome: Sendable {
        public var caseId: String
        public var state: CaseState
        public var effects: [Effect]
        /// Effects of timers that fired before the command ran, by case.
        public var ticked: [TickedCase]
        /// Documents the effects filled and stored with the case.
        public var documents: [StoredDocument] = []
        /// Documents the effects asked for that could not be filled, and why.
        public var documentProblems: [String] = []
    }

    // MARK: Transactions

    /// Runs `body` after firing due timers, all in one transaction.
    func transaction<T>(_ body: (StoreTransaction, inout [TickedCase]) throws -> T) throws(AdvocateError) -> T {
        do {
            return try store.write { tx in
                var ticked: [TickedCase] = []
                try tickDueCases(tx, into: &ticked)
                return try body(tx, &ticked)
            }
        } catch {
            throw AdvocateError.from(error)
        }
    }

    /// Runs `body` on a snapshot, after writing any timer that has come due. A read takes no
    /// write lock, so page views run side by side instead of queueing behind the writer. In the
    /// common case, with no timer due, one snapshot answers both; otherwise the timers are
    /// written and `body` runs again on a fresh snapshot.
    func reading<T>(_ body: (StoreTransaction) throws -> T) throws(AdvocateError) -> T {
        do {
            let (due, value) = try store.read { tx in (try tx.hasCasesToWake(at: clock.now()), try body(tx)) }
            guard due else { return value }
            try transaction { _, _ in }
            return try store.read(body)
        } catch {
            throw AdvocateError.from(error)
        }
    }

    /// A number that moves whenever a case, a document or an account changes (due timers are
    /// written first): what was built from the store at one revision stays true until it moves.
    public func caseRevision() throws(AdvocateError) -> Int64 {
        try reading { try $0.caseRevision() }
    }

    // MARK: Machines

    /// The machine a stored case runs on: its pinned definition, never the file as it is now.
    func machine(hash: String, tx: StoreTransaction) throws -> Machine {
        lock.lock()
        if let machine = machines[hash] {
            lock.unlock()
            return machine
        }
        lock.unlock()
        guard let stored = try tx.definition(hash: hash) else {
            throw StoreError(.unknownDefinition, "the workflow definition this case runs on is missing from the store")
        }
        let definition = try WorkflowLoader.loadPinned(source: stored.source, path: stored.path)
        let machine = workspace.machine(for: definition)
        lock.lock()
        machines[hash] = machine
        lock.unlock()
        return machine
    }

    /// Loads a case, reusing the state decoded last time when no one has changed the case since.
    func load(_ id: String, tx: StoreTransaction) throws -> StoredCase {
        try tx.loadCase(id) { version in
            lock.withLock { states[id].flatMap { $0.version == version ? $0.state : nil } }
        }
    }

    func remember(_ id: String, version: Int, state: CaseState) {
        lock.withLock {
            if states.count >= CaseService.cachedStates { states.removeAll(keepingCapacity: true) }
            states[id] = (version, state)
        }
    }

    /// The instant of a state's next timer or follow-up, in its court's time zone.
    func wakeAt(_ state: CaseState, _ machine: Machine) -> Int64? {
        state.nextWake.map { wake in
            let zone = machine.calendar.timeZone.flatMap(TimeZone.init(identifier:)) ?? .current
            return Int64(LocalClock.instant(wake, in: zone).timeIntervalSince1970.rounded(.down))
        }
    }

    func now(for machine: Machine) -> LocalDateTime {
        clock.localNow(timeZone: machine.calendar.timeZone)
    }

    // MARK: Opening and sending

    /// Opens a case on the newest version of `workflow`, with field values given as text.
    public func open(workflow id: String, fields: [String: String], actor: Actor? = nil) throws(AdvocateError) -> Outcome {
        try open(workflow: id, raw: fields, actor: actor) { text, type, field throws(AdvocateError) in try FieldInput.parse(text, as: type, field: field) }
    }

    /// Opens a case with field values decoded from JSON (the web API): numbers, booleans, text, lists.
    public func open(workflow id: String, json: [String: Any], actor: Actor? = nil) throws(AdvocateError) -> Outcome {
        try open(workflow: id, raw: json, actor: actor) { value, type, field throws(AdvocateError) in try FieldInput.fromJSON(value, as: type, field: field) }
    }

    private func open<Raw>(
        workflow id: String, raw fields: [String: Raw], actor: Actor?, parse: (Raw, ValueType, String) throws(AdvocateError) -> Value
    ) throws(AdvocateError) -> Outcome {
        guard let loaded = workspace.workflow(id) else {
            let broken = workspace.diagnostics.filter { $0.severity == .error && $0.file.hasSuffix("/\(id).yaml") }
            if !broken.isEmpty {
                throw AdvocateError("workflow '\(id)' has errors; fix them first (advocate workflows check)", diagnostics: broken)
            }
            throw AdvocateError("unknown workflow '\(id)'\(suggestion(id, workspace.latestWorkflows.map(\.definition.id))); 'advocate workflows list' shows them", kind: .notFound)
        }
        let definition = loaded.definition
        var values: [String: Value] = [:]
        for (name, raw) in fields {
            guard let type = definition.fieldTypes[name], !name.hasPrefix("case.") else {
                throw AdvocateError("workflow '\(id)' has no field '\(name)'\(suggestion(name, definition.fields.map(\.name)))")
            }
            values[name] = try parse(raw, type, name)
        }
        return try open(loaded, values: values, actor: actor)
    }

    /// Opens a case with typed values. An advocate who opens a case is assigned to it.
    public func open(_ loaded: Workspace.LoadedWorkflow, values: [String: Value], actor: Actor? = nil) throws(AdvocateError) -> Outcome {
        if actor?.account?.role == .admin { throw AdvocateError("admin accounts manage accounts and workflows; they do not open cases", kind: .forbidden) }
        let machine = workspace.machine(for: loaded.definition)
        let now = now(for: machine)
        let advocateId = actor?.account.flatMap { $0.role == .advocate ? $0.id : nil }
        return try transaction { tx, ticked in
            var state = CaseState()
            let input = CaseInput.open(data: values)
            let effects = try machine.apply(input, to: &state, now: now)
            try tx.saveDefinition(hash: loaded.definition.contentHash, workflowId: loaded.definition.id, version: loaded.definition.version, source: loaded.source, path: loaded.path)
            let entry = JournalEntry(sequence: 1, input: input, at: now, recordedAt: StoreTransaction.timestamp())
            let id = try tx.createCase(
                workflowId: loaded.definition.id, workflowVersion: loaded.definition.version, definitionHash: loaded.definition.contentHash, first: entry, state: state,
                wakeAt: wakeAt(state, machine), agenda: { CaseService.agendaRows($0, state, machine.definition) }, personal: loaded.definition.personalFieldNames,
                advocateId: advocateId)
            try record(actor, "case.open", caseId: id, detail: loaded.definition.id + " v\(loaded.definition.version); fields: " + values.keys.sorted().joined(separator: ", "), in: tx)
            var outcome = Outcome(caseId: id, state: state, effects: effects, ticked: ticked)
            (outcome.documents, outcome.documentProblems) = try fillDocuments(effects, caseId: id, state: state, machine: machine, journalSequence: 1, now: now, actor: actor, tx: tx)
            return outcome
        }
    }

    /// Sends an event with its payload given as text (`hearing.date` = `2026-12-01`).
    public func send(_ caseId: String, event: String, fields: [String: String], actor: Actor? = nil) throws(AdvocateError) -> Outcome {
        try send(caseId, event: event, raw: fields, actor: actor) { text, type, field throws(AdvocateError) in try FieldInput.parse(text, as: type, field: field) }
    }

    /// Sends an event with its payload decoded from JSON (the web API).
    public func send(_ caseId: String, event: String, json: [String: Any], actor: Actor? = nil) throws(AdvocateError) -> Outcome {
        try send(caseId, event: event, raw: json, actor: actor) { value, type, field throws(AdvocateError) in try FieldInput.fromJSON(value, as: type, field: field) }
    }

    private func send<Raw>(
        _ caseId: String, event: String, raw fields: [String: Raw], actor: Actor?, parse: (Raw, ValueType, String) throws(AdvocateError) -> Value
    ) throws(AdvocateError) -> Outcome {
        try transaction { tx, ticked in
            let stored = try load(caseId, tx: tx)
            try authorize(actor, caseId: caseId, assignedTo: stored.advocateId)
            let machine = try machine(hash: stored.definitionHash, tx: tx)
            guard let eventDefinition = machine.definition.events[event] else {
                throw TransitionError(.unknownEvent, "unknown event '\(event)'\(suggestion(event, Array(machine.definition.events.keys)))")
            }
            var payload: [String: Value] = [:]
            for (name, raw) in fields {
                guard eventDefinition.payload.contains(where: { $0.field == name }), let type = machine.definition.fieldTypes[name] else {
                    let allowed = eventDefinition.payload.map(\.field)
                    throw AdvocateError("event '\(event)' does not set '\(name)'" + (allowed.isEmpty ? "; it takes no values" : " (it sets: \(allowed.joined(separator: ", ")))"))
                }
                payload[name] = try parse(raw, type, name)
            }
            return try apply(.event(name: event, payload: payload), to: stored, machine: machine, tx: tx, ticked: ticked, actor: actor)
        }
    }

    /// Sends an event whose payload is already typed (the library and web API).
    public func send(_ caseId: String, event: String, payload: [String: Value], actor: Actor? = nil) throws(AdvocateError) -> Outcome {
        try transaction { tx, ticked in
            let stored = try load(caseId, tx: tx)
            try authorize(actor, caseId: caseId, assignedTo: stored.advocateId)
            return try apply(.event(name: event, payload: payload), to: stored, machine: try machine(hash: stored.definitionHash, tx: tx), tx: tx, ticked: ticked, actor: actor)
        }
    }

    /// Marks an open step, reminder or follow-up done.
    public func complete(_ caseId: String, step: String, actor: Actor? = nil) throws(AdvocateError) -> Outcome {
        try transaction { tx, ticked in
            let stored = try load(caseId, tx: tx)
            try authorize(actor, caseId: caseId, assignedTo: stored.advocateId)
            return try apply(.completeStep(key: step), to: stored, machine: try machine(hash: stored.definitionHash, tx: tx), tx: tx, ticked: ticked, actor: actor)
        }
    }

    private func apply(_ input: CaseInput, to stored: StoredCase, machine: Machine, tx: StoreTransaction, ticked: [TickedCase], actor: Actor?) throws -> Outcome {
        var state = stored.state
        let now = now(for: machine)
        let effects = try machine.apply(input, to: &state, now: now)
        switch input {
        case .event(let name, let payload):
            try record(actor, "case.event", caseId: stored.id, detail: name + (payload.isEmpty ? "" : "; fields: " + payload.keys.sorted().joined(separator: ", ")), in: tx)
        case .completeStep(let key): try record(actor, "case.complete-step", caseId: stored.id, detail: key, in: tx)
        case .open, .tick: break
        }
        let entry = JournalEntry(sequence: state.sequence, input: input, at: now, recordedAt: StoreTransaction.timestamp())
        try tx.updateCase(
            stored.id, expectedVersion: stored.version, state: state, wakeAt: wakeAt(state, machine), entries: [entry],
            agenda: CaseService.agendaRows(stored.id, state, machine.definition), personal: machine.definition.personalFieldNames)
        // Cached only once this transaction is stored: a rolled-back write leaves no trace.
        tx.afterCommit { [self] in remember(stored.id, version: stored.version + 1, state: state) }
        var outcome = Outcome(caseId: stored.id, state: state, effects: effects, ticked: ticked)
        (outcome.documents, outcome.documentProblems) = try fillDocuments(effects, caseId: stored.id, state: state, machine: machine, journalSequence: state.sequence, now: now, actor: actor, tx: tx)
        return outcome
    }

    // MARK: Time

    /// Fires every timer and follow-up that has come due, across all cases.
    @discardableResult
    public func tick() throws(AdvocateError) -> [TickedCase] {
        try transaction { _, ticked in ticked }
    }

    private func tickDueCases(_ tx: StoreTransaction, into ticked: inout [TickedCase]) throws {
        for id in try tx.casesToWake(at: clock.now()) {
            let stored = try load(id, tx: tx)
            let machine = try machine(hash: stored.definitionHash, tx: tx)
            var state = stored.state
            let now = now(for: machine)
            let effects = try machine.apply(.tick, to: &state, now: now)
            guard !effects.isEmpty || state.nextWake != stored.state.nextWake else { continue }
            let entry = JournalEntry(sequence: state.sequence, input: .tick, at: now, recordedAt: StoreTransaction.timestamp())
            try tx.updateCase(id, expectedVersion: stored.version, state: state, wakeAt: wakeAt(state, machine), entries: [entry], agenda: CaseService.agendaRows(id, state, machine.definition),
                personal: machine.definition.personalFieldNames)
            // A timer's paperwork that cannot be filled must not stop every other command: it is
            // reported, the step stays on the agenda, and `forms fill --case` fills it by hand.
            let (_, problems) = try fillDocuments(effects, caseId: id, state: state, machine: machine, journalSequence: state.sequence, now: now, actor: .timer, tx: tx)
            ticked.append((id, effects, problems))
        }
    }


    // MARK: Agenda projection

    /// Dated lines for the agenda: open items with due dates, and court dates of open cases.
    static func agendaRows(_ caseId: String, _ state: CaseState, _ definition: WorkflowDefinition) -> [AgendaRow] {
        var rows = state.items.map { item in
            AgendaRow(caseId: caseId, key: item.key, kind: item.kind.rawValue, title: item.title, who: item.who, due: item.due)
        }
        for field in definition.fields where field.courtDate && definition.courtDateMatters(field.name, in: state) {
            let due: DueDate?
            switch state.data[field.name] {
            case .date(let d)?: due = DueDate(moment: LocalDateTime(date: d), hasTime: false, reasons: [])
            case .dateTime(let t)?: due = DueDate(moment: t, hasTime: true, reasons: [])
            default: due = nil
            }
            if let due {
                rows.append(AgendaRow(caseId: caseId, key: AgendaRow.courtKeyPrefix + field.name, kind: "court-date", title: field.label, who: "client and advocate", due: due))
            }
        }
        for index in rows.indices { rows[index].workflowId = definition.id }
        return rows
    }
}

extension AgendaRow {
    static let courtKeyPrefix = "court:"

    /// The case field a court-date row shows (`hearing.date`); nil for any other row.
    public var courtDateField: String? {
        kind == "court-date" && key.hasPrefix(AgendaRow.courtKeyPrefix) ? String(key.dropFirst(AgendaRow.courtKeyPrefix.count)) : nil
    }
}
