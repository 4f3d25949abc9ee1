/// A set of a workflow's fields, by their positions in the definition: what an input changed,
/// or what a due date or timer reads. Asking whether two sets meet is a few word operations,
/// where the same question over field names would hash every name.
struct FieldSet: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// Set for a field past the 256 the words hold, or one the definition does not declare:
    /// the set then meets every non-empty set, which costs recomputation, never a missed change.
    private(set) var everything = false

    static let capacity = 256

    init() {}

    static var all: FieldSet {
        var set = FieldSet()
        set.everything = true
        return set
    }

    var isEmpty: Bool { !everything && words == (0, 0, 0, 0) }

    /// Adds the field at `position`; nil (no such field) makes the set meet everything.
    mutating func insert(_ position: Int?) {
        guard let position, position >= 0, position < FieldSet.capacity else {
            everything = true
            return
        }
        let bit = UInt64(1) << UInt64(position & 63)
        switch position >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    mutating func formUnion(_ other: FieldSet) {
        words = (words.0 | other.words.0, words.1 | other.words.1, words.2 | other.words.2, words.3 | other.words.3)
        everything = everything || other.everything
    }

    /// Whether the sets share a field.
    func meets(_ other: FieldSet) -> Bool {
        if isEmpty || other.isEmpty { return false }
        if everything || other.everything { return true }
        return words.0 & other.words.0 != 0 || words.1 & other.words.1 != 0 || words.2 & other.words.2 != 0 || words.3 & other.words.3 != 0
    }
}

extension WorkflowDefinition {
    /// The declared fields whose change can change `expression`'s value; everything when it
    /// reads the clock, which changes with every input.
    func fieldsRead(by expression: Expression?) -> FieldSet {
        guard let expression else { return FieldSet() }
        if expression.readsClock || fields.count > FieldSet.capacity { return .all }
        var set = FieldSet()
        for (position, field) in fields.enumerated() where expression.dependencies.overlap([field.name]) { set.insert(position) }
        return set
    }
}
