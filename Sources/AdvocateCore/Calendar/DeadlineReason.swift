/// One line of why a due date falls where it does, as data.
///
/// The English line is what a case and the agenda store. Pages in another language read a stored
/// line back with ``init(english:)`` and write it in their own words, so the sentences are
/// written and read here, in one place.
public enum DeadlineReason: Hashable, Sendable {
    /// `3 court days before 2026-12-07T09:00`: the period and what it was counted from.
    case counted(Period, Direction, from: LocalDateTime, hasTime: Bool)
    /// `not counted: 2026-11-26 (a legal holiday (Thanksgiving Day))`: court days the count passed over.
    case notCounted([Closed])
    /// `Saturday 2026-11-28 is a weekend day; moved forward to Monday 2026-11-30`.
    case moved([Closed], Direction, to: CivilDate)
    /// `3 court days after the referral with no answer`: when a referral's follow-up comes due.
    case noAnswer(Period)

    /// A day the court was closed, and why.
    public struct Closed: Hashable, Sendable {
        public enum Why: Hashable, Sendable {
            case weekend
            case closure(name: String)
            case holiday(name: String, observed: Bool)
        }

        public var date: CivilDate
        public var why: Why

        public init(date: CivilDate, why: Why) {
            self.date = date
            self.why = why
        }

        init(_ day: ClosedDay) {
            date = day.date
            switch day.dayOff {
            case nil: why = .weekend
            case let off? where off.kind == .closure: why = .closure(name: off.name)
            case let off?: why = .holiday(name: off.name, observed: off.observed)
            }
        }
    }

    /// The line in English, as it is stored.
    public var english: String {
        switch self {
        case .counted(let period, let direction, let from, let hasTime):
            return "\(period) \(direction == .forward ? "after" : "before") \(hasTime ? from.iso : from.date.iso)"
        case .notCounted(let days):
            return "not counted: " + days.map { "\($0.date.iso) (\(Self.english($0.why)))" }.joined(separator: ", ")
        case .moved(let days, let direction, let end):
            let skipped = days.map { "\($0.date.weekday) \($0.date.iso) is \(Self.english($0.why))" }
            return skipped.joined(separator: "; ") + "; moved \(direction == .forward ? "forward" : "back") to \(end.weekday) \(end.iso)"
        case .noAnswer(let period):
            return "\(period)\(Self.noAnswerSuffix)"
        }
    }

    private static let noAnswerSuffix = " after the referral with no answer"

    private static func english(_ why: Closed.Why) -> String {
        switch why {
        case .weekend: return "a weekend day"
        case .closure(let name): return "a court closure (\(name))"
        case .holiday(let name, let observed): return "a legal holiday (\(name)\(observed ? ", observed" : ""))"
        }
    }

    /// Reads a stored English line back; nil for a line written some other way.
    public init?(english line: String) {
        if line.hasSuffix(Self.noAnswerSuffix) {
            guard let period = Period(String(line.dropLast(Self.noAnswerSuffix.count))) else { return nil }
            self = .noAnswer(period)
            return
        }
        if line.hasPrefix("not counted: ") {
            var reader = LineReader(line.dropFirst("not counted: ".count))
            var days: [Closed] = []
            repeat {
                guard let date = reader.date(), reader.skip(" ("), let why = reader.why(), reader.skip(")") else { return nil }
                days.append(Closed(date: date, why: why))
            } while reader.skip(", ")
            guard reader.atEnd else { return nil }
            self = .notCounted(days)
            return
        }
        if line.contains("; moved ") {
            var reader = LineReader(line[...])
            var days: [Closed] = []
            while !reader.skip("moved ") {
                guard reader.weekday(), let date = reader.date(), reader.skip(" is "), let why = reader.why(), reader.skip("; ") else { return nil }
                days.append(Closed(date: date, why: why))
            }
            let direction: Direction
            if reader.skip("forward to ") { direction = .forward } else if reader.skip("back to ") { direction = .backward } else { return nil }
            guard !days.isEmpty, reader.weekday(), let end = reader.date(), reader.atEnd else { return nil }
            self = .moved(days, direction, to: end)
            return
        }
        for (word, direction) in [(" after ", Direction.forward), (" before ", .backward)] {
            guard let split = line.ranges(of: word).last, let period = Period(String(line[..<split.lowerBound])) else { continue }
            let from = String(line[split.upperBound...])
            if let moment = LocalDateTime(iso: from), from.contains("T") {
                self = .counted(period, direction, from: moment, hasTime: true)
            } else if let date = CivilDate(iso: from) {
                self = .counted(period, direction, from: LocalDateTime(date: date), hasTime: false)
            } else {
                return nil
            }
            return
        }
        return nil
    }
}

/// Reads the pieces of a stored reason line from the front.
private struct LineReader {
    var rest: Substring

    init(_ text: Substring) { rest = text }

    var atEnd: Bool { rest.isEmpty }

    mutating func skip(_ text: String) -> Bool {
        guard rest.hasPrefix(text) else { return false }
        rest = rest.dropFirst(text.count)
        return true
    }

    mutating func date() -> CivilDate? {
        guard let date = CivilDate(iso: String(rest.prefix(10))) else { return nil }
        rest = rest.dropFirst(10)
        return date
    }

    /// A weekday's English name and the space after it.
    mutating func weekday() -> Bool {
        guard let space = rest.firstIndex(of: " "), Weekday(name: String(rest[..<space])) != nil else { return false }
        rest = rest[rest.index(after: space)...]
        return true
    }

    mutating func why() -> DeadlineReason.Closed.Why? {
        if skip("a weekend day") { return .weekend }
        if skip("a court closure (") { return name().map { .closure(name: $0) } }
        if skip("a legal holiday (") {
            guard let name = name() else { return nil }
            return name.hasSuffix(", observed") ? .holiday(name: String(name.dropLast(", observed".count)), observed: true) : .holiday(name: name, observed: false)
        }
        return nil
    }

    /// A name up to the parenthesis that closes the one before it; names may hold parentheses.
    private mutating func name() -> String? {
        var depth = 0
        for index in rest.indices {
            switch rest[index] {
            case "(": depth += 1
            case ")" where depth == 0:
                let name = String(rest[..<index])
                rest = rest[rest.index(after: index)...]
                return name
            case ")": depth -= 1
            default: break
            }
        }
        return nil
    }
}
