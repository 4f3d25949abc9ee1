/// A workflow as the core runs it: fields, events, parallel tracks of states, and steps.
///
/// Built by the loader from a YAML file; the core never reads files. Names of tracks, states,
/// events and steps are plain strings checked by the loader.
public struct WorkflowDefinition: Sendable {
    public var id: String
    public var version: Int
    public var title: String
    /// What this process is, in plain words for the client.
    public var summary: String
    /// The court calendar file the dates are counted on (`Workflows/calendars/NAME.yaml`).
    public var calendar: String?
    public var fields: [FieldDefinition]
    public var events: [String: EventDefinition]
    public var tracks: [TrackDefinition]
    /// Every step, by id: steps listed under states and steps that effects schedule.
    public var steps: [String: StepDefinition]
    /// Every reminder effect, by id, so reminders can recompute their time when data changes.
    public var reminders: [String: ReminderDefinition]
    /// SHA-256 of the file's text, set by the loader; a case pins it.
    public var contentHash: String

    public init(
        id: String, version: Int, title: String, summary: String, calendar: String?, fields: [FieldDefinition],
        events: [String: EventDefinition], tracks: [TrackDefinition], steps: [String: StepDefinition],
        reminders: [String: ReminderDefinition], contentHash: String
    ) {
        self.id = id
        self.version = version
        self.title = title
        self.summary = summary
        self.calendar = calendar
        self.fields = fields
        self.events = events
        self.tracks = tracks
        self.steps = steps
        self.reminders = reminders
        self.contentHash = contentHash
        self.fieldTypes = Dictionary(fields.map { ($0.name, $0.type) }, uniquingKeysWith: { a, _ in a })
        self.fieldIndex = Dictionary(fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        for (name, type) in WorkflowDefinition.builtinFields { fieldTypes[name] = type }
        courtDateTracks = WorkflowDefinition.tracksCounting(from: Set(fields.filter(\.courtDate).map(\.name)), tracks, steps, reminders)
    }

    /// For each court-date field, the tracks whose timers, steps or reminders count from it.
    private var courtDateTracks: [String: [String]] = [:]

    /// Whether a court date still matters to a case: the case is open, and a track that counts
    /// from the date is not over (a withdrawn petition has no hearing). A date no track counts
    /// from matters while the case is open.
    public func courtDateMatters(_ field: String, in state: CaseState) -> Bool {
        guard !state.closed else { return false }
        guard let owners = courtDateTracks[field] else { return true }
        return owners.contains { name in
            guard let current = state.tracks[name], let node = track(name)?.state(current) else { return false }
            return !node.terminal
        }
    }

    private static func tracksCounting(
        from courtDates: Set<String>, _ tracks: [TrackDefinition], _ steps: [String: StepDefinition], _ reminders: [String: ReminderDefinition]
    ) -> [String: [String]] {
        guard !courtDates.isEmpty else { return [:] }
        var owners: [String: [String]] = [:]
        for track in tracks {
            var read: Set<String> = []
            for state in track.states {
                var expressions = state.timers.map(\.at) + state.steps.compactMap { steps[$0]?.due }
                for effect in state.allEffects {
                    switch effect {
                    case .schedule(let id): if let due = steps[id]?.due { expressions.append(due) }
                    case .remind(let id): if let at = reminders[id]?.at { expressions.append(at) }
                    default: break
                    }
                }
                for expression in expressions { for (path, _) in expression.paths { read.insert(path) } }
            }
            for field in courtDates.sorted() where read.contains(field) { owners[field, default: []].append(track.name) }
        }
        return owners
    }

    /// Field types by path, including the built-in `case.opened` and `case.opened_at`.
    public private(set) var fieldTypes: [String: ValueType]
    private var fieldIndex: [String: Int]

    public static let builtinFields: [(String, ValueType)] = [("case.opened", .date), ("case.opened_at", .dateTime)]

    public func field(_ name: String) -> FieldDefinition? { fieldIndex[name].map { fields[$0] } }

    /// Where a declared field is in ``fields``.
    public func fieldPosition(_ name: String) -> Int? { fieldIndex[name] }

    public func track(_ name: String) -> TrackDefinition? { tracks.first { $0.name == name } }
}

/// A typed piece of case data.
public struct FieldDefinition: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case string, text, date, datetime, bool, number, money, `enum`, list
    }

    /// Dotted path, such as `hearing.date`.
    public var name: String
    public var kind: Kind
    public var type: ValueType
    public var label: String
    /// A sentence for the person filling the field in.
    public var help: String
    public var required: Bool
    /// Names, addresses, phone numbers: never printed in errors or logs, encrypted at rest.
    public var personal: Bool
    /// A confidential safe address: never shown unless a user explicitly unlocks it.
    public var safeAddress: Bool
    /// A court date: shown first on the agenda and exported to calendars.
    public var courtDate: Bool

    public init(
        name: String, kind: Kind, type: ValueType, label: String, help: String = "", required: Bool = false, personal: Bool = false,
        safeAddress: Bool = false, courtDate: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.type = type
        self.label = label
        self.help = help
        self.required = required
        self.personal = personal || safeAddress
        self.safeAddress = safeAddress
        self.courtDate = courtDate
    }
}

/// Something that happens to a case, with the data it brings.
public struct EventDefinition: Sendable {
    public var name: String
    public var title: String
    /// Case fields the event sets.
    public var payload: [PayloadField]
    /// Allowed in any state that is not terminal, even with no transition (a rescheduled hearing).
    public var anytime: Bool

    public init(name: String, title: String, payload: [PayloadField], anytime: Bool = false) {
        self.name = name
        self.title = title
        self.payload = payload
        self.anytime = anytime
    }
}

public struct PayloadField: Sendable {
    /// The case field this payload value is stored in.
    public var field: String
    public var required: Bool
    /// Used when the sender gives no value, such as `today`.
    public var defaultValue: Expression?

    public init(field: String, required: Bool, defaultValue: Expression? = nil) {
        self.field = field
        self.required = required
        self.defaultValue = defaultValue
    }
}

/// One of the parallel lines a case moves along (court, services).
public struct TrackDefinition: Sendable {
    public var name: String
    public var title: String
    public var start: String
    /// States in file order.
    public var states: [StateDefinition]
    private var index: [String: Int]

    public init(name: String, title: String, start: String, states: [StateDefinition]) {
        self.name = name
        self.title = title
        self.start = start
        self.states = states
        self.index = Dictionary(states.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func state(_ name: String) -> StateDefinition? { index[name].map { states[$0] } }

    /// Where a state is in ``states``: reading through the index copies no state definition.
    public func stateIndex(_ name: String) -> Int? { index[name] }
}

public struct StateDefinition: Sendable {
    public var name: String
    public var title: String
    /// What happens now, in plain words for the client.
    public var client: String
    public var terminal: Bool
    /// Steps scheduled on entering the state, by id.
    public var steps: [String]
    public var onEnter: [EffectDefinition]
    /// Transitions by event name; the first whose guard holds is taken.
    public var transitions: [String: [TransitionDefinition]]
    public var timers: [TimerDefinition]

    public init(
        name: String, title: String, client: String, terminal: Bool, steps: [String], onEnter: [EffectDefinition],
        transitions: [String: [TransitionDefinition]], timers: [TimerDefinition]
    ) {
        self.name = name
        self.title = title
        self.client = client
        self.terminal = terminal
        self.steps = steps
        self.onEnter = onEnter
        self.transitions = transitions
        self.timers = timers
    }

    /// Every effect the state can perform: on entering it, on its transitions and on its timers.
    var allEffects: [EffectDefinition] {
        onEnter + transitions.values.flatMap { $0.flatMap(\.effects) } + timers.flatMap(\.effects)
    }
}

public struct TransitionDefinition: Sendable {
    public var guardExpression: Expression?
    /// The next state; nil keeps the track where it is and only runs the effects.
    public var target: String?
    public var effects: [EffectDefinition]

    public init(guardExpression: Expression? = nil, target: String?, effects: [EffectDefinition] = []) {
        self.guardExpression = guardExpression
        self.target = target
        self.effects = effects
    }
}

/// A transition taken by the passing of time, on `tick`.
public struct TimerDefinition: Sendable {
    /// A stable name within the state, so a fired timer is not fired again.
    public var id: String
    public var at: Expression
    public var guardExpression: Expression?
    public var target: String?
    public var effects: [EffectDefinition]

    public init(id: String, at: Expression, guardExpression: Expression? = nil, target: String?, effects: [EffectDefinition] = []) {
        self.id = id
        self.at = at
        self.guardExpression = guardExpression
        self.target = target
        self.effects = effects
    }
}

/// Work for the advocate (or the client, or a partner) with a due date.
public struct StepDefinition: Sendable {
    public var id: String
    public var title: String
    /// Who does it: `advocate`, `client`, `attorney`, ...
    public var who: String
    public var due: Expression?
    public var checklist: [String]
    /// The form in `Forms/` this step fills.
    public var form: String?
    /// Glossary terms to explain to the client at this step.
    public var explain: [String]
    /// The VOCA service category completing the step counts as (`E4`).
    public var service: String?
    /// Whether the step stays on the agenda when its track moves on, until it is done: copies of
    /// an order still have to reach the police after the respondent is served.
    public var keepOpen: KeepOpen

    public init(
        id: String, title: String, who: String, due: Expression?, checklist: [String] = [], form: String? = nil,
        explain: [String] = [], service: String? = nil, keepOpen: KeepOpen = .never
    ) {
        self.id = id
        self.title = title
        self.who = who
        self.due = due
        self.checklist = checklist
        self.form = form
        self.explain = explain
        self.service = service
        self.keepOpen = keepOpen
    }
}

/// Whether a step stays on the agenda when its track leaves the state that opened it. A track
/// that reaches an end closes it whatever this says.
public enum KeepOpen: Sendable, Equatable {
    /// It closes with its state (the default).
    case never
    /// It follows its track into any state, until it is done.
    case untilDone
    /// It follows its track into these states only, until it is done.
    case into(Set<String>)

    /// Whether the step stays open when its track moves to `state`.
    public func follows(into state: String) -> Bool {
        switch self {
        case .never: false
        case .untilDone: true
        case .into(let states): states.contains(state)
        }
    }
}

public struct ReminderDefinition: Sendable {
    public var id: String
    public var who: String
    public var at: Expression
    public var text: String

    public init(id: String, who: String, at: Expression, text: String) {
        self.id = id
        self.who = who
        self.at = at
        self.text = text
    }
}

/// What entering a state or taking a transition does.
public enum EffectDefinition: Sendable {
    /// Schedule a step by id.
    case schedule(String)
    /// Fill a form from `Forms/` with the case data, when the condition (if any) holds.
    case fill(String, when: Expression?)
    /// Remind someone at a time (by reminder id).
    case remind(String)
    /// Record a service delivered, by VOCA category code.
    case service(String)
    /// Refer the client to a partner, and follow up after a period with no answer.
    case refer(id: String, to: String, followUp: Period)
    /// Record the partner's answer to a referral.
    case closeReferral(id: String, outcome: String)
    /// Set a case field to the value of an expression.
    case set(field: String, Expression)
}

extension WorkflowDefinition {
    /// The partner programs its `refer` effects name.
    public var referralNames: [String] {
        var names: [String] = []
        for track in tracks {
            for state in track.states {
                for case .refer(_, let to, _) in state.allEffects where !names.contains(to) { names.append(to) }
            }
        }
        return names
    }

    /// The fields marked personal (safe addresses included): the store seals their values.
    public var personalFieldNames: Set<String> { Set(fields.lazy.filter(\.personal).map(\.name)) }
}
