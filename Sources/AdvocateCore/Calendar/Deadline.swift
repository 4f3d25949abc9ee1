/// A period of time to count from a trigger, as court rules state them.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    public enum Unit: String, Hashable, Sendable {
        /// Calendar days: every day counts; the last day rolls off weekends and holidays.
        case days
        /// Court (business) days: only days the court is open count.
        case courtDays = "court days"
        case hours
        case weeks
        case months
        case years
    }

    public var amount: Int
    public var unit: Unit

    public init(_ amount: Int, _ unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    public var description: String {
        let singular: String
        switch unit {
        case .days: singular = "day"
        case .courtDays: singular = "court day"
        case .hours: singular = "hour"
        case .weeks: singular = "week"
        case .months: singular = "month"
        case .years: singular = "year"
        }
        return "\(amount) \(singular)\(amount == 1 ? "" : "s")"
    }
}

/// The end of a period, with how it was counted.
public struct Deadline: Hashable, Sendable {
    /// The last day, or the last minute for periods in hours.
    public var moment: LocalDateTime
    /// True when the period was counted in hours, so the time of day matters.
    public var hasTime: Bool
    /// How it was counted and why it moved, kept as data; ``reasons`` puts it in words.
    public var explanation: DeadlineExplanation

    public var date: CivilDate { moment.date }
    public var iso: String { hasTime ? moment.iso : moment.date.iso }
    /// Plain sentences: how it was counted and why it moved.
    public var reasons: [String] { explanation.reasons }
}

/// A day the count passed over or moved off, and why the court was closed.
public struct ClosedDay: Hashable, Sendable {
    public var date: CivilDate
    /// nil for a weekend day.
    public var dayOff: CourtCalendar.DayOff?
}

/// How a deadline was counted, as data: the text is written only when someone reads it, so
/// computing deadlines in a hot loop allocates no strings.
public struct DeadlineExplanation: Hashable, Sendable {
    public var trigger: LocalDateTime
    public var period: Period
    public var direction: Direction
    public var hasTime: Bool
    /// Court days that were not counted (holidays and closures on weekdays).
    public var notCounted: [ClosedDay] = []
    /// Days the last day moved off, in order.
    public var moved: [ClosedDay] = []
    public var end: CivilDate

    public var reasons: [String] { lines.map(\.english) }

    /// The same, as data, for pages that write it in another language.
    public var lines: [DeadlineReason] {
        var lines: [DeadlineReason] = [.counted(period, direction, from: trigger, hasTime: hasTime)]
        if !notCounted.isEmpty { lines.append(.notCounted(notCounted.map(DeadlineReason.Closed.init))) }
        if !moved.isEmpty { lines.append(.moved(moved.map(DeadlineReason.Closed.init), direction, to: end)) }
        return lines
    }
}

extension CourtCalendar {
    /// Counts `period` from `trigger` under FRCP 6(a).
    ///
    /// Day periods exclude the trigger day and count every day; a last day on a weekend, legal
    /// holiday or closure moves to the next open day for periods counted forward, and to the
    /// previous open day for periods counted backward. Hour periods count every hour and roll
    /// the same way to the same time of day. Court days count only days the court is open.
    ///
    /// With `rolling` off, the last day stays where the count puts it: reminders to people are
    /// not filings, and "the day before the hearing" is that day even on a Sunday.
    public func deadline(from trigger: LocalDateTime, _ period: Period, direction: Direction, hasTime: Bool = false, rolling: Bool = true) -> Deadline {
        let sign = direction == .forward ? 1 : -1
        let timed = hasTime || period.unit == .hours
        var explanation = DeadlineExplanation(trigger: trigger, period: period, direction: direction, hasTime: timed, end: trigger.date)
        var end: CivilDate
        var minute = trigger.minuteOfDay
        switch period.unit {
        case .hours:
            let moment = trigger.adding(minutes: sign * period.amount * 60)
            end = moment.date
            minute = moment.minuteOfDay
        case .courtDays:
            end = trigger.date
            var counted = 0
            while counted < period.amount {
                end = end.adding(days: sign)
                if end.isWeekend { continue }
                if let off = dayOff(end, direction: direction) {
                    explanation.notCounted.append(ClosedDay(date: end, dayOff: off))
                } else {
                    counted += 1
                }
            }
        case .days, .weeks:
            end = trigger.date.adding(days: sign * (period.unit == .weeks ? period.amount * 7 : period.amount))
        case .months, .years:
            end = trigger.date.adding(months: sign * (period.unit == .years ? period.amount * 12 : period.amount))
        }
        if rolling, period.unit != .courtDays {
            while isClosed(end, direction: direction) {
                explanation.moved.append(ClosedDay(date: end, dayOff: dayOff(end, direction: direction)))
                end = end.adding(days: sign)
            }
        }
        explanation.end = end
        return Deadline(moment: LocalDateTime(date: end, minuteOfDay: timed ? minute : 0), hasTime: timed, explanation: explanation)
    }
}
