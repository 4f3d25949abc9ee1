import Testing
@testable import AdvocateCore

@Suite("Deadline reasons read back from their stored English")
struct DeadlineReasonTests {
    /// Federal holidays plus days whose names hold the characters the reader splits on.
    static let calendar = CourtCalendar(name: "test", holidays: Holiday.usFederal + [
        Holiday(name: "Day after Thanksgiving", rule: .nthWeekday(month: 11, weekday: .thursday, nth: 4, offset: 1), kind: .closure),
        Holiday(name: "Statehood Day", rule: .fixed(month: 6, day: 2, observed: true), kind: .forwardOnly),
        Holiday(name: "Courthouse closed (flood repairs), east wing", rule: .fixed(month: 3, day: 10, observed: false), kind: .closure),
    ])

    @Test("every line a deadline explains itself with reads back to the same data and the same words", arguments: [
        Period(1, .days), Period(7, .days), Period(14, .days), Period(1, .courtDays), Period(3, .courtDays), Period(10, .courtDays),
        Period(72, .hours), Period(2, .weeks), Period(1, .months), Period(1, .years),
    ])
    func roundTrip(period: Period) {
        var lines = 0
        var start = CivilDate(iso: "2025-12-20")!
        while start < CivilDate(iso: "2028-01-10")! {
            for direction in [Direction.forward, .backward] {
                for hasTime in [false, true] {
                    let trigger = LocalDateTime(date: start, minuteOfDay: hasTime ? 9 * 60 + 30 : 0)
                    let deadline = Self.calendar.deadline(from: trigger, period, direction: direction, hasTime: hasTime)
                    for (text, line) in zip(deadline.reasons, deadline.explanation.lines) {
                        let read = DeadlineReason(english: text)
                        #expect(read == line, "\(text)")
                        #expect(read?.english == text)
                        lines += 1
                    }
                }
            }
            start = start.adding(days: 1)
        }
        #expect(lines > 2_000)
    }

    @Test func theLinesThatMoveADate() {
        let moved = Self.calendar.deadline(from: LocalDateTime(date: CivilDate(iso: "2026-11-19")!), Period(7, .days), direction: .forward)
        #expect(moved.reasons == [
            "7 days after 2026-11-19",
            "Thursday 2026-11-26 is a legal holiday (Thanksgiving Day); Friday 2026-11-27 is a court closure (Day after Thanksgiving); Saturday 2026-11-28 is a weekend day; Sunday 2026-11-29 is a weekend day; moved forward to Monday 2026-11-30",
        ])
        let closure = DeadlineReason(english: "not counted: 2027-03-10 (a court closure (Courthouse closed (flood repairs), east wing)), 2027-07-05 (a legal holiday (Independence Day, observed))")
        #expect(closure == .notCounted([
            .init(date: CivilDate(iso: "2027-03-10")!, why: .closure(name: "Courthouse closed (flood repairs), east wing")),
            .init(date: CivilDate(iso: "2027-07-05")!, why: .holiday(name: "Independence Day", observed: true)),
        ]))
    }

    @Test func referralFollowUps() {
        let line = DeadlineReason.noAnswer(Period(5, .courtDays)).english
        #expect(line == "5 court days after the referral with no answer")
        #expect(DeadlineReason(english: line) == .noAnswer(Period(5, .courtDays)))
    }

    @Test("a line written some other way is not read as a reason", arguments: [
        "", "filed late", "7 days after", "7 days after tomorrow", "seven days after 2026-11-19", "not counted: ", "not counted: 2026-11-26",
        "not counted: 2026-11-26 (a holiday)", "not counted: 2026-11-26 (a legal holiday (Thanksgiving Day)) and more",
        "Saturday 2026-11-28 is a weekend day; moved sideways to Monday 2026-11-30", "; moved forward to Monday 2026-11-30",
        "Someday 2026-11-28 is a weekend day; moved forward to Monday 2026-11-30", "soon after the referral with no answer",
    ])
    func unreadable(line: String) {
        #expect(DeadlineReason(english: line) == nil)
    }
}
