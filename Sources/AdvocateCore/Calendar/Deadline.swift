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

/// The end of a period, with each reason it landed where it did.
public struct Deadline: Hashable, Sendable {
    /// The last day, or the last minute for periods in hours.
    public var moment: LocalDateTime
    /// True when the period was counted in hours, so the time of day matters.
    public var hasTime: Bool
    /// Plain sentences: how it was counted and why it moved.
    public var reasons: [String]

    public var date: CivilDate { moment.date }
    public var iso: String { hasTime ? moment.iso : moment.date.iso }
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
        let word = direction == .forward ? "after" : "before"
        let start = hasTime ? trigger.iso : trigger.date.iso
        var reasons = ["\(period) \(word) \(start)"]
        var moment: LocalDateTime
        switch period.unit {
        case .hours:
            moment = trigger.adding(minutes: sign * period.amount * 60)
            let rolled = rolling ? roll(moment.date, direction: direction, reasons: &reasons) : moment.date
            moment = LocalDateTime(date: rolled, minuteOfDay: moment.minuteOfDay)
            return Deadline(moment: moment, hasTime: true, reasons: reasons)
        case .courtDays:
            var day = trigger.date
            var counted = 0
            var skipped: [String] = []
            while counted < period.amount {
                day = day.adding(days: sign)
                if let why = closedReason(day, direction: direction) {
                    if !day.isWeekend { skipped.append("\(day.iso) (\(why))") }
                } else {
                    counted += 1
                }
            }
            if !skipped.isEmpty { reasons.append("not counted: " + skipped.joined(separator: ", ")) }
            moment = LocalDateTime(date: day, minuteOfDay: trigger.minuteOfDay)
        case .days, .weeks:
            let days = period.unit == .weeks ? period.amount * 7 : period.amount
            let end = trigger.date.adding(days: sign * days)
            let day = rolling ? roll(end, direction: direction, reasons: &reasons) : end
            moment = LocalDateTime(date: day, minuteOfDay: trigger.minuteOfDay)
        case .months, .years:
            let months = period.unit == .years ? period.amount * 12 : period.amount
            let end = trigger.date.adding(months: sign * months)
            let day = rolling ? roll(end, direction: direction, reasons: &reasons) : end
            moment = LocalDateTime(date: day, minuteOfDay: trigger.minuteOfDay)
        }
        return Deadline(moment: hasTime ? moment : LocalDateTime(date: moment.date), hasTime: hasTime, reasons: reasons)
    }

    /// Moves a last day off weekends, holidays and closures, explaining the move in one sentence.
    func roll(_ day: CivilDate, direction: Direction, reasons: inout [String]) -> CivilDate {
        var day = day
        var skipped: [String] = []
        while let why = closedReason(day, direction: direction) {
            skipped.append("\(day.weekday) \(day.iso) is \(why)")
            day = day.adding(days: direction == .forward ? 1 : -1)
        }
        if !skipped.isEmpty {
            reasons.append(skipped.joined(separator: "; ") + "; moved \(direction == .forward ? "forward" : "back") to \(day.weekday) \(day.iso)")
        }
        return day
    }

    private func closedReason(_ day: CivilDate, direction: Direction) -> String? {
        if let off = dayOff(day, direction: direction) {
            switch off.kind {
            case .closure: return "a court closure (\(off.name))"
            case .legal, .forwardOnly: return off.observed ? "a legal holiday (\(off.name), observed)" : "a legal holiday (\(off.name))"
            }
        }
        if day.isWeekend { return "a weekend day" }
        return nil
    }
}
