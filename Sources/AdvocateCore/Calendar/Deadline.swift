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

/// How a deadline was counted, as data: what was counted from what, and where the count ended.
///
/// The days the count passed over or moved off are found again from the calendar when someone
/// reads them, so counting a deadline in a transition allocates nothing: most due dates are
/// counted many times and read once, if at all.
public struct DeadlineExplanation: Hashable, Sendable {
    public var trigger: LocalDateTime
    public var period: Period
    public var direction: Direction
    public var hasTime: Bool
    /// Whether a last day on a closed day moved (court deadlines) or stayed (reminders to people).
    public var rolling: Bool
    public var end: CivilDate
    /// The calendar it was counted on.
    public var calendar: CourtCalendar

    /// Court days that were not counted (holidays and closures on weekdays).
    public var notCounted: [ClosedDay] { recount().notCounted }
    /// Days the last day moved off, in order.
    public var moved: [ClosedDay] { recount().moved }

    public var reasons: [String] { lines.map(\.english) }

    /// The same, as data, for pages that write it in another language.
    public var lines: [DeadlineReason] {
        var lines: [DeadlineReason] = [.counted(period, direction, from: trigger, hasTime: hasTime)]
        let days = recount()
        if !days.notCounted.isEmpty { lines.append(.notCounted(days.notCounted.map(DeadlineReason.Closed.init))) }
        if !days.moved.isEmpty { lines.append(.moved(days.moved.map(DeadlineReason.Closed.init), direction, to: end)) }
        return lines
    }

    private func recount() -> ClosedDays {
        var days: ClosedDays? = ClosedDays()
        _ = calendar.count(from: trigger, period, direction: direction, rolling: rolling, closed: &days)
        // Counting fills the list it is given and never takes it away.
        return days!
    }

    public static func == (a: DeadlineExplanation, b: DeadlineExplanation) -> Bool {
        a.trigger == b.trigger && a.period == b.period && a.direction == b.direction && a.hasTime == b.hasTime && a.rolling == b.rolling
            && a.end == b.end && a.calendar.isSame(b.calendar)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(trigger)
        hasher.combine(period)
        hasher.combine(direction)
        hasher.combine(end)
        hasher.combine(calendar.name)
    }
}

/// The explanations of the deadlines one expression counted. Nearly always there is one, kept
/// without an array, so explaining a due date allocates nothing more than the due date's box.
struct Explanations: Sendable, Equatable {
    private(set) var first: DeadlineExplanation?
    private(set) var rest: [DeadlineExplanation] = []

    init() {}

    init(_ only: DeadlineExplanation) { first = only }

    mutating func append(_ explanation: DeadlineExplanation) {
        if first == nil { first = explanation } else { rest.append(explanation) }
    }

    var all: [DeadlineExplanation] { first.map { [$0] + rest } ?? [] }
}

/// The closed days a count met, kept only when asked for.
struct ClosedDays {
    var notCounted: [ClosedDay] = []
    var moved: [ClosedDay] = []
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
        let timed = hasTime || period.unit == .hours
        let moment = end(from: trigger, period, direction: direction, hasTime: timed, rolling: rolling)
        let explanation = DeadlineExplanation(
            trigger: trigger, period: period, direction: direction, hasTime: timed, rolling: rolling, end: moment.date, calendar: self)
        return Deadline(moment: moment, hasTime: timed, explanation: explanation)
    }

    /// The end of the same count, without its explanation.
    func end(from trigger: LocalDateTime, _ period: Period, direction: Direction, hasTime: Bool, rolling: Bool) -> LocalDateTime {
        let timed = hasTime || period.unit == .hours
        // No list of closed days, not even an empty one: counting a timer makes and frees nothing.
        var days: ClosedDays? = nil
        let (end, minute) = count(from: trigger, period, direction: direction, rolling: rolling, closed: &days)
        return LocalDateTime(date: end, minuteOfDay: timed ? minute : 0)
    }

    /// The count itself: the last day and the minute of the day, noting in `closed` the days it
    /// passed over or moved off unless it is nil.
    fileprivate func count(
        from trigger: LocalDateTime, _ period: Period, direction: Direction, rolling: Bool, closed: inout ClosedDays?
    ) -> (CivilDate, Int) {
        let sign = direction == .forward ? 1 : -1
        var end: CivilDate
        var minute = trigger.minuteOfDay
        switch period.unit {
        case .hours:
            let moment = trigger.adding(minutes: sign * period.amount * 60)
            end = moment.date
            minute = moment.minuteOfDay
        case .courtDays:
            var day = trigger.date.dayNumber
            var counted = 0
            while counted < period.amount {
                day += sign
                guard isClosed(day: day, direction: direction) else {
                    counted += 1
                    continue
                }
                // Weekends pass without a word; a holiday or closure is named.
                let date = CivilDate(dayNumber: day)
                if closed != nil, !date.isWeekend, let off = dayOff(date, direction: direction) {
                    closed?.notCounted.append(ClosedDay(date: date, dayOff: off))
                }
            }
            end = CivilDate(dayNumber: day)
        case .days, .weeks:
            end = trigger.date.adding(days: sign * (period.unit == .weeks ? period.amount * 7 : period.amount))
        case .months, .years:
            end = trigger.date.adding(months: sign * (period.unit == .years ? period.amount * 12 : period.amount))
        }
        if rolling, period.unit != .courtDays {
            while isClosed(end, direction: direction) {
                if closed != nil { closed?.moved.append(ClosedDay(date: end, dayOff: dayOff(end, direction: direction))) }
                end = end.adding(days: sign)
            }
        }
        return (end, minute)
    }
}
