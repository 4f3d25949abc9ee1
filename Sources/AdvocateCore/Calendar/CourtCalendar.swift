/// The days a court is open, for deadline arithmetic: weekends, legal holidays and closures.
///
/// Holidays for the common years are worked out once when the calendar is made, so that
/// checking a day is a table lookup.
public struct CourtCalendar: Sendable {
    /// Held in one shared box: expressions copy the calendar into every environment they make,
    /// and copying one reference costs far less than copying its names, holidays and table.
    private final class Storage: Sendable {
        let name: String
        let title: String
        let timeZone: String?
        let holidays: [Holiday]
        /// For each day of the tabulated years, where its days off are in `offs`: the position
        /// of the first shifted left by 8 bits, and how many in the low 8 bits (0: none).
        let table: [UInt32]
        let offs: [DayOff]
        /// For each day of the tabulated years, whether the court is closed (a weekend day or a
        /// day off): ``forwardClosed`` when counting forward, ``backwardClosed`` when counting back.
        let closed: [UInt8]
        let firstDay: Int
        static let forwardClosed: UInt8 = 1
        static let backwardClosed: UInt8 = 2

        init(name: String, title: String, timeZone: String?, holidays: [Holiday]) {
            self.name = name
            self.title = title
            self.timeZone = timeZone
            self.holidays = holidays
            let firstDay = CivilDate.days(year: CourtCalendar.tabulatedYears.lowerBound, month: 1, day: 1)
            let endDay = CivilDate.days(year: CourtCalendar.tabulatedYears.upperBound + 1, month: 1, day: 1)
            var found: [(day: Int, off: DayOff)] = []
            for year in CourtCalendar.tabulatedYears {
                for (date, off) in CourtCalendar.daysOff(holidays, year: year) { found.append((date.dayNumber, off)) }
            }
            // By day, and within a day in the order the rules gave them (the first that applies is the one named).
            let order = found.indices.sorted { (found[$0].day, $0) < (found[$1].day, $1) }
            var table = [UInt32](repeating: 0, count: endDay - firstDay)
            var offs: [DayOff] = []
            offs.reserveCapacity(found.count)
            for index in order {
                let slot = found[index].day - firstDay
                if table[slot] == 0 { table[slot] = UInt32(offs.count) << 8 }
                if table[slot] & 0xFF < 0xFF {
                    table[slot] += 1
                    offs.append(found[index].off)
                }
            }
            self.table = table
            self.offs = offs
            self.firstDay = firstDay
            closed = table.indices.map { slot in
                if CivilDate(dayNumber: firstDay + slot).isWeekend { return Storage.forwardClosed | Storage.backwardClosed }
                let first = Int(table[slot] >> 8)
                var closed: UInt8 = 0
                for off in offs[first..<first + Int(table[slot] & 0xFF)] {
                    closed |= off.kind == .forwardOnly ? Storage.forwardClosed : Storage.forwardClosed | Storage.backwardClosed
                }
                return closed
            }
        }
    }

    private let storage: Storage
    private static let tabulatedYears = 1990...2100

    public var name: String { storage.name }
    public var title: String { storage.title }
    /// IANA time zone of the court, used by the interpreter to turn instants into local times.
    public var timeZone: String? { storage.timeZone }
    public var holidays: [Holiday] { storage.holidays }

    /// Whether two values are the same calendar, not only two with one name.
    func isSame(_ other: CourtCalendar) -> Bool { storage === other.storage }

    /// Why a court is closed on a day.
    public struct DayOff: Hashable, Sendable {
        public var name: String
        public var kind: Holiday.Kind
        /// True when this is the observed day of a holiday that falls on a weekend.
        public var observed: Bool
    }

    public init(name: String, title: String? = nil, timeZone: String? = nil, holidays: [Holiday]) {
        storage = Storage(name: name, title: title ?? name, timeZone: timeZone, holidays: holidays)
    }

    /// Federal holidays only.
    public static let usFederal = CourtCalendar(name: "us-federal", title: "US federal courts", holidays: Holiday.usFederal)

    /// Why the court is closed on `date` (weekends aside), or nil when it is open.
    public func dayOff(_ date: CivilDate, direction: Direction) -> DayOff? {
        let offset = date.dayNumber - storage.firstDay
        guard offset >= 0, offset < storage.table.count else {
            return CourtCalendar.daysOff(holidays, year: date.year).first { $0.0 == date && ($0.1.kind != .forwardOnly || direction == .forward) }?.1
        }
        let entry = storage.table[offset]
        let first = Int(entry >> 8)
        for index in first..<first + Int(entry & 0xFF) where storage.offs[index].kind != .forwardOnly || direction == .forward {
            return storage.offs[index]
        }
        return nil
    }

    /// True when `date` is a weekend day, a legal holiday or a closure.
    public func isClosed(_ date: CivilDate, direction: Direction = .forward) -> Bool {
        isClosed(day: date.dayNumber, direction: direction)
    }

    /// The same for a day number, read from one table in the tabulated years: what counting asks day by day.
    func isClosed(day: Int, direction: Direction) -> Bool {
        let offset = day - storage.firstDay
        guard offset >= 0, offset < storage.closed.count else {
            let date = CivilDate(dayNumber: day)
            return date.isWeekend || dayOff(date, direction: direction) != nil
        }
        return storage.closed[offset] & (direction == .forward ? Storage.forwardClosed : Storage.backwardClosed) != 0
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
