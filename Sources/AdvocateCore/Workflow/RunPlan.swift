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
    /// The tracks with a timer in some state: the only ones finding the next wake-up time looks at.
    let timedTracks: [TrackPlan]
    /// Each event with what receiving it needs, in the order of ``EventPlan/index``.
    let events: [EventPlan]
    /// Where each event is in ``events``, by its name.
    let eventIndex: NameIndex
    /// What each step's and reminder's agenda item is, with its rule, by the key the item carries (`ID`, `reminder:ID`).
    let entries: [String: AgendaItem.Entry]
    /// The fields any due date, reminder or timer reads: a change to any other moves no date.
    let dateReads: FieldSet
    /// Positions of the fields a case cannot open without.
    let requiredFields: [Int]
    /// Whether any step may stay open when its track moves on (`keep_open`).
    let keepsSteps: Bool

    init(_ definition: WorkflowDefinition, calendar: CourtCalendar, filters: FilterLibrary) {
        let layout = FieldLayout(definition)
        self.layout = layout
        trackLayout = TrackLayout(definition)
        // Steps and reminders hold expressions only; the effects bound after them name them.
        let bindExpressions = Binding(definition: definition, layout: layout, calendar: calendar, filters: filters)
        let steps = definition.steps.mapValues { StepPlan($0, definition, bindExpressions) }
        let reminders = Dictionary(uniqueKeysWithValues: definition.reminders.map { id, reminder in (id, ReminderPlan(id: id, reminder, definition, bindExpressions)) })
        let bind = Binding(definition: definition, layout: layout, calendar: calendar, filters: filters, steps: steps, reminders: reminders)
        let eventNames = definition.events.keys.sorted()
        let eventIndex = NameIndex(eventNames)
        self.eventIndex = eventIndex
        tracks = definition.tracks.enumerated().map { TrackPlan($1, index: $0, events: eventIndex, definition, bind) }
        timedTracks = tracks.filter { $0.states.contains { !$0.timers.isEmpty } }
        var entries: [String: AgendaItem.Entry] = [:]
        for step in steps.values { entries[step.entry.key] = step.entry }
        for reminder in reminders.values { entries[reminder.entry.key] = reminder.entry }
        var dateReads = FieldSet()
        for entry in entries.values { if let due = entry.rule?.due { dateReads.formUnion(due.reads) } }
        for track in tracks { for state in track.states { dateReads.formUnion(state.timerReads) } }
        self.entries = entries
        self.dateReads = dateReads
        var movedBy: [String: [Int]] = [:]
        for (index, track) in definition.tracks.enumerated() {
            for name in Set(track.states.flatMap(\.transitions.keys)) { movedBy[name, default: []].append(index) }
        }
        events = eventNames.enumerated().map { index, key in
            let event = definition.events[key]!
            let positions = event.payload.map { definition.fieldPosition($0.field) }
            return EventPlan(
                payload: event.payload, anytime: event.anytime, index: index, tracks: movedBy[key] ?? [], fieldPositions: positions, defaults: event.payload.map { $0.defaultValue.map(bind.callAsFunction) },
                movesDates: positions.map { position in
                    var field = FieldSet()
                    field.insert(position)
                    return dateReads.meets(field)
                })
        }
        requiredFields = definition.fields.indices.filter { definition.fields[$0].required }
        keepsSteps = definition.steps.values.contains { $0.keepOpen != .never }
    }
}

/// Binds the expressions a plan holds to its layout and filters, and finds the steps and
/// reminders its effects name.
struct Binding {
    let definition: WorkflowDefinition
    let layout: FieldLayout
    /// The calendar due dates are counted on.
    let calendar: CourtCalendar
    let filters: FilterLibrary
    /// The steps and reminders effects can name; empty while the steps and reminders themselves are bound.
    let steps: [String: StepPlan]
    let reminders: [String: ReminderPlan]

    init(
        definition: WorkflowDefinition, layout: FieldLayout, calendar: CourtCalendar, filters: FilterLibrary, steps: [String: StepPlan] = [:],
        reminders: [String: ReminderPlan] = [:]
    ) {
        self.definition = definition
        self.layout = layout
        self.calendar = calendar
        self.filters = filters
        self.steps = steps
        self.reminders = reminders
    }

    func callAsFunction(_ expression: Expression) -> Expression { expression.bound(to: layout, filters: filters) }

    func callAsFunction(_ expression: Expression?) -> Expression? { expression.map { $0.bound(to: layout, filters: filters) } }

    /// The effects, each with what it names found. A step or reminder the workflow lacks (only in
    /// a definition the loader did not check) is left out, as the runner always skipped it.
    func callAsFunction(_ effects: [EffectDefinition]) -> [EffectPlan] {
        effects.compactMap { effect in
            switch effect {
            case .schedule(let id): steps[id].map(EffectPlan.schedule)
            case .fill(let form, let condition): .fill(form: form, when: self(condition))
            case .remind(let id): reminders[id].map(EffectPlan.remind)
            case .service(let code): .service(code)
            case .refer(let id, let to, let followUp): .refer(id: id, to: to, followUp: followUp)
            case .closeReferral(let id, let outcome): .closeReferral(id: id, outcome: outcome)
            case .set(let field, let expression): .set(field: field, position: definition.fieldPosition(field), self(expression))
            }
        }
    }

    func callAsFunction(_ transition: TransitionDefinition, in track: TrackDefinition) -> TransitionPlan {
        TransitionPlan(
            guardExpression: self(transition.guardExpression), target: transition.target,
            targetIndex: transition.target.flatMap { target in track.states.firstIndex { $0.name == target } }, effects: self(transition.effects))
    }
}

/// An effect ready to perform: the step or reminder it names is found when the plan is made.
enum EffectPlan: Sendable {
    case schedule(StepPlan)
    case fill(form: String, when: Expression?)
    case remind(ReminderPlan)
    case service(String)
    case refer(id: String, to: String, followUp: Period)
    case closeReferral(id: String, outcome: String)
    /// `position`: the field's place in the layout (nil only for a definition the loader did not check).
    case set(field: String, position: Int?, Expression)
}

/// A transition, bound, with its target found in its track. A class, so trying a state's
/// transitions lends references instead of copying each.
final class TransitionPlan: Sendable {
    let guardExpression: Expression?
    /// The next state's name; nil keeps the track where it is and only runs the effects.
    let target: String?
    /// The next state's position in the track; nil with a target only in a definition the loader did not check.
    let targetIndex: Int?
    let effects: [EffectPlan]

    init(guardExpression: Expression?, target: String?, targetIndex: Int?, effects: [EffectPlan]) {
        self.guardExpression = guardExpression
        self.target = target
        self.targetIndex = targetIndex
        self.effects = effects
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
    /// For each place in the payload, the first place that names the same field (itself, unless
    /// the payload lists a field twice): what ``payloadPosition(_:)`` finds for its field.
    let firstPositions: [Int]

    /// The first place in the payload that sets `field`. By index, so no payload field is copied to compare it.
    func payloadPosition(_ field: String) -> Int? {
        for position in payload.indices where payload[position].field == field { return position }
        return nil
    }

    init(payload: [PayloadField], anytime: Bool, index: Int, tracks: [Int], fieldPositions: [Int?], defaults: [Expression?], movesDates: [Bool]) {
        self.payload = payload
        self.anytime = anytime
        self.index = index
        self.tracks = tracks
        self.fieldPositions = fieldPositions
        self.defaults = defaults
        self.movesDates = movesDates
        firstPositions = payload.indices.map { position in payload.firstIndex { $0.field == payload[position].field } ?? position }
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

    init(_ track: TrackDefinition, index: Int, events: NameIndex, _ definition: WorkflowDefinition, _ bind: Binding) {
        self.index = index
        name = track.name
        startName = track.start
        let states = track.states.enumerated().map { StatePlan($1, index: $0, track: track, events: events, definition, bind) }
        self.states = states
        start = states.first { $0.name == track.start }
    }
}

final class StatePlan: Sendable {
    /// Its position in its track.
    let index: Int
    let name: String
    /// `track/state`: where a service its effects record came from.
    let source: String
    /// Where the agenda items it gives belong.
    let place: AgendaItem.Place
    let terminal: Bool
    /// The steps that open on entering it.
    let steps: [StepPlan]
    let onEnter: [EffectPlan]
    /// The transitions on each event, by the event's position (``EventPlan/index``); nil for an event it has none on.
    let transitions: [[TransitionPlan]?]
    let timers: [TimerPlan]
    /// The fields its timers read, in their times and conditions.
    let timerReads: FieldSet

    init(
        _ state: StateDefinition, index: Int, track: TrackDefinition, events: NameIndex, _ definition: WorkflowDefinition, _ bind: Binding
    ) {
        self.index = index
        name = state.name
        source = track.name + "/" + state.name
        place = AgendaItem.Place(track: track.name, state: state.name, layout: bind.layout)
        terminal = state.terminal
        steps = state.steps.compactMap { bind.steps[$0] }
        onEnter = bind(state.onEnter)
        var transitions = [[TransitionPlan]?](repeating: nil, count: events.count)
        for (event, list) in state.transitions {
            if let position = events.position(event) { transitions[position] = list.map { bind($0, in: track) } }
        }
        self.transitions = transitions
        timers = state.timers.map { timer in
            TimerPlan(
                id: timer.id, at: bind(timer.at), firedKey: "\(track.name)/\(state.name)/\(timer.id)",
                transition: bind(TransitionDefinition(guardExpression: timer.guardExpression, target: timer.target, effects: timer.effects), in: track))
        }
        var reads = FieldSet()
        for timer in state.timers {
            reads.formUnion(definition.fieldsRead(by: timer.at))
            reads.formUnion(definition.fieldsRead(by: timer.guardExpression))
        }
        timerReads = reads
    }
}

/// A timer, bound: when it fires, and the transition it then takes (its condition is the
/// transition's guard). A class, so walking a state's timers lends references instead of copying each.
final class TimerPlan: Sendable {
    let id: String
    let at: Expression
    /// How `CaseState.firedTimers` names it once fired: `track/state/timer`.
    let firedKey: String
    let transition: TransitionPlan

    init(id: String, at: Expression, firedKey: String, transition: TransitionPlan) {
        self.id = id
        self.at = at
        self.firedKey = firedKey
        self.transition = transition
    }
}

final class StepPlan: Sendable {
    /// Its agenda item's key (the step's id), words and rule.
    let entry: AgendaItem.Entry
    /// When it is due: its rule's.
    var due: DuePlan? { entry.rule?.due }

    init(_ step: StepDefinition, _ definition: WorkflowDefinition, _ bind: Binding) {
        let due = bind(step.due).map { DuePlan(expression: $0, reads: definition.fieldsRead(by: $0), rolling: true, calendar: bind.calendar) }
        let rule = ItemRule(layout: bind.layout, due: due, keepOpen: step.keepOpen, service: step.service)
        entry = AgendaItem.Entry(key: step.id, kind: .step, title: step.title, who: step.who, rule: rule)
    }
}

final class ReminderPlan: Sendable {
    /// Its agenda item's key (`reminder:ID`), words (the reminder's text) and rule.
    let entry: AgendaItem.Entry
    /// When it is due: the same as its rule's, kept here as well because a reminder always has one.
    let due: DuePlan

    init(id: String, _ reminder: ReminderDefinition, _ definition: WorkflowDefinition, _ bind: Binding) {
        let at = bind(reminder.at)
        due = DuePlan(expression: at, reads: definition.fieldsRead(by: at), rolling: false, calendar: bind.calendar)
        let rule = ItemRule(layout: bind.layout, due: due, keepOpen: .never, service: nil)
        entry = AgendaItem.Entry(key: AgendaItem.reminderKey(id), kind: .reminder, title: reminder.text, who: reminder.who, rule: rule)
    }
}

/// What the runner needs to know of a step's or reminder's agenda item, carried by the item.
final class ItemRule: Sendable {
    /// The layout of the plan that made it: a run uses a rule only when it is its own plan's.
    let layout: FieldLayout
    let due: DuePlan?
    let keepOpen: KeepOpen
    /// The VOCA category completing it counts as.
    let service: String?

    /// ``keepOpen`` as a transition asks it: the few states named are searched, not hashed.
    private let followsAnywhere: Bool
    private let followsInto: [String]

    init(layout: FieldLayout, due: DuePlan?, keepOpen: KeepOpen, service: String?) {
        self.layout = layout
        self.due = due
        self.keepOpen = keepOpen
        self.service = service
        switch keepOpen {
        case .never: (followsAnywhere, followsInto) = (false, [])
        case .untilDone: (followsAnywhere, followsInto) = (true, [])
        case .into(let states): (followsAnywhere, followsInto) = (false, Array(states))
        }
    }

    /// Whether the item stays open when its track moves to `state` (``KeepOpen/follows(into:)``).
    func follows(into state: String) -> Bool { followsAnywhere || followsInto.contains(state) }
}

/// A due date to count again when a field it reads changes.
final class DuePlan: Sendable {
    let expression: Expression
    let reads: FieldSet
    /// Whether a last day on a weekend or holiday moves: yes for steps, no for reminders to people.
    let rolling: Bool
    /// For an expression that is `field ± period` or `field` (or counts from `today` or `now`): what each due date it gives shares.
    let counting: DueDate.Counting?

    init(expression: Expression, reads: FieldSet, rolling: Bool, calendar: CourtCalendar) {
        self.expression = expression
        self.reads = reads
        self.rolling = rolling
        counting = expression.fieldOffset.map { offset in
            guard let period = offset.period else { return .uncounted }
            return DueDate.Counting(
                explanations: Explanations(), storedReasons: nil,
                rule: .init(period: period, direction: offset.direction, rolling: rolling, calendar: calendar))
        }
    }
}
