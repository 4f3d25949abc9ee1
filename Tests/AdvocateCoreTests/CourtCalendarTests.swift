import Testing
@testable import AdvocateCore

private func day(_ text: String) -> CivilDate { CivilDate(iso: text)! }

@Suite("Court calendar and FRCP 6(a)")
struct CourtCalendarTests {
    @Test("Federal legal holidays and observed days", arguments: [
        (2026, ["2026-01-01", "2026-01-19", "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-07-04", "2026-09-07", "2026-10-12", "2026-11-11", "2026-11-26", "2026-12-25"]),
        (2027, ["2027-01-01", "2027-01-18", "2027-02-15", "2027-05-31", "2027-06-18", "2027-06-19", "2027-07-04", "2027-07-05", "2027-09-06", "2027-10-11", "2027-11-11", "2027-11-25", "2027-12-24", "2027-12-25", "2027-12-31"]),
    ])
    func federalHolidays(year: Int, expected: [String]) {
        let start = CivilDate(year: year, month: 1, day: 1)!
        let end = CivilDate(year: year, month: 12, day: 31)!
        let found = CourtCalendar.usFederal.daysOff(from: start, through: end).map(\.0.iso)
        #expect(found == expected)
    }

    @Test("Days off are found the same inside the precomputed years and outside them", arguments: [
        ("1985-11-28", "Thanksgiving Day", false), ("1989-12-31", nil, false), ("1990-01-01", "New Year's Day", false),
        ("2100-12-31", "New Year's Day", true), ("2101-01-01", "New Year's Day", false), ("2150-07-03", "Independence Day", true),
    ] as [(String, String?, Bool)])
    func daysOffAcrossTheTable(date: String, holiday: String?, observed: Bool) {
        let off = CourtCalendar.usFederal.dayOff(day(date), direction: .forward)
        #expect(off?.name == holiday)
        #expect((off?.observed ?? false) == observed)
    }

    @Test func juneteenthOnlyFrom2021() {
        #expect(CourtCalendar.usFederal.dayOff(day("2020-06-19"), direction: .forward) == nil)
        #expect(CourtCalendar.usFederal.dayOff(day("2021-06-18"), direction: .forward)?.observed == true)
    }

    @Test("The committee note's worked example: forward rolls past Labor Day")
    func committeeExampleForward() {
        let deadline = CourtCalendar.usFederal.deadline(from: LocalDateTime(date: day("2007-08-22")), Period(10, .days), direction: .forward)
        #expect(deadline.date == day("2007-09-04"))
        #expect(deadline.reasons == [
            "10 days after 2007-08-22",
            "Saturday 2007-09-01 is a weekend day; Sunday 2007-09-02 is a weekend day; Monday 2007-09-03 is a legal holiday (Labor Day); moved forward to Tuesday 2007-09-04",
        ])
    }

    @Test("Backward periods move to the day before")
    func committeeExampleBackward() {
        let calendar = CourtCalendar.usFederal
        #expect(calendar.deadline(from: LocalDateTime(date: day("2007-09-10")), Period(10, .days), direction: .backward).date == day("2007-08-31"))
        // 3 days before Tuesday 2026-11-24 is Saturday: moves back to Friday.
        #expect(calendar.deadline(from: LocalDateTime(date: day("2026-11-24")), Period(3, .days), direction: .backward).date == day("2026-11-20"))
    }

    @Test("Court days skip weekends and holidays", arguments: [
        ("2026-11-19", 5, Direction.forward, "2026-11-27"),
        ("2026-11-30", 3, Direction.backward, "2026-11-24"),
        ("2026-12-23", 2, Direction.forward, "2026-12-28"),
        ("2026-11-19", 0, Direction.forward, "2026-11-19"),
    ])
    func courtDays(from: String, amount: Int, direction: Direction, expected: String) {
        let result = CourtCalendar.usFederal.deadline(from: LocalDateTime(date: day(from)), Period(amount, .courtDays), direction: direction)
        #expect(result.date == day(expected))
    }

    @Test("Hour periods keep the time of day and roll to the next open day")
    func hours() {
        let start = LocalDateTime(iso: "2026-12-23T17:00")!
        let result = CourtCalendar.usFederal.deadline(from: start, Period(48, .hours), direction: .forward, hasTime: true)
        #expect(result.iso == "2026-12-28T17:00")
        let plain = CourtCalendar.usFederal.deadline(from: LocalDateTime(iso: "2026-11-16T09:30")!, Period(72, .hours), direction: .forward, hasTime: true)
        #expect(plain.iso == "2026-11-19T09:30")
    }

    @Test("State holidays that count forward only, and court closures")
    func jurisdictionDays() {
        let calendar = CourtCalendar(name: "test", holidays: Holiday.usFederal + [
            Holiday(name: "Statehood Day", rule: .fixed(month: 6, day: 2, observed: false), kind: .forwardOnly),
            Holiday(name: "Day after Thanksgiving", rule: .nthWeekday(month: 11, weekday: .thursday, nth: 4, offset: 1), kind: .closure),
        ])
        // 2026-06-02 is a Tuesday.
        #expect(calendar.deadline(from: LocalDateTime(date: day("2026-05-26")), Period(7, .days), direction: .forward).date == day("2026-06-03"))
        #expect(calendar.deadline(from: LocalDateTime(date: day("2026-06-09")), Period(7, .days), direction: .backward).date == day("2026-06-02"))
        let thanksgiving = calendar.deadline(from: LocalDateTime(date: day("2026-11-19")), Period(7, .days), direction: .forward)
        #expect(thanksgiving.date == day("2026-11-30"))
        #expect(thanksgiving.reasons.last?.contains("a court closure (Day after Thanksgiving)") == true)
        // Court days: a forward-only day is closed counting forward and open counting back.
        #expect(calendar.deadline(from: LocalDateTime(date: day("2026-06-01")), Period(1, .courtDays), direction: .forward).date == day("2026-06-03"))
        #expect(calendar.deadline(from: LocalDateTime(date: day("2026-06-04")), Period(2, .courtDays), direction: .backward).date == day("2026-06-02"))
    }

    /// Counting reads one table of closed days in the precomputed years; it must count as asking
    /// each day whether it is a weekend or a day off does, there and outside them.
    @Test("Court days counted from the table agree with asking each day", arguments: ["1989-12-01", "2026-11-02", "2027-12-01", "2100-12-01"])
    func courtDaysAgreeWithEachDay(from start: String) {
        let calendar = CourtCalendar(name: "test", holidays: Holiday.usFederal + [
            Holiday(name: "Statehood Day", rule: .fixed(month: 12, day: 8, observed: false), kind: .forwardOnly),
            Holiday(name: "Day after Thanksgiving", rule: .nthWeekday(month: 11, weekday: .thursday, nth: 4, offset: 1), kind: .closure),
        ])
        for offset in 0..<45 {
            let trigger = day(start).adding(days: offset)
            for direction in [Direction.forward, .backward] {
                for amount in [1, 3, 7] {
                    var expected = trigger
                    var named: [CivilDate] = []
                    var counted = 0
                    while counted < amount {
                        expected = expected.adding(days: direction == .forward ? 1 : -1)
                        if expected.isWeekend { continue }
                        if calendar.dayOff(expected, direction: direction) == nil { counted += 1 } else { named.append(expected) }
                    }
                    let found = calendar.deadline(from: LocalDateTime(date: trigger), Period(amount, .courtDays), direction: direction)
                    #expect(found.date == expected, "\(amount) court days \(direction) from \(trigger)")
                    // The days off it passed over are named, and weekends are not.
                    #expect(found.explanation.notCounted.map(\.date) == named, "\(amount) court days \(direction) from \(trigger)")
                }
            }
        }
    }

    @Test func monthsClampToTheEndOfShortMonths() {
        #expect(day("2026-01-31").adding(months: 1) == day("2026-02-28"))
        #expect(day("2028-02-29").adding(months: 12) == day("2029-02-28"))
        // 2027-11-28 is a Sunday, so one year after 2026-11-28 rolls to Monday.
        #expect(CourtCalendar.usFederal.deadline(from: LocalDateTime(date: day("2026-11-28")), Period(1, .years), direction: .forward).date == day("2027-11-29"))
    }

    @Test func civilDatesRoundTrip() {
        for number in stride(from: -800_000, through: 800_000, by: 997) {
            let date = CivilDate(dayNumber: number)
            let (y, m, d) = date.parts
            #expect(CivilDate(year: y, month: m, day: d) == date)
            if y >= 0 && y <= 9999 { #expect(CivilDate(iso: date.iso) == date) }
        }
        #expect(day("1970-01-01").weekday == .thursday)
        #expect(CivilDate(iso: "2026-02-30") == nil)
        #expect(LocalDateTime(iso: "2026-11-19T24:00") == nil)
    }
}
