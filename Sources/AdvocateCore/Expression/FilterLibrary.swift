/// A named transformation used as `value | name(arguments)`.
public struct Filter: Sendable {
    public typealias Apply = @Sendable (Value, [Value]) throws(EvaluationError) -> Value

    public var name: String
    /// How many arguments it takes.
    public var arity: ClosedRange<Int>
    /// The result type for an input type, or nil when the filter does not accept that input.
    public var resultType: @Sendable (ValueType) -> ValueType?
    public var apply: Apply

    public init(
        _ name: String, arity: ClosedRange<Int> = 0...0, resultType: @escaping @Sendable (ValueType) -> ValueType?,
        apply: @escaping Apply
    ) {
        self.name = name
        self.arity = arity
        self.resultType = resultType
        self.apply = apply
    }
}

/// The filters an expression may use. Document assembly and the glossary add their own.
public struct FilterLibrary: Sendable {
    private var filters: [String: Filter] = [:]

    public init(_ filters: [Filter] = []) {
        for filter in filters { self.filters[filter.name] = filter }
    }

    public subscript(name: String) -> Filter? { filters[name] }

    public var names: [String] { filters.keys.sorted() }

    public mutating func add(_ filter: Filter) { filters[filter.name] = filter }

    public func adding(_ more: [Filter]) -> FilterLibrary {
        var copy = self
        for filter in more { copy.add(filter) }
        return copy
    }

    /// Text case, defaults, lengths and joins.
    public static let standard = FilterLibrary([
        .text("upper") { $0.uppercased() },
        .text("lower") { $0.lowercased() },
        .text("capitalize") { $0.prefix(1).uppercased() + $0.dropFirst() },
        .text("title") { s in
            s.split(separator: " ", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst().lowercased() }
                .joined(separator: " ")
        },
        Filter("default", arity: 1...1, resultType: { $0 == .null ? .any : $0 }) { value, arguments in
            value.isTruthy ? value : arguments[0]
        },
        Filter("length", resultType: { _ in .number }) { value, _ throws(EvaluationError) in
            switch value {
            case .list(let l): return .number(Double(l.count))
            case .string(let s): return .number(Double(s.count))
            case .null: return .number(0)
            default: throw EvaluationError("length needs a list or text, not a \(value.typeName)")
            }
        },
        Filter("join", arity: 0...1, resultType: { _ in .string }) { value, arguments in
            guard case .list(let items) = value else { return .string(value.text) }
            let separator = arguments.first?.text ?? ", "
            return .string(items.map(\.text).joined(separator: separator))
        },
        Filter("first", resultType: { if case .list(let e) = $0 { return e }; return .any }) { value, _ in
            if case .list(let items) = value { return items.first ?? .null }
            return .null
        },
        Filter("last", resultType: { if case .list(let e) = $0 { return e }; return .any }) { value, _ in
            if case .list(let items) = value { return items.last ?? .null }
            return .null
        },
    ])
}

extension Filter {
    /// A filter from text to text; `null` passes through unchanged.
    public static func text(_ name: String, _ transform: @escaping @Sendable (String) -> String) -> Filter {
        Filter(name, resultType: { $0.isStringLike || $0 == .null ? .string : nil }) { value, _ throws(EvaluationError) in
            switch value {
            case .null: return .null
            case .string(let s): return .string(transform(s))
            default: throw EvaluationError("\(name) needs text, not a \(value.typeName)")
            }
        }
    }
}
