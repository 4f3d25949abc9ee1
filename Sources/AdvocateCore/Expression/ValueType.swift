/// The static type of a field or an expression.
public indirect enum ValueType: Hashable, Sendable, CustomStringConvertible {
    /// Unknown until run time (a filter's result, an untyped payload).
    case any
    case null
    case bool
    case number
    case money
    /// Short or long text; `text` fields are strings that may hold line breaks.
    case string
    /// A string with a closed set of values.
    case enumeration([String])
    case date
    case dateTime
    case period
    case list(ValueType)
    /// A record with named, typed members (the rows of a list field).
    case record([String: ValueType])

    public var description: String {
        switch self {
        case .any: return "any"
        case .null: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .money: return "money"
        case .string: return "string"
        case .enumeration: return "enum"
        case .date: return "date"
        case .dateTime: return "datetime"
        case .period: return "period"
        case .list(let element): return "list of \(element)"
        case .record: return "record"
        }
    }

    public var isStringLike: Bool {
        switch self {
        case .string, .enumeration, .any: return true
        default: return false
        }
    }

    public var isNumeric: Bool {
        switch self {
        case .number, .money, .any: return true
        default: return false
        }
    }

    public var isTemporal: Bool {
        switch self {
        case .date, .dateTime, .any: return true
        default: return false
        }
    }

    /// Whether a value of this type can be compared with `==` to one of `other`.
    func isComparable(with other: ValueType) -> Bool {
        switch (self, other) {
        case (.any, _), (_, .any), (.null, _), (_, .null): return true
        case (.number, .number), (.money, .money), (.money, .number), (.number, .money): return true
        case (.date, .date), (.dateTime, .dateTime), (.date, .dateTime), (.dateTime, .date): return true
        case (.bool, .bool), (.period, .period): return true
        case (.list, .list), (.record, .record): return true
        default: return isStringLike && other.isStringLike
        }
    }

    /// Whether a value fits this type.
    public func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (_, .null), (.any, _): return true
        case (.bool, .bool), (.number, .number), (.money, .money), (.string, .string),
            (.date, .date), (.dateTime, .dateTime), (.period, .period):
            return true
        case (.enumeration(let values), .string(let s)): return values.contains(s)
        case (.list(let element), .list(let items)): return items.allSatisfy { element.accepts($0) }
        case (.record(let members), .record(let fields)):
            return fields.allSatisfy { key, value in members[key].map { $0.accepts(value) } ?? false }
        default: return false
        }
    }
}
