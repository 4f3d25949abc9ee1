/// A calendar day with no time zone, counted as days since 1970-01-01.
///
/// Court deadlines are about days on the local calendar, not instants, so the core
/// works on civil dates and converts instants only at its edge.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before it).
    public var dayNumber: Int

    public init(dayNumber: Int) { self.dayNumber = dayNumber }

    /// A date from its parts, or nil when the parts do not name a real day.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.dayNumber = CivilDate.days(year: year, month: month, day: day)
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso text: some StringProtocol) {
        let utf8 = Array(text.utf8)
        guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-"),
            let y = CivilDate.digits(utf8[0..<4]), let m = CivilDate.digits(utf8[5..<7]), let d = CivilDate.digits(utf8[8..<10])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public var parts: (year: Int, month: Int, day: Int) {
        // Howard Hinnant's civil_from_days.
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public var year: Int { parts.year }

    public var weekday: Weekday { Weekday(rawValue: ((dayNumber % 7) + 11) % 7)! }

    public var isWeekend: Bool { weekday == .saturday || weekday == .sunday }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// Adds calendar months, clamping to the last day of a shorter month (Jan 31 + 1 month = Feb 28).
    public func adding(months: Int) -> CivilDate {
        let (y, m, d) = parts
        let total = y * 12 + (m - 1) + months
        let ny = total >= 0 ? total / 12 : (total - 11) / 12
        let nm = total - ny * 12 + 1
        return CivilDate(dayNumber: CivilDate.days(year: ny, month: nm, day: min(d, CivilDate.daysIn(month: nm, year: ny))))
    }

    public var iso: String {
        let (y, m, d) = parts
        guard (0...9999).contains(y) else { return CivilDate.pad(y, 4) + "-" + CivilDate.pad(m, 2) + "-" + CivilDate.pad(d, 2) }
        // Written as bytes: dates are formatted for every stored item and journal entry.
        return String(unsafeUninitializedCapacity: 10) { buffer in
            writeISO(into: buffer)
            return 10
        }
    }

    /// Writes `YYYY-MM-DD` into the first ten bytes of `buffer`; the year must be 0 to 9999.
    func writeISO(into buffer: UnsafeMutableBufferPointer<UInt8>) {
        let (year, m, d) = parts
        buffer[0] = UInt8(48 + year / 1000)
        buffer[1] = UInt8(48 + year / 100 % 10)
        buffer[2] = UInt8(48 + year / 10 % 10)
        buffer[3] = UInt8(48 + year % 10)
        buffer[4] = UInt8(ascii: "-")
        buffer[5] = UInt8(48 + m / 10)
        buffer[6] = UInt8(48 + m % 10)
        buffer[7] = UInt8(ascii: "-")
        buffer[8] = UInt8(48 + d / 10)
        buffer[9] = UInt8(48 + d % 10)
    }

    public var description: String { iso }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { a.dayNumber < b.dayNumber }

    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return value
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// Days of the week, Sunday first as in the US court calendar.
public enum Weekday: Int, Sendable, CaseIterable, CustomStringConvertible {
    case sunday, monday, tuesday, wednesday, thursday, friday, saturday

    public init?(name: String) {
        guard let day = Weekday.allCases.first(where: { $0.description.lowercased() == name.lowercased() }) else { return nil }
        self = day
    }

    public var description: String {
        ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][rawValue]
    }
}

/// A local date and time of day, to the minute, in the court's time zone.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var date: CivilDate
    /// Minutes since midnight, 0..<1440.
    public var minuteOfDay: Int

    public init(date: CivilDate, minuteOfDay: Int = 0) {
        self.date = date
        self.minuteOfDay = minuteOfDay
    }

    /// Parses `YYYY-MM-DDTHH:MM` (seconds, if present, are ignored) or a bare date at midnight.
    public init?(iso text: some StringProtocol) {
        let s = String(text)
        if let date = CivilDate(iso: s) {
            self.init(date: date)
            return
        }
        let utf8 = Array(s.utf8)
        guard utf8.count >= 16, utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: " "), utf8[13] == UInt8(ascii: ":"),
            let date = CivilDate(iso: s.prefix(10)), let h = CivilDate.digits(utf8[11..<13]), let m = CivilDate.digits(utf8[14..<16]),
            h < 24, m < 60
        else { return nil }
        if utf8.count > 16 {
            guard utf8.count == 19, utf8[16] == UInt8(ascii: ":"), CivilDate.digits(utf8[17..<19]) != nil else { return nil }
        }
        self.init(date: date, minuteOfDay: h * 60 + m)
    }

    public var totalMinutes: Int { date.dayNumber * 1440 + minuteOfDay }

    public init(totalMinutes: Int) {
        let day = totalMinutes >= 0 ? totalMinutes / 1440 : (totalMinutes - 1439) / 1440
        self.init(date: CivilDate(dayNumber: day), minuteOfDay: totalMinutes - day * 1440)
    }

    public func adding(minutes: Int) -> LocalDateTime { LocalDateTime(totalMinutes: totalMinutes + minutes) }

    public var iso: String {
        guard (0...9999).contains(date.year) else { return date.iso + "T" + CivilDate.pad(minuteOfDay / 60, 2) + ":" + CivilDate.pad(minuteOfDay % 60, 2) }
        return String(unsafeUninitializedCapacity: 16) { buffer in
            date.writeISO(into: buffer)
            let hour = minuteOfDay / 60, minute = minuteOfDay % 60
            buffer[10] = UInt8(ascii: "T")
            buffer[11] = UInt8(48 + hour / 10)
            buffer[12] = UInt8(48 + hour % 10)
            buffer[13] = UInt8(ascii: ":")
            buffer[14] = UInt8(48 + minute / 10)
            buffer[15] = UInt8(48 + minute % 10)
            return 16
        }
    }

    public var description: String { iso }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.totalMinutes < b.totalMinutes }
}
