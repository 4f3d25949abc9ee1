/// A workflow laid out for the runner, once, when its machine is made.
///
/// The definition is what files say; the plan is how the runner walks it. Each part is a class,
/// so looking at a track, state or step lends one reference instead of copying every name,
/// list and expression it holds; and what a transition would otherwise work out on each input
/// (which tracks an event can move, which fields a date reads, the keys of fired timers) is
/// worked out here.
final class RunPlan: Sendable {
    /// Where each field's value is kept; every expression below is bound to it.
    let layout: FieldLayout
    /// Where each track's state is kept.
    let trackLayout: TrackLayout
    let tracks: [TrackPlan]
    /// Each event with what receiving it needs, found with one lookup by its name.
    let events: [String: EventPlan]
    let steps: [String: StepPlan]
    let reminders: [String: ReminderPlan]
    /// Each step's and reminder's due date, by the key its agenda items carry (`ID`, `reminder:ID`).
    let dueDates: [String: DuePlan]
    /// The fields any due date, reminder or timer reads: a change to any other moves no date.
    let dateReads: FieldSet
    /// Positions of the fields a case cannot open without.
    let requiredFields: [Int]
    /// The steps that may stay open when their track moves on (`keep_open`), by id.
    let keptOpen: [String: KeepOpen]

    init(_ definition: WorkflowDefinition, filters: FilterLibrary) {
        let layout = FieldLayout(definition)
        self.layout = layout
        trackLayout = TrackLayout(definition)
        let bind = Binding(layout: layout, filters: filters)
        let steps = definition.steps.mapValues { StepPlan($0, bind) }
        self.steps = steps
        let eventIndex = Dictionary(uniqueKeysWithValues: definition.events.keys.sorted().enumerated().map { ($1, $0) })
        tracks = definition.tracks.enumerated().map { TrackPlan($1, index: $0, steps: steps, events: eventIndex, definition, bind) }
        let reminders = Dictionary(uniqueKeysWithValues: definition.reminders.map { id, reminder in (id, ReminderPlan(id: id, reminder, bind)) })
        self.reminders = reminders
        var dueDates: [String: DuePlan] = [:]
        for (id, step) in steps {
            guard let due = step.due else { continue }
            dueDates[id] = DuePlan(expression: due, reads: definition.fieldsRead(by: due), rolling: true)
        }
        for reminder in reminders.values {
            dueDates[reminder.key] = DuePlan(expression: reminder.at, reads: definition.fieldsRead(by: reminder.at), rolling: false)
        }
        var dateReads = FieldSet()
        for plan in dueDates.values { dateReads.formUnion(plan.reads) }
        for track in tracks { for state in track.states { dateReads.formUnion(state.timerReads) } }
        self.dueDates = dueDates
        self.dateReads = dateReads
        var movedBy: [String: [Int]] = [:]
        for (index, track) in definition.tracks.enumerated() {
            for name in Set(track.states.flatMap(\.transitions.keys)) { movedBy[name, default: []].append(index) }
        }
        events = Dictionary(uniqueKeysWithValues: definition.events.map { key, event in
            let positions = event.payload.map { definition.fieldPosition($0.field) }
            return (key, EventPlan(
                payload: event.payload, anytime: event.anytime, index: eventIndex[key]!, tracks: movedBy[key] ?? [], fieldPositions: positions, defaults: event.payload.map { $0.defaultValue.map(bind.callAsFunction) },
                movesDates: positions.map { position in
                    var field = FieldSet()
                    field.insert(position)
                    return dateReads.meets(field)
                }))
        })
        requiredFields = definition.fields.indices.filter { definition.fields[$0].required }
        keptOpen = definition.steps.compactMapValues { $0.keepOpen == .never ? nil : $0.keepOpen }
    }
}

/// Binds the expressions a plan holds to its layout and filters.
struct Binding {
    let layout: FieldLayout
    let filters: FilterLibrary

    func callAsFunction(_ expression: Expression) -> Expression { expression.bound(to: layout, filters: filters) }

    func callAsFunction(_ expression: Expression?) -> Expression? { expression.map { $0.bound(to: layout, filters: filters) } }

    func callAsFunction(_ effects: [EffectDefinition]) -> [EffectDefinition] {
        effects.map { effect in
            switch effect {
            case .fill(let form, let condition): .fill(form, when: self(condition))
            case .set(let field, let expression): .set(field: field, self(expression))
            case .schedule, .remind, .service, .refer, .closeReferral: effect
            }
        }
    }

    func callAsFunction(_ transition: TransitionDefinition) -> TransitionDefinition {
        TransitionDefinition(guardExpression: self(transition.guardExpression), target: transition.target, effects: self(transition.effects))
    }

    func callAsFunction(_ timer: TimerDefinition) -> TimerDefinition {
        TimerDefinition(id: timer.id, at: self(timer.at), guardExpression: self(timer.guardExpression), target: timer.target, effects: self(timer.effects))
    }
}

/// An event and what receiving it needs. A class, so finding it lends a reference instead of
/// copying its definition.
final class EventPlan: Sendable {
    let payload: [PayloadField]
    let anytime: Bool
    /// Its position among the workflow's events, where a state keeps its transitions on it.
    let index: Int
    /// The tracks with a transition on the event in some state: the only ones it can move.
    let tracks: [Int]
    /// Each payload field's position among the definition's fields, which is its place in the layout.
    let fieldPositions: [Int?]
    /// Each payload field's default, bound.
    let defaults: [Expression?]
    /// Whether each payload field can move a date: one that cannot need not be tracked as changed.
    let movesDates: [Bool]

    init(payload: [PayloadField], anytime: Bool, index: Int, tracks: [Int], fieldPositions: [Int?], defaults: [Expression?], movesDates: [Bool]) {
        self.payload = payload
        self.anytime = anytime
        self.index = index
        self.tracks = tracks
        self.fieldPositions = fieldPositions
        self.defaults = defaults
        self.movesDates = movesDates
    }
}

final class TrackPlan: Sendable {
    /// Its position among the workflow's tracks.
    let index: Int
    let name: String
    /// The name of its start state, and that state, found once here (nil only for a definition
    /// the loader did not check).
    let startName: String
    let start: StatePlan?
    let states: [StatePlan]
    private let stateIndex: [String: Int]

    init(_ track: TrackDefinition, index: Int, steps: [String: StepPlan], events: [String: Int], _ definition: WorkflowDefinition, _ bind: Binding) {
        self.index = index
        name = track.name
        startName = track.start
        let states = track.states.enumerated().map { StatePlan($1, index: $0, track: track.name, steps: steps, events: events, definition, bind) }
        self.states = states
        let stateIndex = Dictionary(track.states.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.stateIndex = stateIndex
        start = stateIndex[track.start].map { states[$0] }
    }

    func state(_ name: String) -> StatePlan? { stateIndex[name].map { states[$0] } }
}

final class StatePlan: Sendable {
    /// Its position in its track.
    let index: Int
    let name: String
    let terminal: Bool
    /// The steps that open on entering it.
    let steps: [StepPlan]
    let onEnter: [EffectDefinition]
    /// The transitions on each event, by the event's position (``EventPlan/index``); nil for an event it has none on.
    let transitions: [[TransitionDefinition]?]
    let timers: [TimerPlan]
    /// The fields its timers read, in their times and conditions.
    let timerReads: FieldSet

    init(
        _ state: StateDefinition, index: Int, track: String, steps: [String: StepPlan], events: [String: Int], _ definition: WorkflowDefinition,
        _ bind: Binding
    ) {
        self.index = index
        name = state.name
        terminal = state.terminal
        self.steps = state.steps.compactMap { steps[$0] }
        onEnter = bind(state.onEnter)
        var transitions = [[TransitionDefinition]?](repeating: nil, count: events.count)
        for (event, list) in state.transitions {
            if let position = events[event] { transitions[position] = list.map(bind.callAsFunction) }
        }
        self.transitions = transitions
        timers = state.timers.map { TimerPlan(timer: bind($0), firedKey: "\(track)/\(state.name)/\($0.id)") }
        var reads = FieldSet()
        for timer in state.timers {
            reads.formUnion(definition.fieldsRead(by: timer.at))
            reads.formUnion(definition.fieldsRead(by: timer.guardExpression))
        }
        timerReads = reads
    }
}

/// A timer, bound. A class, so walking a state's timers lends references instead of copying each.
final class TimerPlan: Sendable {
    let timer: TimerDefinition
    /// How `CaseState.firedTimers` names it once fired: `track/state/timer`.
    let firedKey: String

    init(timer: TimerDefinition, firedKey: String) {
        self.timer = timer
        self.firedKey = firedKey
    }
}

final class StepPlan: Sendable {
    let id: String
    let title: String
    let who: String
    let due: Expression?
    let service: String?

    init(_ step: StepDefinition, _ bind: Binding) {
        id = step.id
        title = step.title
        who = step.who
        due = bind(step.due)
        service = step.service
    }
}

final class ReminderPlan: Sendable {
    /// The key of the agenda item it makes: `reminder:ID`.
    let key: String
    let who: String
    let text: String
    let at: Expression

    init(id: String, _ reminder: ReminderDefinition, _ bind: Binding) {
        key = AgendaItem.reminderKey(id)
        who = reminder.who
        text = reminder.text
        at = bind(reminder.at)
    }
}

/// A due date to count again when a field it reads changes.
struct DuePlan: Sendable {
    let expression: Expression
    let reads: FieldSet
    /// Whether a last day on a weekend or holiday moves: yes for steps, no for reminders to people.
    let rolling: Bool
}
