/// A workflow laid out for the runner, once, when its machine is made.
///
/// The definition is what files say; the plan is how the runner walks it. Each part is a class,
/// so looking at a track, state or step lends one reference instead of copying every name,
/// list and expression it holds; and what a transition would otherwise work out on each input
/// (which tracks an event can move, which fields a date reads, the keys of fired timers) is
/// worked out here.
final class RunPlan: Sendable {
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

    init(_ definition: WorkflowDefinition) {
        let steps = definition.steps.mapValues(StepPlan.init)
        self.steps = steps
        tracks = definition.tracks.enumerated().map { TrackPlan($1, index: $0, steps: steps, definition) }
        var dueDates: [String: DuePlan] = [:]
        for (id, step) in definition.steps {
            guard let due = step.due else { continue }
            dueDates[id] = DuePlan(expression: due, reads: definition.fieldsRead(by: due), rolling: true)
        }
        for (id, reminder) in definition.reminders {
            dueDates[AgendaItem.reminderKey(id)] = DuePlan(expression: reminder.at, reads: definition.fieldsRead(by: reminder.at), rolling: false)
        }
        var dateReads = FieldSet()
        for plan in dueDates.values { dateReads.formUnion(plan.reads) }
        for track in tracks { for state in track.states { dateReads.formUnion(state.timerReads) } }
        self.dueDates = dueDates
        self.dateReads = dateReads
        reminders = Dictionary(uniqueKeysWithValues: definition.reminders.map { id, reminder in (id, ReminderPlan(id: id, reminder)) })
        var movedBy: [String: [Int]] = [:]
        for (index, track) in definition.tracks.enumerated() {
            for name in Set(track.states.flatMap(\.transitions.keys)) { movedBy[name, default: []].append(index) }
        }
        events = definition.events.mapValues { event in
            let positions = event.payload.map { definition.fieldPosition($0.field) }
            return EventPlan(
                event: event, tracks: movedBy[event.name] ?? [], fieldPositions: positions,
                movesDates: positions.map { position in
                    var field = FieldSet()
                    field.insert(position)
                    return dateReads.meets(field)
                })
        }
        requiredFields = definition.fields.indices.filter { definition.fields[$0].required }
        keptOpen = definition.steps.compactMapValues { $0.keepOpen == .never ? nil : $0.keepOpen }
    }
}

/// An event and what receiving it needs.
struct EventPlan: Sendable {
    let event: EventDefinition
    /// The tracks with a transition on the event in some state: the only ones it can move.
    let tracks: [Int]
    /// Each payload field's position among the definition's fields.
    let fieldPositions: [Int?]
    /// Whether each payload field can move a date: one that cannot need not be tracked as changed.
    let movesDates: [Bool]
}

final class TrackPlan: Sendable {
    /// Its position among the workflow's tracks.
    let index: Int
    let name: String
    let start: String
    let states: [StatePlan]
    private let stateIndex: [String: Int]

    init(_ track: TrackDefinition, index: Int, steps: [String: StepPlan], _ definition: WorkflowDefinition) {
        self.index = index
        name = track.name
        start = track.start
        states = track.states.map { StatePlan($0, track: track.name, steps: steps, definition) }
        stateIndex = Dictionary(track.states.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func state(_ name: String) -> StatePlan? { stateIndex[name].map { states[$0] } }
}

final class StatePlan: Sendable {
    let name: String
    let terminal: Bool
    /// The steps that open on entering it.
    let steps: [StepPlan]
    let onEnter: [EffectDefinition]
    let transitions: [String: [TransitionDefinition]]
    let timers: [TimerPlan]
    /// The fields its timers read, in their times and conditions.
    let timerReads: FieldSet

    init(_ state: StateDefinition, track: String, steps: [String: StepPlan], _ definition: WorkflowDefinition) {
        name = state.name
        terminal = state.terminal
        self.steps = state.steps.compactMap { steps[$0] }
        onEnter = state.onEnter
        transitions = state.transitions
        timers = state.timers.map { TimerPlan(timer: $0, firedKey: "\(track)/\(state.name)/\($0.id)") }
        var reads = FieldSet()
        for timer in state.timers {
            reads.formUnion(definition.fieldsRead(by: timer.at))
            reads.formUnion(definition.fieldsRead(by: timer.guardExpression))
        }
        timerReads = reads
    }
}

struct TimerPlan: Sendable {
    let timer: TimerDefinition
    /// How `CaseState.firedTimers` names it once fired: `track/state/timer`.
    let firedKey: String
}

final class StepPlan: Sendable {
    let id: String
    let title: String
    let who: String
    let due: Expression?
    let service: String?

    init(_ step: StepDefinition) {
        id = step.id
        title = step.title
        who = step.who
        due = step.due
        service = step.service
    }
}

final class ReminderPlan: Sendable {
    /// The key of the agenda item it makes: `reminder:ID`.
    let key: String
    let who: String
    let text: String
    let at: Expression

    init(id: String, _ reminder: ReminderDefinition) {
        key = AgendaItem.reminderKey(id)
        who = reminder.who
        text = reminder.text
        at = reminder.at
    }
}

/// A due date to count again when a field it reads changes.
struct DuePlan: Sendable {
    let expression: Expression
    let reads: FieldSet
    /// Whether a last day on a weekend or holiday moves: yes for steps, no for reminders to people.
    let rolling: Bool
}
