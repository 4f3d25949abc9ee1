/// What a case receives: the journal is a list of these, each with the time it happened.
public enum CaseInput: Sendable, Equatable, Codable {
    /// Opens the case with its first data.
    case open(data: [String: Value])
    /// An event with the case fields it sets.
    case event(name: String, payload: [String: Value])
    /// The advocate marks an open step, reminder or follow-up done.
    case completeStep(key: String)
    /// Time has passed: fire timers and follow-ups that are due.
    case tick
}

/// What a transition asks the world to do or tells it happened. The interpreter performs them.
public enum Effect: Sendable, Equatable {
    case entered(track: String, state: String)
    case scheduled(key: String)
    case fill(form: String, track: String?, state: String?)
    case serviceRecorded(ServiceRecord)
    case referred(id: String)
    case followUpDue(referral: String)
    case referralClosed(id: String, outcome: String)
    case completed(key: String)
    case timerFired(track: String, timer: String)
    case caseClosed
}

/// Why an input was refused. The message names fields and states, never their values.
public struct TransitionError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case unknownEvent, eventNotAllowed, conditionsNotMet, unknownField, wrongType, missingValue, stepNotOpen, caseClosed,
            alreadyOpen, notOpen, evaluation
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// A workflow ready to run: its definition, its court calendar and the filters its expressions use.
public struct Machine: Sendable {
    /// Held in one shared box: every transition takes a copy of its machine, and copying one
    /// reference costs far less than copying the definition's many.
    fileprivate final class Parts: Sendable {
        let definition: WorkflowDefinition
        let calendar: CourtCalendar
        let filters: FilterLibrary
        /// The workflow laid out for the runner.
        let plan: RunPlan

        init(definition: WorkflowDefinition, calendar: CourtCalendar, filters: FilterLibrary) {
            self.definition = definition
            self.calendar = calendar
            self.filters = filters
            plan = RunPlan(definition, calendar: calendar, filters: filters)
        }
    }

    fileprivate let parts: Parts
    // Read accessors lend the parts rather than returning copies of them.
    public var definition: WorkflowDefinition { _read { yield parts.definition } }
    public var calendar: CourtCalendar { _read { yield parts.calendar } }
    public var filters: FilterLibrary { _read { yield parts.filters } }

    public init(definition: WorkflowDefinition, calendar: CourtCalendar, filters: FilterLibrary = .standard) {
        parts = Parts(definition: definition, calendar: calendar, filters: filters)
    }

    /// The pure transition: `(definition, state, input, now) -> (state, effects)`. No I/O, no clock.
    ///
    /// The state is consumed: a caller that hands over its only copy (`state = try machine.transition(state, …).state`)
    /// has it changed in place, and a caller that keeps a copy keeps it unchanged.
    public func transition(_ state: consuming CaseState, _ input: CaseInput, now: LocalDateTime) throws(TransitionError) -> (state: CaseState, effects: [Effect]) {
        if Machine.countIdleTick(input, &state, now: now) { return (state, []) }
        var run = Run(machine: self, now: now)
        run.begin(&state)
        try run.apply(input, to: &state)
        run.end(&state)
        return (state, run.effects)
    }

    /// The same transition, updating `state` in place; on error `state` is left as it was.
    public func apply(_ input: CaseInput, to state: inout CaseState, now: LocalDateTime) throws(TransitionError) -> [Effect] {
        if Machine.countIdleTick(input, &state, now: now) { return [] }
        var working = state
        var run = Run(machine: self, now: now)
        run.begin(&working)
        try run.apply(input, to: &working)
        run.end(&working)
        state = working
        return run.effects
    }

    /// A tick before an open case's next wake-up time changes nothing but the count of inputs,
    /// which is the commonest input of all: it is counted here without setting up a run.
    private static func countIdleTick(_ input: CaseInput, _ state: inout CaseState, now: LocalDateTime) -> Bool {
        guard case .tick = input, state.sequence > 0 else { return false }
        if let wake = state.nextWake, wake <= now { return false }
        state.sequence += 1
        return true
    }

    /// The state with every due date and the next wake-up time computed afresh. Transitions
    /// recompute only what the input can have changed; tests use this to check they agree.
    func recomputedFully(_ state: CaseState, now: LocalDateTime) throws(TransitionError) -> CaseState {
        var working = state
        var run = Run(machine: self, now: now)
        run.begin(&working)
        run.recomputeAll = true
        try run.recomputeDueDates(in: &working)
        try run.computeNextWake(in: &working)
        run.end(&working)
        return working
    }

    /// A state from another version of the workflow, carried over to this one when a case is
    /// migrated. A reminder the other version wrote out in place, with the same words and person
    /// as one this version declares by name, becomes that reminder, so the two do not both stay
    /// on the agenda and its date follows this version's rule.
    public func carriedOver(_ state: CaseState) -> CaseState {
        var state = state
        let byWords = Dictionary(
            parts.definition.reminders.values.map { ("\($0.who)\n\($0.text)", AgendaItem.reminderKey($0.id)) }, uniquingKeysWith: { first, _ in first })
        var index = 0
        while index < state.items.count {
            let item = state.items[index]
            guard item.kind == .reminder, plan.entries[item.key] == nil, let key = byWords["\(item.who)\n\(item.title)"] else {
                index += 1
                continue
            }
            if state.items.contains(where: { $0.key == key }) {
                state.items.remove(at: index)
            } else {
                // A new key drops the rule the old one found.
                state.items[index].key = key
                index += 1
            }
        }
        return state
    }

    var plan: RunPlan { parts.plan }

    /// Replays a journal from an empty state.
    public func replay(_ journal: [(input: CaseInput, at: LocalDateTime)]) throws(TransitionError) -> CaseState {
        var state = CaseState()
        for entry in journal { _ = try apply(entry.input, to: &state, now: entry.at) }
        return state
    }
}

/// One application of an input to a case: the environment its expressions run in, and the
/// effects so far. The case itself is not held but passed to each step as `inout`, so handing
/// it in and out copies nothing and needs no empty state to stand in for it.
private struct Run {
    let machine: Machine
    /// The one environment every expression of this input runs in. Between ``begin(_:)`` and
    /// ``end(_:)`` it holds the case's data, so evaluating copies nothing; due dates switch on
    /// explanations for as long as they count.
    var env: Environment
    let now: LocalDateTime
    var effects: [Effect] = []
    /// Fields this input changed that a date may read, so only the due dates that read them are recomputed.
    var changedFields = FieldSet()
    /// Whether an effect set a field, perhaps after this input scheduled an item that reads it.
    var effectSetData = false
    /// How many items at the front of `state.items` were there before this input. Items after
    /// them were scheduled by it, with their due dates counted from the data as it then was.
    var keptItems = 0
    /// Whether tracks, timers or referrals changed, so the next wake-up time must be found again.
    var scheduleChanged = false
    /// Set on opening: every due date is computed afresh.
    var recomputeAll = false

    init(machine: Machine, now: LocalDateTime) {
        self.machine = machine
        self.now = now
        env = Environment(data: CaseData(), calendar: machine.calendar, now: now, filters: machine.filters)
        env.explainsDeadlines = false
    }

    /// Readies `state` for this run: its data moves into the environment (swapped, never copied)
    /// until ``end(_:)`` hands it back. A run that throws is not ended: its caller drops the state.
    mutating func begin(_ state: inout CaseState) {
        keptItems = state.items.count
        // Laid out on the plan's layout, so the plan's expressions read fields by position.
        state.data.lay(on: machine.plan.layout)
        state.tracks.lay(on: machine.plan.trackLayout)
        // Each item carries its rule; one read back from storage or made by another version has it found here.
        let plan = machine.plan
        for index in state.items.indices where state.items[index].rule?.layout !== plan.layout && state.items[index].kind != .followUp {
            if let planned = plan.entries[state.items[index].key] {
                state.items[index].entry = state.items[index].entry.withRule(from: planned)
            } else if state.items[index].rule != nil {
                // Another version's rule, for an item this one does not declare: it has none here.
                state.items[index].entry = state.items[index].entry.withoutRule()
            }
        }
        swap(&env.data, &state.data)
    }

    /// Gives the case its data back from the environment.
    mutating func end(_ state: inout CaseState) {
        swap(&env.data, &state.data)
    }

    /// The machine's shared parts: `parts.definition` is read in place, never copied.
    var parts: Machine.Parts { machine.parts }
    var plan: RunPlan { machine.plan }

    mutating func apply(_ input: CaseInput, to state: inout CaseState) throws(TransitionError) {
        switch input {
        case .open(let data):
            guard state.sequence == 0 else { throw TransitionError(.alreadyOpen, "the case is already open") }
            try open(data, in: &state)
        case .event(let name, let payload):
            try Run.requireOpen(state)
            try receive(name, payload, in: &state)
        case .completeStep(let key):
            try Run.requireOpen(state)
            try complete(key, in: &state)
        case .tick:
            try Run.requireOpen(state)
            try tick(&state)
        }
        let datesMayMove = recomputeAll || plan.dateReads.meets(changedFields)
        if datesMayMove { try recomputeDueDates(in: &state) }
        if recomputeAll || scheduleChanged || (datesMayMove && timersRead(changedFields, in: &state)) { try computeNextWake(in: &state) }
        state.sequence += 1
    }

    /// Adds an effect. The first makes room for what an input that has any usually has (entering
    /// a state, scheduling its steps), so the list is not grown one at a time; an input with none allocates nothing.
    private mutating func emit(_ effect: Effect) {
        if effects.capacity == 0 { effects.reserveCapacity(12) }
        effects.append(effect)
    }

    private static func requireOpen(_ state: CaseState) throws(TransitionError) {
        guard state.sequence > 0 else { throw TransitionError(.notOpen, "the case has not been opened") }
    }

    // MARK: Opening

    private mutating func open(_ data: [String: Value], in state: inout CaseState) throws(TransitionError) {
        for (name, value) in data { try validate(field: name, value) }
        for position in plan.requiredFields where (data[parts.definition.fields[position].name] ?? .null).isBlank {
            throw TransitionError(.missingValue, "'\(parts.definition.fields[position].name)' is required to open a \(parts.definition.id) case")
        }
        // A fresh state's data is laid out on the plan already; only a state made by hand may hold some.
        if !env.data.isEmpty { env.data = CaseData(layout: plan.layout) }
        for (name, value) in data { env.data[name] = value }
        state.items.reserveCapacity(12)
        env.data["case.opened"] = .date(now.date)
        env.data["case.opened_at"] = .dateTime(now)
        recomputeAll = true
        for track in plan.tracks {
            guard let start = track.start else {
                throw TransitionError(.eventNotAllowed, "track '\(track.name)' has no state '\(track.startName)'")
            }
            try enter(track, start, in: &state)
        }
    }

    private mutating func validate(field name: String, _ value: Value) throws(TransitionError) {
        // The layout holds the declared fields first, at their positions in the definition, then built-in ones.
        let position = plan.layout.position(name).flatMap { $0 < parts.definition.fields.count ? $0 : nil }
        try validate(field: name, at: position, value)
    }

    /// Checks a value against the field at `index` (nil: no such field); by index, so the
    /// field's definition is read in place rather than copied. (Mutating, like the run's other
    /// helpers, only so that calling it lends the run: a plain method had Swift copy the run.)
    private mutating func validate(field name: String, at index: Int?, _ value: Value) throws(TransitionError) {
        guard let index else {
            throw TransitionError(.unknownField, "unknown field '\(name)'\(suggestion(name, parts.definition.fields.map(\.name)))")
        }
        guard parts.definition.fields[index].type.accepts(value) else {
            let type = parts.definition.fields[index].type
            if case .enumeration(let values) = type {
                throw TransitionError(.wrongType, "'\(name)' must be one of: \(values.joined(separator: ", "))")
            }
            throw TransitionError(.wrongType, "'\(name)' must be a \(type), not a \(value.typeName)")
        }
    }

    // MARK: Events

    private mutating func receive(_ name: String, _ payload: [String: Value], in state: inout CaseState) throws(TransitionError) {
        guard let eventIndex = plan.eventIndex.position(name) else {
            throw TransitionError(.unknownEvent, "unknown event '\(name)'\(suggestion(name, Array(parts.definition.events.keys)))")
        }
        let eventPlan = plan.events[eventIndex]
        guard !state.closed else { throw TransitionError(.caseClosed, "the case is closed; no more events can be sent") }
        // Is the event possible here at all? Asked first, so the answer is "not now" rather than "missing a value".
        var possible = false
        for trackIndex in eventPlan.tracks where currentState(of: plan.tracks[trackIndex], in: &state)?.transitions[eventPlan.index] != nil {
            possible = true
            break
        }
        if !possible && !eventPlan.anytime {
            let now = parts.definition.tracks.compactMap { t in state.tracks[t.name].map { "\(t.name) is at '\($0)'" } }
            throw TransitionError(.eventNotAllowed, "event '\(name)' is not allowed now: \(now.joined(separator: ", "))")
        }
        // Payload next, so guards see the values the event brings.
        var given: UInt64 = 0
        for (field, value) in payload {
            guard let position = eventPlan.payloadPosition(field) else {
                let allowed = eventPlan.payload.map(\.field)
                throw TransitionError(.unknownField, "event '\(name)' does not set '\(field)'" + (allowed.isEmpty ? "" : " (it sets: \(allowed.joined(separator: ", ")))"))
            }
            try validate(field: field, at: eventPlan.fieldPositions[position], value)
            if position < 64 { given |= 1 << position }
        }
        // By position, so no payload field is copied to read it. A payload holds a value or two,
        // so it is searched rather than hashed into, and only for the fields it was seen to hold.
        for position in eventPlan.payload.indices {
            var value = Value.null
            let first = eventPlan.firstPositions[position]
            if first >= 64 || given & 1 << first != 0 {
                for (field, sent) in payload where field == eventPlan.payload[position].field {
                    value = sent
                    break
                }
            }
            if value.isNull, let fallback = eventPlan.defaults[position] {
                value = try evaluate(fallback)
            }
            let required = eventPlan.payload[position].required
            if value.isNull || (required && value.isBlank) {
                if required { throw TransitionError(.missingValue, "event '\(name)' needs '\(eventPlan.payload[position].field)'") }
                continue
            }
            if let slot = eventPlan.fieldPositions[position] { env.data[position: slot] = value } else { env.data[eventPlan.payload[position].field] = value }
            if eventPlan.movesDates[position] { changedFields.insert(eventPlan.fieldPositions[position]) }
        }
        var taken = 0
        // A track moves only by its own transitions, so each track's state read here is the one
        // it had before the event, whichever tracks moved first.
        for trackIndex in eventPlan.tracks where possible {
            let track = plan.tracks[trackIndex]
            guard let current = currentState(of: track, in: &state), let transitions = current.transitions[eventPlan.index] else { continue }
            for transition in transitions {
                if let guardExpression = transition.guardExpression, !(try test(guardExpression)) { continue }
                try take(track, from: current, transition, in: &state)
                taken += 1
                break
            }
        }
        if taken == 0 && !eventPlan.anytime {
            throw TransitionError(.conditionsNotMet, "event '\(name)' changes nothing now: none of its conditions hold")
        }
    }

    private mutating func take(_ track: TrackPlan, from current: StatePlan, _ transition: TransitionPlan, in state: inout CaseState) throws(TransitionError) {
        guard let target = transition.target else {
            try perform(transition.effects, track: track, state: current, in: &state)
            return
        }
        // Items close with the state that opened them, except steps kept open (`keep_open`) into
        // the new state: those follow the track there, unless the track has reached an end.
        guard let targetIndex = transition.targetIndex else {
            throw TransitionError(.eventNotAllowed, "track '\(track.name)' has no state '\(target)'")
        }
        let targetState = track.states[targetIndex]
        let carries = plan.keepsSteps && !targetState.terminal
        let trackName = track.name
        removeItems(from: &state) { items, index in
            guard items[index].place.isState(current, of: trackName) else { return false }
            guard carries, items[index].kind == .step, let rule = items[index].rule else { return true }
            return !rule.follows(into: target)
        }
        if carries {
            for index in state.items.indices where state.items[index].place.isState(current, of: trackName) {
                state.items[index].place = targetState.place
            }
        }
        try perform(transition.effects, track: track, state: targetState, in: &state)
        try enter(track, targetState, in: &state)
    }

    private mutating func enter(_ track: TrackPlan, _ target: StatePlan, in state: inout CaseState) throws(TransitionError) {
        let name = target.name
        state.tracks.set(track: track.index, state: name, at: target.index)
        if !state.firedTimers.isEmpty {
            let prefix = track.name + "/"
            state.firedTimers.removeAll { $0.hasPrefix(prefix) }
        }
        scheduleChanged = true
        emit(.entered(track: track.name, state: name))
        for step in target.steps { try schedule(step, at: target.place, in: &state) }
        try perform(target.onEnter, track: track, state: target, in: &state)
        if target.terminal, !state.closed, allTracksEnded(&state) {
            state.closed = true
            state.items.removeAll()
            keptItems = 0
            emit(.caseClosed)
        }
    }

    // The helpers below only read, but are `mutating` and take the case `inout` so that calling
    // them lends the run and the case: as plain methods, Swift copied the run to call them.
    private mutating func currentState(of track: TrackPlan, in state: inout CaseState) -> StatePlan? {
        state.tracks.statePosition(track: track.index).map { track.states[$0] }
    }

    /// Whether every track is in a terminal state, so the case is over.
    private mutating func allTracksEnded(_ state: inout CaseState) -> Bool {
        for track in plan.tracks where !(currentState(of: track, in: &state)?.terminal ?? false) { return false }
        return true
    }

    // MARK: Effects

    private mutating func perform(_ list: [EffectPlan], track trackPlan: TrackPlan, state statePlan: StatePlan, in state: inout CaseState) throws(TransitionError) {
        let track = trackPlan.name, stateName = statePlan.name
        for index in list.indices {
            switch list[index] {
            case .schedule(let step):
                try schedule(step, at: statePlan.place, in: &state)
            case .fill(let form, let condition):
                if let condition, !(try test(condition)) { continue }
                emit(.fill(form: form, track: track, state: stateName))
            case .remind(let reminder):
                let key = reminder.entry.key
                // Given again while open, it stays, and now belongs to the state that gave it last.
                if let open = openItem(reminder.entry, in: &state) {
                    state.items[open].place = statePlan.place
                    continue
                }
                let due = try due(reminder.due)
                state.items.append(AgendaItem(entry: reminder.entry, place: statePlan.place, due: consume due))
                emit(.scheduled(key: key))
            case .service(let code):
                record(ServiceRecord(code: code, date: now.date, source: statePlan.source), in: &state)
            case .refer(let id, let to, let followUp):
                guard !state.referrals.contains(where: { $0.id == id && $0.outcome == nil }) else { continue }
                let next = machine.calendar.deadline(from: now, followUp, direction: .forward, hasTime: true).moment
                state.referrals.append(Referral(id: id, to: to, sent: now, followUp: followUp, nextFollowUp: next, followUps: 0, outcome: nil))
                scheduleChanged = true
                emit(.referred(id: id))
            case .closeReferral(let id, let outcome):
                guard let open = state.referrals.lastIndex(where: { $0.id == id && $0.outcome == nil }) else { continue }
                state.referrals[open].outcome = outcome
                scheduleChanged = true
                let prefix = "follow-up:\(id)#"
                removeItems(from: &state) { items, index in items[index].kind == .followUp && items[index].key.hasPrefix(prefix) }
                emit(.referralClosed(id: id, outcome: outcome))
            case .set(let field, let position, let expression):
                let value = try evaluate(expression)
                if let position { env.data[position: position] = value } else { env.data[field] = value }
                changedFields.insert(position)
                effectSetData = true
            }
        }
    }

    /// Records a service given, on the case and as an effect.
    private mutating func record(_ service: ServiceRecord, in state: inout CaseState) {
        // Room for a case's first few at once, not grown one at a time.
        if state.services.capacity == 0 { state.services.reserveCapacity(4) }
        state.services.append(service)
        emit(.serviceRecorded(service))
    }

    private mutating func schedule(_ step: StepPlan, at place: AgendaItem.Place, in state: inout CaseState) throws(TransitionError) {
        guard openItem(step.entry, in: &state) == nil else { return }
        let due = if let plan = step.due { try self.due(plan) } else { DueDate?.none }
        state.items.append(AgendaItem(entry: step.entry, place: place, due: consume due))
        emit(.scheduled(key: step.entry.key))
    }

    // MARK: Steps and time

    private mutating func complete(_ key: String, in state: inout CaseState) throws(TransitionError) {
        guard let index = openItem(key, in: &state) else {
            let open = state.items.map(\.key)
            throw TransitionError(.stepNotOpen, "no open step '\(key)'" + (open.isEmpty ? "" : " (open: \(open.joined(separator: ", ")))"))
        }
        let item = state.items.remove(at: index)
        if index < keptItems { keptItems -= 1 }
        if item.kind == .step, let code = item.rule?.service {
            record(ServiceRecord(code: code, date: now.date, source: key), in: &state)
        }
        emit(.completed(key: key))
    }

    private mutating func tick(_ state: inout CaseState) throws(TransitionError) {
        // nextWake is the earliest time a timer or follow-up can be due: before it, nothing can happen.
        guard let wake = state.nextWake, wake <= now else { return }
        scheduleChanged = true
        // A fired timer can enter a state whose own timers are already due; a bound stops a cycle.
        for _ in 0..<64 {
            var fired = false
            for track in plan.tracks {
                guard let currentState = currentState(of: track, in: &state) else { continue }
                for timer in currentState.timers {
                    let key = timer.firedKey
                    guard !state.firedTimers.contains(key), let at = try moment(timer.at), at <= now else { continue }
                    if let guardExpression = timer.transition.guardExpression, !(try test(guardExpression)) { continue }
                    state.firedTimers.append(key)
                    scheduleChanged = true
                    emit(.timerFired(track: track.name, timer: timer.id))
                    try take(track, from: currentState, timer.transition, in: &state)
                    fired = true
                    break
                }
            }
            if !fired { break }
        }
        for index in state.referrals.indices where state.referrals[index].outcome == nil {
            while state.referrals[index].nextFollowUp <= now {
                var referral = state.referrals[index]
                referral.followUps += 1
                let item = AgendaItem(
                    key: "follow-up:\(referral.id)#\(referral.followUps)", kind: .followUp, title: FollowUp.title(to: referral.to),
                    who: "advocate", track: nil, state: nil,
                    due: DueDate(moment: referral.nextFollowUp, hasTime: false, reasons: [DeadlineReason.noAnswer(referral.followUp).english]))
                state.items.append(item)
                referral.nextFollowUp = machine.calendar.deadline(from: referral.nextFollowUp, referral.followUp, direction: .forward, hasTime: true).moment
                state.referrals[index] = referral
                emit(.followUpDue(referral: referral.id))
            }
        }
    }

    fileprivate mutating func recomputeDueDates(in state: inout CaseState) throws(TransitionError) {
        // Items this input scheduled are already counted from the current data, unless an effect set a field since.
        let end = effectSetData ? state.items.count : keptItems
        for index in 0..<end where state.items[index].kind != .followUp {
            guard let dueDate = state.items[index].rule?.due, recomputeAll || dueDate.reads.meets(changedFields) else { continue }
            state.items[index].due = try due(dueDate)
        }
    }

    /// Where the open item with `key` is. Found by index, so no item is copied to compare its key.
    private mutating func openItem(_ key: String, in state: inout CaseState) -> Int? {
        for index in state.items.indices where state.items[index].entry.key == key { return index }
        return nil
    }

    /// Where the open item of a plan's `entry` is. Items of this plan are told apart by their
    /// rule, one to a key, so only items from elsewhere have their keys compared.
    private mutating func openItem(_ entry: AgendaItem.Entry, in state: inout CaseState) -> Int? {
        let planned = entry.rule
        for index in state.items.indices {
            let other = state.items[index].entry
            if other === entry { return index }
            if let rule = other.rule, rule.layout === planned?.layout {
                if rule === planned { return index }
                continue
            }
            if other.key == entry.key { return index }
        }
        return nil
    }

    /// Removes items, keeping count of those that were there before this input.
    /// `shouldRemove` is asked about an item by its index, so no item is copied to ask it.
    private mutating func removeItems(from state: inout CaseState, where shouldRemove: (borrowing [AgendaItem], Int) -> Bool) {
        var kept = 0
        var removedBefore = 0
        for index in state.items.indices {
            if shouldRemove(state.items, index) {
                if index < keptItems { removedBefore += 1 }
                continue
            }
            if kept != index { state.items.swapAt(kept, index) }
            kept += 1
        }
        // One at a time: `removeLast(_:)` goes through the general range replacement, which costs
        // more than removing the few items a transition closes.
        while state.items.count > kept { state.items.removeLast() }
        keptItems -= removedBefore
    }

    /// Whether a timer of a current state reads one of `fields`, so the next wake-up time may have moved.
    private mutating func timersRead(_ fields: FieldSet, in state: inout CaseState) -> Bool {
        guard !fields.isEmpty else { return false }
        for track in plan.tracks {
            if let currentState = currentState(of: track, in: &state), currentState.timerReads.meets(fields) { return true }
        }
        return false
    }

    fileprivate mutating func computeNextWake(in state: inout CaseState) throws(TransitionError) {
        var next: LocalDateTime?
        for index in plan.timedTracks.indices {
            guard let position = state.tracks.statePosition(track: plan.timedTracks[index].index) else { continue }
            try earliestTimer(of: plan.timedTracks[index].states[position], in: &state, before: &next)
        }
        for referral in state.referrals where referral.outcome == nil && next.map({ referral.nextFollowUp < $0 }) ?? true {
            next = referral.nextFollowUp
        }
        state.nextWake = state.closed ? nil : next
    }

    /// Moves `next` back to the earliest time a timer of `statePlan` that has not fired can fire.
    /// (The state's timers are read by index from it, as a parameter: held in locals across the
    /// calls that count them, each would be retained and released.)
    private mutating func earliestTimer(of statePlan: StatePlan, in state: inout CaseState, before next: inout LocalDateTime?) throws(TransitionError) {
        for index in statePlan.timers.indices where state.firedTimers.isEmpty || !state.firedTimers.contains(statePlan.timers[index].firedKey) {
            guard let at = try moment(statePlan.timers[index].at) else { continue }
            // A past-due timer held back by its condition waits for an input that changes the condition,
            // which recomputes this; until then the case need not be woken for it.
            if at <= now, let guardExpression = statePlan.timers[index].transition.guardExpression, !(try test(guardExpression)) { continue }
            if next.map({ at < $0 }) ?? true { next = at }
        }
    }

    // MARK: Expressions

    private mutating func evaluate(_ expression: Expression) throws(TransitionError) -> Value {
        // A payload default such as `today` or `order.issued + 1 year`, counted as evaluating it would count it.
        if !env.explainsDeadlines, let offset = expression.fieldOffset {
            switch count(offset, rolling: env.rollsDeadlines) {
            case .counted(let moment, let hasTime, _): return hasTime ? .dateTime(moment) : .date(moment.date)
            case .unset: return .null
            case .uncounted: break
            }
        }
        do { return try expression.evaluate(in: &env) } catch { throw TransitionError(.evaluation, "in '\(expression.source)': \(error.message)") }
    }

    private mutating func test(_ expression: Expression) throws(TransitionError) -> Bool {
        if let fieldTest = expression.fieldTest, env.data.layout === fieldTest.layout, env.locals.isEmpty, !env.data.hasOthers {
            return fieldTest.holds(in: env.data)
        }
        return try evaluate(expression).isTruthy
    }

    @inline(__always) private mutating func moment(_ expression: Expression) throws(TransitionError) -> LocalDateTime? {
        if let offset = expression.fieldOffset {
            switch count(offset, rolling: true) {
            case .counted(let moment, _, _): return moment
            case .unset: return nil
            case .uncounted: break
            }
        }
        switch try evaluate(expression) {
        case .date(let d): return LocalDateTime(date: d)
        case .dateTime(let t): return t
        default: return nil
        }
    }

    /// A `field ± period` (or `today ± period`) counted as evaluating it would count it: from the
    /// field's date or date-time, read just as evaluation reads it, or from the clock. Its `hasTime`
    /// is what evaluation's value would have, and `trigger` is where the count started.
    /// (Mutating only so that calling it lends the run: as a plain method, Swift copied the whole
    /// run to call it. Inlined into its three callers, as a call measured slower than the three copies it replaced.)
    @inline(__always) private mutating func count(_ offset: FieldOffset, rolling: Bool) -> Count {
        guard env.data.layout === offset.layout, env.locals.isEmpty, !env.data.hasOthers else { return .uncounted }
        let start: LocalDateTime, hasTime: Bool
        switch offset.start {
        case .field(let position):
            switch env.data[position: position] {
            case .date(let date)?: (start, hasTime) = (LocalDateTime(date: date), false)
            case .dateTime(let moment)?: (start, hasTime) = (moment, true)
            case nil, .null?: return offset.nullWhenUnset ? .unset : .uncounted
            default: return .uncounted
            }
        case .clock(.today): (start, hasTime) = (LocalDateTime(date: now.date), false)
        case .clock(.now): (start, hasTime) = (now, true)
        }
        guard let period = offset.period else { return .counted(moment: start, hasTime: hasTime, trigger: start) }
        let timed = hasTime || period.unit == .hours
        let end = machine.calendar.end(from: start, period, direction: offset.direction, hasTime: timed, rolling: rolling)
        return .counted(moment: end, hasTime: timed, trigger: start)
    }

    /// What ``count(_:rolling:)`` found.
    private enum Count {
        /// The end, whether it has a time (as evaluation's value would), and where the count started.
        case counted(moment: LocalDateTime, hasTime: Bool, trigger: LocalDateTime)
        /// The field is unset or null, so the expression is null, as evaluating it would find.
        case unset
        /// Left to evaluation: data kept by name, a value of another type, a field a record may stand in for.
        case uncounted
    }

    /// A date shown to people, with how it was counted. Timers and guards need only the date.
    private mutating func due(_ plan: DuePlan) throws(TransitionError) -> DueDate? {
        if let offset = plan.expression.fieldOffset {
            switch count(offset, rolling: plan.rolling) {
            case .counted(let moment, let hasTime, let trigger):
                if let counting = plan.counting { return DueDate(moment: moment, hasTime: hasTime, trigger: trigger, sharing: counting) }
            case .unset: return nil
            case .uncounted: break
            }
        }
        env.rollsDeadlines = plan.rolling
        env.explainsDeadlines = true
        defer {
            env.rollsDeadlines = true
            env.explainsDeadlines = false
        }
        var explanations = Explanations()
        let value = try evaluate(plan.expression)
        swap(&explanations, &env.explained)
        switch value {
        case .date(let d): return DueDate(moment: LocalDateTime(date: d), hasTime: false, explanations: consume explanations)
        case .dateTime(let t): return DueDate(moment: t, hasTime: true, explanations: consume explanations)
        default: return nil
        }
    }
}
