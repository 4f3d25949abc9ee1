/// A workflow's words in another language: what the client reads on her page, and the titles an
/// advocate sees. Kept apart from the definition, so translating a workflow never changes the
/// definition (and content hash) a running case is pinned to.
public struct WorkflowTranslation: Sendable {
    public struct Track: Sendable {
        public var title: String?
        public var states: [String: State]
        public init(title: String?, states: [String: State]) {
            self.title = title
            self.states = states
        }
    }

    public struct State: Sendable {
        public var title: String?
        public var client: String?
        public init(title: String?, client: String?) {
            self.title = title
            self.client = client
        }
    }

    /// The workflow's id.
    public var workflow: String
    /// A language code, such as `es`.
    public var language: String
    public var title: String?
    public var summary: String?
    public var tracks: [String: Track]
    /// Step titles by step id.
    public var steps: [String: String]
    /// Event titles by event name.
    public var events: [String: String]
    /// Field labels by field name.
    public var fields: [String: String]
    /// Field help by field name.
    public var fieldHelp: [String: String] = [:]
    /// An enum field's choices as people read them, by field name and then the stored (English) value.
    public var choices: [String: [String: String]] = [:]
    /// Reminder texts by their English text (reminders have no names; the English text is the key,
    /// as a case keeps the text it was scheduled with).
    public var reminders: [String: String] = [:]
    /// Checklist lines by their English text, as reminders are.
    public var checklist: [String: String] = [:]
    /// Partner programs by the name a `refer` effect gives them.
    public var referrals: [String: String] = [:]
    /// A follow-up's title, with `{to}` where the program's name goes.
    public var followUp: String?

    public init(
        workflow: String, language: String, title: String?, summary: String?, tracks: [String: Track], steps: [String: String],
        events: [String: String], fields: [String: String]
    ) {
        self.workflow = workflow
        self.language = language
        self.title = title
        self.summary = summary
        self.tracks = tracks
        self.steps = steps
        self.events = events
        self.fields = fields
    }
}

/// A workflow's words in one language: the translation where it has one, else the definition's
/// own (English) text, so a missing translation never leaves a blank.
public struct WorkflowWords: Sendable {
    public let definition: WorkflowDefinition
    public let translation: WorkflowTranslation?

    public init(definition: WorkflowDefinition, translation: WorkflowTranslation?) {
        self.definition = definition
        self.translation = translation
    }

    public var title: String { translation?.title ?? definition.title }
    public var summary: String { translation?.summary ?? definition.summary }

    public func title(ofTrack track: TrackDefinition) -> String {
        translation?.tracks[track.name]?.title ?? track.title
    }

    public func title(ofState state: StateDefinition, in track: TrackDefinition) -> String {
        translation?.tracks[track.name]?.states[state.name]?.title ?? state.title
    }

    /// What happens now, for the client.
    public func client(_ state: StateDefinition, in track: TrackDefinition) -> String {
        translation?.tracks[track.name]?.states[state.name]?.client ?? state.client
    }

    /// A step's title by id; `fallback` (the title a case stored, or the definition's) where the translation has none.
    public func title(ofStep id: String, fallback: String) -> String {
        translation?.steps[id] ?? fallback
    }

    /// An open item's title. A reminder's title is its text, translated by that text; a
    /// follow-up's names the program.
    public func title(of item: AgendaItem) -> String {
        title(of: item.kind, key: item.key, stored: item.title)
    }

    /// The same for an item known by its kind, key and the title it was stored with.
    public func title(of kind: AgendaItem.Kind, key: String, stored: String) -> String {
        switch kind {
        case .step: return title(ofStep: key, fallback: stored)
        case .reminder: return translation?.reminders[stored] ?? stored
        case .followUp:
            guard let template = translation?.followUp, let to = FollowUp.program(inTitle: stored) else { return stored }
            return template.replacing("{to}", with: referral(to))
        }
    }

    /// A step's checklist, line by line; a line with no translation stays English.
    public func checklist(ofStep id: String) -> [String] {
        (definition.steps[id]?.checklist ?? []).map { translation?.checklist[$0] ?? $0 }
    }

    /// A partner program's name.
    public func referral(_ name: String) -> String { translation?.referrals[name] ?? name }

    public func title(ofEvent name: String) -> String {
        translation?.events[name] ?? definition.events[name]?.title ?? name
    }

    /// A field's label; `fallback` (a label a case stored) comes before the definition's.
    public func label(ofField name: String, fallback: String? = nil) -> String {
        translation?.fields[name] ?? fallback ?? definition.field(name)?.label ?? name
    }

    public func help(ofField name: String) -> String {
        translation?.fieldHelp[name] ?? definition.field(name)?.help ?? ""
    }

    /// An enum value as people read it; the stored value stays the English one.
    public func label(ofChoice value: String, field name: String) -> String {
        translation?.choices[name]?[value] ?? value
    }
}

/// The title of a referral's follow-up, written and read in one place so a translation can find
/// the program's name in a title a case stored.
public enum FollowUp {
    static let prefix = "Follow up: no answer yet from "

    public static func title(to program: String) -> String { prefix + program }

    /// The program a follow-up title names, or nil for another title.
    public static func program(inTitle title: String) -> String? {
        title.hasPrefix(prefix) ? String(title.dropFirst(prefix.count)) : nil
    }
}
