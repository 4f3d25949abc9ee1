/// What an expression can see while it runs: case data, local names, the court calendar and the time.
public struct Environment: Sendable {
    /// Case data keyed by full dotted path (`hearing.date`).
    public var data: CaseData
    /// Names bound by the caller: loop variables, `event` payloads.
    public var locals: [String: Value]
    public var calendar: CourtCalendar
    /// The current local time, passed in: the core never reads a clock.
    public var now: LocalDateTime
    public var filters: FilterLibrary
    /// How each deadline computed so far was counted; kept only when ``explainsDeadlines`` is on.
    public var explanations: [DeadlineExplanation] { explained.all }
    var explained = Explanations()
    /// Whether to keep explanations (due dates shown to people) or not (timers and guards).
    public var explainsDeadlines = true
    /// How each deadline computed so far was counted and why it moved, in words.
    public var reasons: [String] { explanations.flatMap(\.reasons) }
    /// Whether a last day on a weekend or holiday moves (court deadlines) or stays (reminders).
    public var rollsDeadlines = true

    public init(
        data: [String: Value], locals: [String: Value] = Dictionary(), calendar: CourtCalendar, now: LocalDateTime,
        filters: FilterLibrary = .standard
    ) {
        self.init(data: CaseData(data), locals: locals, calendar: calendar, now: now, filters: filters)
    }

    public init(
        data: CaseData, locals: [String: Value] = Dictionary(), calendar: CourtCalendar, now: LocalDateTime,
        filters: FilterLibrary = .standard
    ) {
        self.data = data
        self.locals = locals
        self.calendar = calendar
        self.now = now
        self.filters = filters
    }
}

/// A problem found while evaluating, such as a filter given the wrong kind of value.
public struct EvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var range: Range<Int>

    public init(_ message: String, at range: Range<Int> = 0..<0) {
        self.message = message
        self.range = range
    }

    public var description: String { message }
}

extension Expression {
    /// Evaluates the expression. Unset fields are `null`, and arithmetic on `null` gives `null`.
    public func evaluate(in environment: inout Environment) throws(EvaluationError) -> Value {
        try runnable.evaluate(&environment)
    }

    /// Evaluates a guard: true only when the value is truthy.
    public func test(in environment: inout Environment) throws(EvaluationError) -> Bool {
        try runnable.evaluate(&environment).isTruthy
    }
}

extension Node {
    func evaluate(_ env: inout Environment) throws(EvaluationError) -> Value {
        switch kind {
        case .literal(let value):
            return value
        case .path(let path):
            return env.resolve(path)
        case .field(let reference):
            return env.resolve(reference)
        case .list(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.evaluate(&env)) }
            return .list(values)
        case .not(let operand):
            return .bool(!(try operand.evaluate(&env).isTruthy))
        case .negate(let operand):
            switch try operand.evaluate(&env) {
            case .number(let n): return .number(-n)
            case .money(let m): return .money(-m)
            case .null: return .null
            case let other: throw EvaluationError("cannot negate a \(other.typeName)", at: range)
            }
        case .binary(.and, let a, let b):
            guard try a.evaluate(&env).isTruthy else { return .bool(false) }
            return .bool(try b.evaluate(&env).isTruthy)
        case .binary(.or, let a, let b):
            if try a.evaluate(&env).isTruthy { return .bool(true) }
            return .bool(try b.evaluate(&env).isTruthy)
        case .binary(let op, let a, let b):
            return try Node.apply(op, try a.evaluate(&env), try b.evaluate(&env), range: range, env: &env)
        case .dateOffset(let base, let op, let period):
            let direction: Direction = op == .plus ? .forward : .backward
            switch try base.evaluate(&env) {
            case .date(let d): return env.count(period, from: LocalDateTime(date: d), hasTime: false, direction: direction)
            case .dateTime(let t): return env.count(period, from: t, hasTime: true, direction: direction)
            case let other: return try Node.apply(op, other, .period(period), range: range, env: &env)
            }
        case .call(let name, let arguments):
            var values: [Value] = []
            for argument in arguments { values.append(try argument.evaluate(&env)) }
            return try Builtins.call(name, values, range: range)
        case .filter(let input, let name, let arguments):
            let value = try input.evaluate(&env)
            var values: [Value] = []
            for argument in arguments { values.append(try argument.evaluate(&env)) }
            guard let filter = env.filters[name] else { throw EvaluationError("unknown filter '\(name)'", at: range) }
            return try apply(filter, to: value, values)
        case .boundFilter(let input, let filter, let arguments, let constants):
            let value = try input.evaluate(&env)
            if let constants { return try apply(filter, to: value, constants) }
            var values: [Value] = []
            for argument in arguments { values.append(try argument.evaluate(&env)) }
            return try apply(filter, to: value, values)
        }
    }

    /// A filter's result, with its error placed at this node.
    private func apply(_ filter: Filter, to value: Value, _ arguments: [Value]) throws(EvaluationError) -> Value {
        do {
            return try filter.apply(value, arguments)
        } catch {
            throw EvaluationError(error.message, at: range)
        }
    }

    static func apply(_ op: BinaryOperator, _ a: Value, _ b: Value, range: Range<Int>, env: inout Environment) throws(EvaluationError) -> Value {
        switch op {
        case .equal: return .bool(Value.loosely(a, equals: b))
        case .notEqual: return .bool(!Value.loosely(a, equals: b))
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let order = Value.compare(a, b) else {
                if a.isNull || b.isNull { return .bool(false) }
                throw EvaluationError("cannot compare a \(a.typeName) with a \(b.typeName)", at: range)
            }
            switch op {
            case .less: return .bool(order < 0)
            case .lessOrEqual: return .bool(order <= 0)
            case .greater: return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case .isIn, .notIn:
            let found: Bool
            switch b {
            case .list(let items): found = items.contains { Value.loosely(a, equals: $0) }
            case .string(let s):
                guard case .string(let needle) = a else { return .bool(op == .notIn) }
                found = s.contains(needle)
            case .null: found = false
            default: throw EvaluationError("'in' needs a list or a string on its right, not a \(b.typeName)", at: range)
            }
            return .bool(op == .isIn ? found : !found)
        case .plus, .minus, .times, .divide:
            if a.isNull || b.isNull { return .null }
            return try arithmetic(op, a, b, range: range, env: &env)
        case .and, .or:
            fatalError("handled by evaluate")
        }
    }

    private static func arithmetic(_ op: BinaryOperator, _ a: Value, _ b: Value, range: Range<Int>, env: inout Environment) throws(EvaluationError) -> Value {
        switch (op, a, b) {
        case (.plus, .number(let x), .number(let y)): return .number(x + y)
        case (.minus, .number(let x), .number(let y)): return .number(x - y)
        case (.times, .number(let x), .number(let y)): return .number(x * y)
        case (.divide, .number(let x), .number(let y)):
            guard y != 0 else { throw EvaluationError("division by zero", at: range) }
            return .number(x / y)
        case (.plus, .money(let x), .money(let y)): return .money(x &+ y)
        case (.minus, .money(let x), .money(let y)): return .money(x &- y)
        case (.times, .money(let x), .number(let y)), (.times, .number(let y), .money(let x)):
            return .money(Int64((Double(x) * y).rounded()))
        case (.divide, .money(let x), .number(let y)):
            guard y != 0 else { throw EvaluationError("division by zero", at: range) }
            return .money(Int64((Double(x) / y).rounded()))
        case (.plus, .string(let x), .string(let y)): return .string(x + y)
        case (.plus, .list(let x), .list(let y)): return .list(x + y)
        case (.plus, .date(let d), .period(let p)), (.plus, .period(let p), .date(let d)):
            return env.count(p, from: LocalDateTime(date: d), hasTime: false, direction: .forward)
        case (.minus, .date(let d), .period(let p)):
            return env.count(p, from: LocalDateTime(date: d), hasTime: false, direction: .backward)
        case (.plus, .dateTime(let t), .period(let p)), (.plus, .period(let p), .dateTime(let t)):
            return env.count(p, from: t, hasTime: true, direction: .forward)
        case (.minus, .dateTime(let t), .period(let p)):
            return env.count(p, from: t, hasTime: true, direction: .backward)
        case (.minus, .date(let x), .date(let y)): return .number(Double(x.dayNumber - y.dayNumber))
        case (.minus, .dateTime(let x), .dateTime(let y)): return .number(Double(x.totalMinutes - y.totalMinutes) / 1440)
        default:
            throw EvaluationError("cannot use '\(op.rawValue)' on a \(a.typeName) and a \(b.typeName)", at: range)
        }
    }
}

extension Environment {
    /// Reads a bound path by position, when the data is laid out on the layout it was bound to and
    /// holds nothing by name; otherwise by name, as ``resolve(_:)-(Path)`` does.
    func resolve(_ reference: FieldReference) -> Value {
        guard data.layout === reference.layout, locals.isEmpty, !data.hasOthers else { return resolve(reference.path) }
        if let position = reference.position, let value = data[position: position] { return value }
        for (position, members) in reference.prefixes {
            if let value = data[position: position] { return value.member(reference.path.segments[members...]) }
        }
        switch reference.clock {
        case .today: return .date(now.date)
        case .now: return .dateTime(now)
        case nil: return .null
        }
    }

    func resolve(_ path: Path) -> Value {
        let first = path.segments[0]
        if !locals.isEmpty, let local = locals[first] { return local.member(path.segments.dropFirst()) }
        if let value = data[path.joined] { return value }
        // A prefix may name a record-valued field: `children.first` style access into a stored record.
        for (index, prefix) in path.prefixes.enumerated() {
            if let value = data[prefix] { return value.member(path.segments[(path.segments.count - 1 - index)...]) }
        }
        if path.segments.count == 1 {
            if first == "today" { return .date(now.date) }
            if first == "now" { return .dateTime(now) }
        }
        return .null
    }

    /// Counts a period and returns a date (or a date and time for hour periods and times).
    mutating func count(_ period: Period, from start: LocalDateTime, hasTime: Bool, direction: Direction) -> Value {
        let timed = hasTime || period.unit == .hours
        guard explainsDeadlines else {
            // Timers and guards need only the date.
            let end = calendar.end(from: start, period, direction: direction, hasTime: timed, rolling: rollsDeadlines)
            return timed ? .dateTime(end) : .date(end.date)
        }
        let deadline = calendar.deadline(from: start, period, direction: direction, hasTime: timed, rolling: rollsDeadlines)
        explained.append(deadline.explanation)
        return deadline.hasTime ? .dateTime(deadline.moment) : .date(deadline.date)
    }
}

extension Value {
    func member(_ names: ArraySlice<String>) -> Value {
        var current = self
        for name in names {
            switch current {
            case .record(let fields): current = fields[name] ?? .null
            case .list(let items) where name == "length" || name == "count": current = .number(Double(items.count))
            default: return .null
            }
        }
        return current
    }

    /// Equality that treats money and numbers, and dates and midnight date-times, alike.
    static func loosely(_ a: Value, equals b: Value) -> Bool {
        switch (a, b) {
        case (.money(let m), .number(let n)), (.number(let n), .money(let m)): return Double(m) == n * 100
        case (.date(let d), .dateTime(let t)), (.dateTime(let t), .date(let d)): return t == LocalDateTime(date: d)
        default: return a == b
        }
    }

    /// Orders two values of comparable kinds: negative, zero or positive; nil when they do not compare.
    static func compare(_ a: Value, _ b: Value) -> Int? {
        func sign<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.number(let x), .number(let y)): return sign(x, y)
        case (.money(let x), .money(let y)): return sign(x, y)
        case (.money(let x), .number(let y)): return sign(Double(x), y * 100)
        case (.number(let x), .money(let y)): return sign(x * 100, Double(y))
        case (.string(let x), .string(let y)): return sign(x, y)
        case (.date(let x), .date(let y)): return sign(x, y)
        case (.dateTime(let x), .dateTime(let y)): return sign(x, y)
        case (.date(let x), .dateTime(let y)): return sign(LocalDateTime(date: x), y)
        case (.dateTime(let x), .date(let y)): return sign(x, LocalDateTime(date: y))
        default: return nil
        }
    }
}

/// Functions callable in expressions: `date("2026-11-19")`, `datetime("2026-11-19T09:00")`, `len(list)`.
enum Builtins {
    static let signatures: [String: (arity: Int, result: ValueType)] = [
        "date": (1, .date), "datetime": (1, .dateTime), "len": (1, .number),
    ]

    static func call(_ name: String, _ arguments: [Value], range: Range<Int>) throws(EvaluationError) -> Value {
        switch (name, arguments.first) {
        case ("date", .string(let s)?):
            guard let d = CivilDate(iso: s) else { throw EvaluationError("date() was given text that is not a date (use YYYY-MM-DD)", at: range) }
            return .date(d)
        case ("date", .dateTime(let t)?): return .date(t.date)
        case ("date", .date(let d)?): return .date(d)
        case ("datetime", .string(let s)?):
            guard let t = LocalDateTime(iso: s) else { throw EvaluationError("datetime() was given text that is not a date and time (use YYYY-MM-DDTHH:MM)", at: range) }
            return .dateTime(t)
        case ("len", .list(let l)?): return .number(Double(l.count))
        case ("len", .string(let s)?): return .number(Double(s.count))
        case (_, .null?): return .null
        default: throw EvaluationError("cannot call \(name) on \(arguments.first?.typeName ?? "nothing")", at: range)
        }
    }
}

extension Environment {
    /// The value at a dotted path, read as an expression would read it (locals first).
    public func value(at path: String) -> Value {
        resolve(Path(path.split(separator: ".").map(String.init)))
    }
}
