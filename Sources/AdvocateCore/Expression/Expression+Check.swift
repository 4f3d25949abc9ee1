/// What an expression may refer to when it is checked: declared fields, local names and filters.
public struct TypeScope: Sendable {
    public var fields: [String: ValueType]
    public var locals: [String: ValueType]
    public var filters: FilterLibrary

    public init(fields: [String: ValueType], locals: [String: ValueType] = [:], filters: FilterLibrary = .standard) {
        self.fields = fields
        self.locals = locals
        self.filters = filters
    }
}

extension Expression {
    /// Infers the expression's type and lists every type error and unknown name, with its offset.
    public func check(in scope: TypeScope) -> (type: ValueType, errors: [ExpressionError]) {
        var errors: [ExpressionError] = []
        let type = root.infer(scope, &errors)
        return (type, errors)
    }
}

extension Node {
    func infer(_ scope: TypeScope, _ errors: inout [ExpressionError]) -> ValueType {
        switch kind {
        case .literal(let value):
            switch value {
            case .null: return .null
            case .bool: return .bool
            case .number: return .number
            case .money: return .money
            case .string: return .string
            case .date: return .date
            case .dateTime: return .dateTime
            case .period: return .period
            case .list, .record: return .any
            }
        case .path(let path):
            return scope.type(of: path, range: range, &errors)
        case .field, .boundFilter, .dateOffset:
            // Trees are checked as parsed; bound trees only run.
            return .any
        case .list(let items):
            let types = items.map { $0.infer(scope, &errors) }
            return .list(types.first.map { first in types.allSatisfy { $0 == first } ? first : .any } ?? .any)
        case .not(let operand):
            _ = operand.infer(scope, &errors)
            return .bool
        case .negate(let operand):
            let t = operand.infer(scope, &errors)
            if !t.isNumeric, t != .null { errors.append(ExpressionError("cannot negate a \(t)", at: range)) }
            return t
        case .binary(let op, let a, let b):
            let left = a.infer(scope, &errors)
            let right = b.infer(scope, &errors)
            return Node.inferBinary(op, left, right, a, b, range, &errors)
        case .call(let name, let arguments):
            let types = arguments.map { $0.infer(scope, &errors) }
            guard let signature = Builtins.signatures[name] else {
                errors.append(ExpressionError("unknown function '\(name)' (known: \(Builtins.signatures.keys.sorted().joined(separator: ", ")))", at: range))
                return .any
            }
            if types.count != signature.arity {
                errors.append(ExpressionError("\(name) takes \(signature.arity) argument\(signature.arity == 1 ? "" : "s")", at: range))
            }
            if case .literal(.string(let s)) = arguments.first?.kind {
                if name == "date", CivilDate(iso: s) == nil {
                    errors.append(ExpressionError("'\(s)' is not a date (use YYYY-MM-DD)", at: arguments[0].range))
                } else if name == "datetime", LocalDateTime(iso: s) == nil {
                    errors.append(ExpressionError("'\(s)' is not a date and time (use YYYY-MM-DDTHH:MM)", at: arguments[0].range))
                }
            }
            return signature.result
        case .filter(let input, let name, let arguments):
            let inputType = input.infer(scope, &errors)
            for argument in arguments { _ = argument.infer(scope, &errors) }
            guard let filter = scope.filters[name] else {
                errors.append(ExpressionError("unknown filter '\(name)'\(suggestion(name, scope.filters.names))", at: range))
                return .any
            }
            if !filter.arity.contains(arguments.count) {
                let n = filter.arity
                let count = n.lowerBound == n.upperBound ? "\(n.lowerBound)" : "\(n.lowerBound) to \(n.upperBound)"
                errors.append(ExpressionError("filter '\(name)' takes \(count) argument\(n.upperBound == 1 ? "" : "s"), not \(arguments.count)", at: range))
            }
            guard let result = filter.resultType(inputType) else {
                errors.append(ExpressionError("filter '\(name)' cannot take a \(inputType)", at: range))
                return .any
            }
            return result
        }
    }

    static func inferBinary(
        _ op: BinaryOperator, _ l: ValueType, _ r: ValueType, _ a: Node, _ b: Node, _ range: Range<Int>, _ errors: inout [ExpressionError]
    ) -> ValueType {
        func fail(_ message: String) -> ValueType {
            errors.append(ExpressionError(message, at: range))
            return .any
        }
        switch op {
        case .and, .or:
            return .bool
        case .equal, .notEqual:
            if !l.isComparable(with: r) { return fail("cannot compare a \(l) with a \(r)") }
            // An enum compared with a literal: the literal must be one of its values.
            for (type, node) in [(l, b), (r, a)] {
                if case .enumeration(let values) = type, case .literal(.string(let s)) = node.kind, !values.contains(s) {
                    errors.append(ExpressionError("\"\(s)\" is not one of the values \(values.map { "\"\($0)\"" }.joined(separator: ", "))", at: node.range))
                }
            }
            return .bool
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let ok = (l.isNumeric && r.isNumeric) || (l.isTemporal && r.isTemporal) || (l.isStringLike && r.isStringLike) || l == .null || r == .null
            if !ok { return fail("cannot order a \(l) and a \(r) with '\(op.rawValue)'") }
            return .bool
        case .isIn, .notIn:
            switch r {
            case .list(let element):
                if !l.isComparable(with: element) { return fail("a \(l) is never in a list of \(element)") }
            case .string, .enumeration, .any, .null: break
            default: return fail("'in' needs a list or text on its right, not a \(r)")
            }
            return .bool
        case .plus, .minus, .times, .divide:
            switch (op, l, r) {
            case (_, .any, _), (_, _, .any): return .any
            case (_, .null, _), (_, _, .null): return .null
            case (_, .number, .number): return .number
            case (.plus, .money, .money), (.minus, .money, .money), (.times, .money, .number), (.times, .number, .money), (.divide, .money, .number):
                return .money
            case (.plus, .string, .string), (.plus, .enumeration, .string), (.plus, .string, .enumeration): return .string
            case (.plus, .list(let x), .list): return .list(x)
            case (.plus, .date, .period), (.minus, .date, .period), (.plus, .period, .date),
                (.plus, .dateTime, .period), (.minus, .dateTime, .period), (.plus, .period, .dateTime):
                if case .literal(.period(let p)) = (l == .period ? a : b).kind, p.unit == .hours { return .dateTime }
                return l == .dateTime || r == .dateTime ? .dateTime : .date
            case (.minus, .date, .date), (.minus, .dateTime, .dateTime): return .number
            default:
                if op == .minus, l == .period { return fail("a period goes after the date: write 'date - period'") }
                return fail("cannot use '\(op.rawValue)' on a \(l) and a \(r)")
            }
        }
    }
}

extension TypeScope {
    func type(of path: Path, range: Range<Int>, _ errors: inout [ExpressionError]) -> ValueType {
        let first = path.segments[0]
        if let local = locals[first] { return member(local, path.segments.dropFirst(), path, range, &errors) }
        if let type = fields[path.joined] { return type }
        var count = path.segments.count - 1
        while count > 0 {
            if let type = fields[path.segments[0..<count].joined(separator: ".")] {
                return member(type, path.segments[count...], path, range, &errors)
            }
            count -= 1
        }
        if path.segments.count == 1, first == "today" { return .date }
        if path.segments.count == 1, first == "now" { return .dateTime }
        errors.append(ExpressionError("unknown field '\(path.joined)'\(suggestion(path.joined, Array(fields.keys) + Array(locals.keys)))", at: range))
        return .any
    }

    private func member(_ type: ValueType, _ names: ArraySlice<String>, _ path: Path, _ range: Range<Int>, _ errors: inout [ExpressionError]) -> ValueType {
        var current = type
        for name in names {
            switch current {
            case .record(let members):
                guard let next = members[name] else {
                    errors.append(ExpressionError("'\(path.joined)': a record here has no field '\(name)'\(suggestion(name, Array(members.keys)))", at: range))
                    return .any
                }
                current = next
            case .list where name == "length" || name == "count": current = .number
            case .any: return .any
            default:
                errors.append(ExpressionError("'\(path.joined)': a \(current) has no field '\(name)'", at: range))
                return .any
            }
        }
        return current
    }
}

/// ` (did you mean 'x'?)` for the closest candidate within a small edit distance, or an empty string.
public func suggestion(_ word: String, _ candidates: [String]) -> String {
    let best = candidates.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    guard let (candidate, distance) = best, distance <= max(2, word.count / 3) else { return "" }
    return " (did you mean '\(candidate)'?)"
}

/// Levenshtein distance over characters.
public func editDistance(_ a: String, _ b: String) -> Int {
    let x = Array(a), y = Array(b)
    if x.isEmpty { return y.count }
    if y.isEmpty { return x.count }
    var previous = Array(0...y.count)
    var current = [Int](repeating: 0, count: y.count + 1)
    for i in 1...x.count {
        current[0] = i
        for j in 1...y.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[y.count]
}
