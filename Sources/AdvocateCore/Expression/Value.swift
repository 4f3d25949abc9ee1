/// A value in case data and in expressions.
public enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    /// Money in minor units (cents), so sums are exact.
    case money(Int64)
    case string(String)
    case date(CivilDate)
    case dateTime(LocalDateTime)
    case period(Period)
    case list([Value])
    case record([String: Value])

    /// Truthiness as templates and guards use it: null, false, zero and empty are false.
    public var isTruthy: Bool {
        switch self {
        case .null: return false
        case .bool(let b): return b
        case .number(let n): return n != 0
        case .money(let m): return m != 0
        case .string(let s): return !s.isEmpty
        case .list(let l): return !l.isEmpty
        case .record(let r): return !r.isEmpty
        case .date, .dateTime, .period: return true
        }
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// Null, or text with nothing but spaces: not enough for a field that must be given.
    public var isBlank: Bool {
        switch self {
        case .null: return true
        case .string(let text):
            // Most text starts with a visible ASCII character, which is answered from its first
            // byte; breaking text into characters costs hundreds of instructions.
            if let first = text.utf8.first, first > 0x20, first < 0x80 { return false }
            return text.allSatisfy(\.isWhitespace)
        default: return false
        }
    }

    /// The type name used in messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .money: return "money"
        case .string: return "string"
        case .date: return "date"
        case .dateTime: return "datetime"
        case .period: return "period"
        case .list: return "list"
        case .record: return "record"
        }
    }

    /// Plain text for output: what a template prints for `{{ value }}` without filters.
    public var text: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "yes" : "no"
        case .number(let n): return Value.format(number: n)
        case .money(let m): return Value.format(money: m)
        case .string(let s): return s
        case .date(let d): return d.iso
        case .dateTime(let t): return t.iso
        case .period(let p): return p.description
        case .list(let l): return l.map(\.text).joined(separator: ", ")
        case .record(let r): return r.keys.sorted().map { "\($0): \(r[$0]!.text)" }.joined(separator: ", ")
        }
    }

    static func format(number n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }

    static func format(money m: Int64) -> String {
        let sign = m < 0 ? "-" : ""
        let a = m.magnitude
        let cents = a % 100
        return "\(sign)\(a / 100).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// Parses an amount such as `1250`, `1250.5` or `$1,250.50` into cents.
    public static func parseMoney(_ text: String) -> Int64? {
        var s = Substring(text.trimmingSpaces)
        var negative = false
        if s.hasPrefix("-") { negative = true; s = s.dropFirst() }
        if s.hasPrefix("$") { s = s.dropFirst() }
        s = Substring(s.filter { $0 != "," })
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int64(parts[0]), whole >= 0 else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let frac = parts[1]
            guard (1...2).contains(frac.count), let f = Int64(frac) else { return nil }
            cents = frac.count == 1 ? f * 10 : f
        }
        let (product, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow else { return nil }
        return (negative ? -1 : 1) * (product + cents)
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
