/// The names a workflow's case data can hold, each with a fixed position: its declared fields in
/// order, then the built-in `case.opened` and `case.opened_at`.
///
/// Made once per workflow. Case data laid out on it keeps each value at its field's position,
/// and expressions bound to it read a field by position, so a transition hashes no names.
public final class FieldLayout: Sendable {
    public let names: [String]
    private let index: NameIndex

    init(_ names: [String]) {
        self.names = names
        index = NameIndex(names)
    }

    convenience init(_ definition: WorkflowDefinition) {
        self.init(definition.fields.map(\.name) + WorkflowDefinition.builtinFields.map(\.0))
    }

    /// Where `name` is kept, or nil for a name the workflow does not declare.
    public func position(_ name: String) -> Int? { index.position(name) }

    /// The layout of data that belongs to no workflow: every value is kept by name.
    static let none = FieldLayout([])
}

extension Array {
    /// `count` nils. Measured on a case's 60-odd fields, this costs about a third less than
    /// `Array(repeating:count:)` (about 900 instructions against 1,400) and much less than copying
    /// a template, whose every value is copied when it is first written.
    static func unset<Wrapped>(_ count: Int) -> Self where Element == Wrapped? {
        Self(unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.initialize(repeating: nil)
            initialized = count
        }
    }
}

/// A case's data: values by full dotted path (`hearing.date`), read and written like a dictionary.
///
/// Values of a workflow's declared fields are kept by position on its ``FieldLayout``; anything
/// else (a field another version of the workflow declared, data not yet tied to a workflow) is
/// kept by name. Which one holds a value never shows: two `CaseData` with the same names and
/// values are equal, and both encode as the same JSON object.
public struct CaseData: Sendable, Equatable, Codable, Sequence, ExpressibleByDictionaryLiteral {
    private(set) var layout: FieldLayout
    /// One per name in the layout; nil while unset.
    private(set) var slots: [Value?]
    /// Values under names the layout does not have.
    private(set) var others: [String: Value]

    public init() {
        layout = .none
        slots = []
        others = Dictionary()
    }

    public init(_ values: [String: Value]) {
        layout = .none
        slots = []
        others = values
    }

    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    init(layout: FieldLayout) {
        self.layout = layout
        slots = .unset(layout.names.count)
        others = Dictionary()
    }

    public subscript(name: String) -> Value? {
        get {
            if let position = layout.position(name) { return slots[position] }
            return others.isEmpty ? nil : others[name]
        }
        set {
            if let position = layout.position(name) { slots[position] = newValue } else { others[name] = newValue }
        }
    }

    /// The value at a position of ``layout``.
    subscript(position position: Int) -> Value? {
        get { slots[position] }
        set { slots[position] = newValue }
    }

    /// Keeps the same values on `layout`; nothing is done when it is laid out on it already.
    mutating func lay(on layout: FieldLayout) {
        guard layout !== self.layout else { return }
        var laid = CaseData(layout: layout)
        if slots.isEmpty && others.isEmpty {
            self = laid
            return
        }
        for (name, value) in self { laid[name] = value }
        self = laid
    }

    /// Whether any value is kept by name rather than by position.
    var hasOthers: Bool { !others.isEmpty }

    public var dictionary: [String: Value] {
        var result = others
        for (position, value) in slots.enumerated() { if let value { result[layout.names[position]] = value } }
        return result
    }

    public var keys: [String] { map(\.key) }
    public var count: Int { others.count + slots.lazy.filter { $0 != nil }.count }
    public var isEmpty: Bool { others.isEmpty && slots.allSatisfy { $0 == nil } }

    public func makeIterator() -> some IteratorProtocol<(key: String, value: Value)> {
        let laid = slots.enumerated().lazy.compactMap { [layout] position, value in value.map { (key: layout.names[position], value: $0) } }
        return laid.makeIterator().chain(others.lazy.map { (key: $0.key, value: $0.value) }.makeIterator())
    }

    public static func == (a: CaseData, b: CaseData) -> Bool {
        if a.layout === b.layout { return a.slots == b.slots && a.others == b.others }
        return a.dictionary == b.dictionary
    }

    public init(from decoder: any Decoder) throws { self.init(try [String: Value](from: decoder)) }

    public func encode(to encoder: any Encoder) throws { try dictionary.encode(to: encoder) }
}

/// One iterator after another.
private struct Chained<First: IteratorProtocol, Second: IteratorProtocol>: IteratorProtocol where First.Element == Second.Element {
    var first: First
    var second: Second
    var firstDone = false

    mutating func next() -> First.Element? {
        if !firstDone {
            if let element = first.next() { return element }
            firstDone = true
        }
        return second.next()
    }
}

extension IteratorProtocol {
    fileprivate func chain<Other: IteratorProtocol>(_ other: Other) -> Chained<Self, Other> where Other.Element == Element {
        Chained(first: self, second: other)
    }
}

/// The tracks of a workflow and the states each can be in, with fixed positions.
public final class TrackLayout: Sendable {
    public let names: [String]
    private let index: [String: Int]
    private let stateIndex: [[String: Int]]
    /// No track in any state: new track states start as a copy of it. For a workflow's few tracks,
    /// copying it when a track first moves costs less than making the array afresh (see ``Array/unset(_:)``).
    let unset: [(name: String, position: Int?)?]

    init(_ tracks: [(name: String, states: [String])]) {
        names = tracks.map(\.name)
        unset = Array(repeating: nil, count: tracks.count)
        index = Dictionary(tracks.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        stateIndex = tracks.map { track in Dictionary(track.states.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }) }
    }

    convenience init(_ definition: WorkflowDefinition) {
        self.init(definition.tracks.map { (name: $0.name, states: $0.states.map(\.name)) })
    }

    func position(_ track: String) -> Int? { index[track] }

    func position(ofState state: String, inTrack track: Int) -> Int? { stateIndex[track][state] }

    static let none = TrackLayout([])
}

/// Where each of a case's tracks is: state names by track name, read and written like a dictionary.
///
/// The tracks of the case's workflow are kept by position on its ``TrackLayout``, with each
/// state's position in its track, so a transition finds the current states without hashing
/// their names. As with ``CaseData``, where a value is kept never shows.
public struct TrackStates: Sendable, Equatable, Codable, Sequence, ExpressibleByDictionaryLiteral {
    private(set) var layout: TrackLayout
    /// By track position: the state's name, and its position in the track (nil if it has none there).
    private var states: [(name: String, position: Int?)?]
    private var others: [String: String]

    public init() {
        layout = .none
        states = []
        others = Dictionary()
    }

    public init(_ states: [String: String]) {
        self.init()
        others = states
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    public subscript(track: String) -> String? {
        get {
            if let position = layout.position(track) { return states[position]?.name }
            return others.isEmpty ? nil : others[track]
        }
        set {
            guard let position = layout.position(track) else {
                others[track] = newValue
                return
            }
            states[position] = newValue.map { ($0, layout.position(ofState: $0, inTrack: position)) }
        }
    }

    /// The position, in its track, of the state the track at `track` is in.
    func statePosition(track: Int) -> Int? { states[track]?.position }

    /// Puts the track at position `track` into the state `name`, at `position` in the track.
    mutating func set(track: Int, state name: String, at position: Int) {
        states[track] = (name, position)
    }

    /// Keeps the same states on `layout`; nothing is done when it is laid out on it already.
    mutating func lay(on layout: TrackLayout) {
        guard layout !== self.layout else { return }
        var laid = TrackStates()
        laid.layout = layout
        laid.states = layout.unset
        if !isEmpty { for (track, state) in self { laid[track] = state } }
        self = laid
    }

    public var dictionary: [String: String] {
        var result = others
        for (position, state) in states.enumerated() { if let state { result[layout.names[position]] = state.name } }
        return result
    }

    public var keys: [String] { map(\.key) }
    public var count: Int { others.count + states.lazy.filter { $0 != nil }.count }
    public var isEmpty: Bool { others.isEmpty && states.allSatisfy { $0 == nil } }

    public func makeIterator() -> Dictionary<String, String>.Iterator { dictionary.makeIterator() }

    public static func == (a: TrackStates, b: TrackStates) -> Bool { a.dictionary == b.dictionary }

    public init(from decoder: any Decoder) throws { self.init(try [String: String](from: decoder)) }

    public func encode(to encoder: any Encoder) throws { try dictionary.encode(to: encoder) }
}
