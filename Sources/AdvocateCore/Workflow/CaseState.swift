/// Everything the core knows about one case: its data, where each track is, and what is open.
///
/// It is a pure function of the journal: replaying the inputs from the start gives the same value.
public struct CaseState: Sendable, Equatable, Codable {
    public var data: CaseData
    /// The current state of each track, by track name.
    public var tracks: TrackStates
    /// Steps, reminders and follow-ups not yet done, in the order they appeared.
    public var items: [AgendaItem]
    public var referrals: [Referral]
    /// VOCA services delivered.
    public var services: [ServiceRecord]
    /// Timers already fired in the tracks' current states (`track/state/timer`).
    public var firedTimers: [String]
    /// How many inputs have been applied.
    public var sequence: Int
    /// The earliest time at which a tick could change something, so the store can skip idle cases.
    public var nextWake: LocalDateTime?
    /// True when every track has reached a terminal state.
    public var closed: Bool

    public init() {
        data = CaseData()
        tracks = TrackStates()
        items = []
        referrals = []
        services = []
        firedTimers = []
        sequence = 0
        nextWake = nil
        closed = false
    }
}

/// One line of the agenda: a step, a reminder or a referral follow-up.
public struct AgendaItem: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case step, reminder, followUp = "follow-up"
    }

    /// What it is: made once for each step and reminder by the workflow's plan and shared by
    /// every item of it, so making, copying and freeing an item counts one reference, not four strings.
    var entry: Entry
    /// The track and state it belongs to, shared the same way by every item its state gives.
    var place: Place
    /// The due date, or nil while the fields it depends on are unset.
    public var due: DueDate?

    /// Unique among the case's open items: the step id, `reminder:ID` or `follow-up:REFERRAL#N`.
    public var key: String {
        get { entry.key }
        set { entry = Entry(key: newValue, kind: entry.kind, title: entry.title, who: entry.who, rule: nil) }
    }
    public var kind: Kind { entry.kind }
    public var title: String { entry.title }
    public var who: String { entry.who }
    /// The track and state it belongs to: the one that scheduled it, or for a step kept open
    /// until done, the one its track has moved on to. It closes when the track leaves that state.
    public var track: String? { place.track }
    public var state: String? { place.state }
    /// The workflow's rule for it (its due date, `keep_open` and service), found by its key and
    /// then carried, so a transition reads it without a lookup. Not stored: a case read back has
    /// its items' rules found again.
    var rule: ItemRule? { entry.rule }

    public init(key: String, kind: Kind, title: String, who: String, track: String? = nil, state: String? = nil, due: DueDate?) {
        let place = track == nil && state == nil ? Place.nowhere : Place(track: track, state: state)
        self.init(entry: Entry(key: key, kind: kind, title: title, who: who, rule: nil), place: place, due: due)
    }

    init(entry: Entry, place: Place, due: DueDate?) {
        self.entry = entry
        self.place = place
        self.due = due
    }

    /// The key, kind, words and rule of an item.
    final class Entry: Sendable {
        let key: String
        let kind: Kind
        let title: String
        let who: String
        /// nil for a follow-up, and for an item read back from storage until its rule is found.
        let rule: ItemRule?

        init(key: String, kind: Kind, title: String, who: String, rule: ItemRule?) {
            self.key = key
            self.kind = kind
            self.title = title
            self.who = who
            self.rule = rule
        }

        /// The same words, with `rule`: this one's plan entry when the words match, so it is shared.
        func withRule(from planned: Entry) -> Entry {
            if sameWords(as: planned) { return planned }
            return Entry(key: key, kind: kind, title: title, who: who, rule: planned.rule)
        }

        /// The same words with no rule.
        func withoutRule() -> Entry { Entry(key: key, kind: kind, title: title, who: who, rule: nil) }

        func sameWords(as other: Entry) -> Bool {
            self === other || key == other.key && kind == other.kind && title == other.title && who == other.who
        }
    }

    /// Where an item belongs: a track and one of its states (neither for a follow-up).
    final class Place: Sendable {
        let track: String?
        let state: String?
        /// The layout of the plan that made this place for one of its states; nil for a place read
        /// back from storage. A plan makes one place per state, and the loader keeps track names,
        /// and state names within a track, unique, so two places of one plan are two states.
        let layout: FieldLayout?

        init(track: String?, state: String?, layout: FieldLayout? = nil) {
            self.track = track
            self.state = state
            self.layout = layout
        }

        /// Whether this is `track`'s `state`, which `plan` stands for.
        func isState(_ plan: StatePlan, of track: String) -> Bool {
            if self === plan.place { return true }
            if layout != nil && layout === plan.place.layout { return false }
            return self.state == plan.name && self.track == track
        }

        static let nowhere = Place(track: nil, state: nil)
    }

    /// Every field but the rule, which is derived from the key.
    public static func == (a: AgendaItem, b: AgendaItem) -> Bool {
        a.entry.sameWords(as: b.entry) && (a.place === b.place || a.place.track == b.place.track && a.place.state == b.place.state) && a.due == b.due
    }

    private enum CodingKeys: String, CodingKey { case key, kind, title, who, track, state, due }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            key: try container.decode(String.self, forKey: .key), kind: try container.decode(Kind.self, forKey: .kind),
            title: try container.decode(String.self, forKey: .title), who: try container.decode(String.self, forKey: .who),
            track: try container.decodeIfPresent(String.self, forKey: .track), state: try container.decodeIfPresent(String.self, forKey: .state),
            due: try container.decodeIfPresent(DueDate.self, forKey: .due))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(kind, forKey: .kind)
        try container.encode(title, forKey: .title)
        try container.encode(who, forKey: .who)
        try container.encodeIfPresent(track, forKey: .track)
        try container.encodeIfPresent(state, forKey: .state)
        try container.encodeIfPresent(due, forKey: .due)
    }
}

extension AgendaItem {
    /// The key of the item a reminder puts on the agenda.
    static func reminderKey(_ id: String) -> String { "reminder:" + id }
}

/// A computed due date with the reasons behind it.
public struct DueDate: Sendable, Equatable, Codable {
    public var moment: LocalDateTime {
        get { LocalDateTime(totalMinutes: minutes) }
        set {
            ownCounting()
            minutes = newValue.totalMinutes
        }
    }
    public var hasTime: Bool {
        get { timed }
        set {
            ownCounting()
            timed = newValue
        }
    }
    private var timed: Bool
    /// The moment and what the count started from, each one number of minutes: an agenda item is
    /// then small enough that Swift copies it inline rather than through generic value witnesses.
    /// (A moment made with a minute of the day outside 0..<1440 reads back as the day it falls in.)
    private var minutes: Int
    /// What the count started from, when ``counted`` is a rule's (``Counting/rule``).
    private var triggerMinutes: Int
    private var trigger: LocalDateTime { LocalDateTime(totalMinutes: triggerMinutes) }
    /// How it was counted: shared rather than copied, as a due date is handed on several times
    /// between being counted and being stored.
    private var counted: Counting

    /// How a date was counted: as data until someone reads ``reasons``, or as words read back
    /// from storage. A workflow rule's due dates all share the rule's one `Counting`, which holds
    /// what they have in common (period, direction, calendar), so counting one allocates nothing.
    final class Counting: Sendable {
        let explanations: Explanations
        let storedReasons: [String]?
        let rule: Rule?

        /// What every due date counted by one rule has in common.
        struct Rule: Sendable {
            let period: Period
            let direction: Direction
            let rolling: Bool
            let calendar: CourtCalendar
        }

        init(explanations: Explanations, storedReasons: [String]?, rule: Rule? = nil) {
            self.explanations = explanations
            self.storedReasons = storedReasons
            self.rule = rule
        }

        /// Shared by due dates that are a field's date as it stands, counted from nothing.
        static let uncounted = Counting(explanations: Explanations(), storedReasons: nil)
    }

    public init(moment: LocalDateTime, hasTime: Bool, reasons: [String]) {
        minutes = moment.totalMinutes
        timed = hasTime
        triggerMinutes = minutes
        counted = Counting(explanations: Explanations(), storedReasons: reasons)
    }

    init(moment: LocalDateTime, hasTime: Bool, explanations: Explanations) {
        minutes = moment.totalMinutes
        timed = hasTime
        triggerMinutes = minutes
        counted = Counting(explanations: explanations, storedReasons: nil)
    }

    /// A due date counted from `trigger` by a rule's shared `counting` (with ``Counting/rule``,
    /// or ``Counting/uncounted`` for a date taken as it stands).
    init(moment: LocalDateTime, hasTime: Bool, trigger: LocalDateTime, sharing counting: Counting) {
        minutes = moment.totalMinutes
        timed = hasTime
        triggerMinutes = trigger.totalMinutes
        counted = counting
    }

    /// Keeps how it was counted in a box of its own, before its moment is changed by hand: a
    /// rule's shared counting reads the end and the time of day from the due date itself.
    private mutating func ownCounting() {
        if counted.rule != nil { counted = Counting(explanations: explanations, storedReasons: nil) }
    }

    /// How it was counted, as data.
    private var explanations: Explanations {
        guard let rule = counted.rule else { return counted.explanations }
        return Explanations(
            DeadlineExplanation(
                trigger: trigger, period: rule.period, direction: rule.direction, hasTime: hasTime, rolling: rule.rolling, end: moment.date,
                calendar: rule.calendar))
    }

    /// How it was counted and why it moved, in plain sentences.
    public var reasons: [String] { counted.storedReasons ?? explanations.all.flatMap(\.reasons) }

    public var date: CivilDate { moment.date }
    public var iso: String { hasTime ? moment.iso : moment.date.iso }

    public static func == (a: DueDate, b: DueDate) -> Bool {
        guard a.minutes == b.minutes, a.timed == b.timed else { return false }
        if a.counted === b.counted && (a.counted.rule == nil || a.triggerMinutes == b.triggerMinutes) { return true }
        return a.explanations == b.explanations && a.counted.storedReasons == b.counted.storedReasons || a.reasons == b.reasons
    }

    private enum CodingKeys: String, CodingKey { case moment, hasTime, reasons }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        minutes = try container.decode(LocalDateTime.self, forKey: .moment).totalMinutes
        timed = try container.decode(Bool.self, forKey: .hasTime)
        triggerMinutes = minutes
        counted = Counting(explanations: Explanations(), storedReasons: try container.decode([String].self, forKey: .reasons))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(moment, forKey: .moment)
        try container.encode(hasTime, forKey: .hasTime)
        try container.encode(reasons, forKey: .reasons)
    }
}

public struct Referral: Sendable, Equatable, Codable {
    public var id: String
    public var to: String
    public var sent: LocalDateTime
    public var followUp: Period
    /// When the next follow-up step appears if no answer has come.
    public var nextFollowUp: LocalDateTime
    public var followUps: Int
    /// nil while waiting for an answer; otherwise `accepted`, `declined`, ...
    public var outcome: String?
}

public struct ServiceRecord: Sendable, Equatable, Codable {
    /// VOCA category code, such as `E4`.
    public var code: String
    public var date: CivilDate
    /// The step completed or the state entered that gave it.
    public var source: String
}

/// Types stored as one piece of text (`2026-11-19`, `2026-11-19T09:00`, `3 court days`).
protocol TextCodable: Codable {
    init?(storedText: String)
    var storedText: String { get }
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(storedText: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "cannot read \(Self.self) from '\(text)'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(storedText)
    }
}

extension CivilDate: TextCodable {
    init?(storedText: String) { self.init(iso: storedText) }
    var storedText: String { iso }
}

extension LocalDateTime: TextCodable {
    init?(storedText: String) { self.init(iso: storedText) }
    var storedText: String { iso }
}

extension Period: TextCodable {
    init?(storedText: String) { self.init(storedText) }
    var storedText: String { description }

    /// Parses `3 court days`, `14 days`, `72 hours`.
    public init?(_ text: String) {
        guard let expression = try? Expression(text), case .literal(.period(let period)) = expression.root.kind else { return nil }
        self = period
    }
}

/// Values are stored tagged (`{"date": "2026-11-19"}`), so a stored journal decodes to the same values.
extension Value: Codable {
    private enum Tag: String, CodingKey {
        case null, bool, number, money, string, date, datetime, period, list, record
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Tag.self)
        guard let tag = container.allKeys.first else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "untagged value"))
        }
        switch tag {
        case .null: self = .null
        case .bool: self = .bool(try container.decode(Bool.self, forKey: tag))
        case .number: self = .number(try container.decode(Double.self, forKey: tag))
        case .money: self = .money(try container.decode(Int64.self, forKey: tag))
        case .string: self = .string(try container.decode(String.self, forKey: tag))
        case .date: self = .date(try container.decode(CivilDate.self, forKey: tag))
        case .datetime: self = .dateTime(try container.decode(LocalDateTime.self, forKey: tag))
        case .period: self = .period(try container.decode(Period.self, forKey: tag))
        case .list: self = .list(try container.decode([Value].self, forKey: tag))
        case .record: self = .record(try container.decode([String: Value].self, forKey: tag))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Tag.self)
        switch self {
        case .null: try container.encodeNil(forKey: .null)
        case .bool(let b): try container.encode(b, forKey: .bool)
        case .number(let n): try container.encode(n, forKey: .number)
        case .money(let m): try container.encode(m, forKey: .money)
        case .string(let s): try container.encode(s, forKey: .string)
        case .date(let d): try container.encode(d, forKey: .date)
        case .dateTime(let t): try container.encode(t, forKey: .datetime)
        case .period(let p): try container.encode(p, forKey: .period)
        case .list(let l): try container.encode(l, forKey: .list)
        case .record(let r): try container.encode(r, forKey: .record)
        }
    }
}
