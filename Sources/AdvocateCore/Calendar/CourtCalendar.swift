/// The days a court is open, for deadline arithmetic: weekends, legal holidays and closures.
///
/// Holidays for the common years are worked out once when the calendar is made, so that
/// checking a day is a table lookup.
public struct CourtCalendar: Sendable {
    public var name: String
    public var title: String
    /// IANA time zone of the court, used by the interpreter to turn instants into local times.
    public var timeZone: String?
    public private(set) var holidays: [Holiday]
    private var table: [Int: [DayOff]]
    private static let tabulatedYears = 1990...2100

    /// Why a court is closed on a day.
    public struct DayOff: Hashable, Sendable {
        public var name: String
        public var kind: Holiday.Kind
        /// True when this is the observed day of a holiday that falls on a weekend.
        public var observed: Bool
    }

    public init(name: String, title: String? = nil, timeZone: String? = nil, holidays: [Holiday]) {
        self.name = name
        self.title = title ?? name
        self.timeZone = timeZone
        self.holidays = holidays
        self.table = [:]
        for year in CourtCalendar.tabulatedYears {
            for (date, off) in CourtCalendar.daysOff(holidays, year: year) { table[date.dayNumber, default: []].append(off) }
        }
    }

    /// Federal holidays only.
    public static let usFederal = CourtCalendar(name: "us-federal", title: "US federal courts", holidays: Holiday.usFederal)

    /// Why the court is closed on `date` (weekends aside), or nil when it is open.
    public func dayOff(_ date: CivilDate, direction: Direction) -> DayOff? {
        let year = date.year
        let offs: [DayOff]
        if CourtCalendar.tabulatedYears.contains(year) {
            offs = table[date.dayNumber] ?? []
        } else {
            offs = CourtCalendar.daysOff(holidays, year: year).filter { $0.0 == date }.map(\.1)
        }
        return offs.first { $0.kind != .forwardOnly || direction == .forward }
    }

    /// True when `date` is a weekend day, a legal holiday or a closure.
    public func isClosed(_ date: CivilDate, direction: Direction = .forward) -> Bool {
        date.isWeekend || dayOff(date, direction: direction) != nil
    }

    /// Legal holidays and closures between two dates, inclusive, in order.
    public func daysOff(from start: CivilDate, through end: CivilDate) -> [(CivilDate, DayOff)] {
        guard start <= end else { return [] }
        var result: [(CivilDate, DayOff)] = []
        var day = start
        while day <= end {
            if let off = dayOff(day, direction: .forward) { result.append((day, off)) }
            day = day.adding(days: 1)
        }
        return result
    }

    private static func daysOff(_ holidays: [Holiday], year: Int) -> [(CivilDate, DayOff)] {
        var result: [(CivilDate, DayOff)] = []
        for holiday in holidays where holiday.years.contains(year) {
            // An observed day can fall in the neighbouring year (New Year's Day 2028 is observed on 2027-12-31).
            for y in [year - 1, year, year + 1] where holiday.years.contains(y) {
                let days = holiday.rule.days(in: y)
                for day in days where day.year == year {
                    // A weekend holiday gives two days: itself and the weekday it is observed on.
                    let observed = days.count > 1 && !day.isWeekend
                    result.append((day, DayOff(name: holiday.name, kind: holiday.kind, observed: observed)))
                }
            }
        }
        return result
    }
}

/// Whether a period is counted after its trigger or before it.
public enum Direction: String, Sendable, Hashable {
    case forward, backward
}
