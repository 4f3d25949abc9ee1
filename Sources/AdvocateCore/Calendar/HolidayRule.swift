/// How to find a holiday's date in a given year.
public enum HolidayRule: Hashable, Sendable {
    /// A fixed month and day. With `observed`, a Saturday is observed on Friday and a Sunday on Monday.
    case fixed(month: Int, day: Int, observed: Bool)
    /// The nth weekday of a month (nth 1...5, or -1 for the last), plus an offset in days
    /// (the day after Thanksgiving is the 4th Thursday of November + 1).
    case nthWeekday(month: Int, weekday: Weekday, nth: Int, offset: Int)
    /// Listed dates only.
    case dates([CivilDate])

    /// The days this rule gives in `year`: the day itself and, when it moves, the observed day.
    public func days(in year: Int) -> [CivilDate] {
        switch self {
        case .fixed(let month, let day, let observed):
            guard let date = CivilDate(year: year, month: month, day: day) else { return [] }
            guard observed else { return [date] }
            switch date.weekday {
            case .saturday: return [date.adding(days: -1), date]
            case .sunday: return [date, date.adding(days: 1)]
            default: return [date]
            }
        case .nthWeekday(let month, let weekday, let nth, let offset):
            guard let first = CivilDate(year: year, month: month, day: 1) else { return [] }
            let date: CivilDate
            if nth > 0 {
                let shift = (weekday.rawValue - first.weekday.rawValue + 7) % 7
                date = first.adding(days: shift + 7 * (nth - 1))
                guard date.parts.month == month else { return [] }
            } else {
                let last = first.adding(months: 1).adding(days: -1)
                date = last.adding(days: -((last.weekday.rawValue - weekday.rawValue + 7) % 7))
            }
            return [date.adding(days: offset)]
        case .dates(let dates):
            return dates.filter { $0.year == year }
        }
    }
}

/// A named day on which the court's deadlines cannot fall.
public struct Holiday: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// A legal holiday: periods in both directions skip it.
        case legal
        /// A legal holiday that only periods counted forward skip, such as a state holiday
        /// under FRCP 6(a)(6)(C) in a federal court.
        case forwardOnly = "forward-only"
        /// The court is closed but the day is not a legal holiday (the day after Thanksgiving in many courts).
        case closure
    }

    public var name: String
    public var rule: HolidayRule
    public var kind: Kind
    /// First and last years the holiday exists (Juneteenth became federal in 2021).
    public var years: ClosedRange<Int>

    public init(name: String, rule: HolidayRule, kind: Kind = .legal, years: ClosedRange<Int> = 1900...9999) {
        self.name = name
        self.rule = rule
        self.kind = kind
        self.years = years
    }
}

extension Holiday {
    /// US federal legal holidays (5 U.S.C. 6103), with their observed days.
    public static let usFederal: [Holiday] = [
        Holiday(name: "New Year's Day", rule: .fixed(month: 1, day: 1, observed: true)),
        Holiday(name: "Birthday of Martin Luther King, Jr.", rule: .nthWeekday(month: 1, weekday: .monday, nth: 3, offset: 0), years: 1986...9999),
        Holiday(name: "Washington's Birthday", rule: .nthWeekday(month: 2, weekday: .monday, nth: 3, offset: 0)),
        Holiday(name: "Memorial Day", rule: .nthWeekday(month: 5, weekday: .monday, nth: -1, offset: 0)),
        Holiday(name: "Juneteenth National Independence Day", rule: .fixed(month: 6, day: 19, observed: true), years: 2021...9999),
        Holiday(name: "Independence Day", rule: .fixed(month: 7, day: 4, observed: true)),
        Holiday(name: "Labor Day", rule: .nthWeekday(month: 9, weekday: .monday, nth: 1, offset: 0)),
        Holiday(name: "Columbus Day", rule: .nthWeekday(month: 10, weekday: .monday, nth: 2, offset: 0)),
        Holiday(name: "Veterans Day", rule: .fixed(month: 11, day: 11, observed: true)),
        Holiday(name: "Thanksgiving Day", rule: .nthWeekday(month: 11, weekday: .thursday, nth: 4, offset: 0)),
        Holiday(name: "Christmas Day", rule: .fixed(month: 12, day: 25, observed: true)),
    ]
}
