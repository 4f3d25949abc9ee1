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

    /// An open item's title: a step's is translated; reminders and follow-ups keep the title they were made with.
    public func title(of item: AgendaItem) -> String {
        item.kind == .step ? title(ofStep: item.key, fallback: item.title) : item.title
    }

    public func title(ofEvent name: String) -> String {
        translation?.events[name] ?? definition.events[name]?.title ?? name
    }

    /// A field's label; `fallback` (a label a case stored) comes before the definition's.
    public func label(ofField name: String, fallback: String? = nil) -> String {
        translation?.fields[name] ?? fallback ?? definition.field(name)?.label ?? name
    }
}
