import Advocate
import ArgumentParser
import Foundation

struct DeadlineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadline", abstract: "Count a court deadline under FRCP 6(a), and say why it moved.",
        discussion: """
            Day periods exclude the trigger day and count every day; a last day on a weekend, legal holiday or court \
            closure moves forward (or back with --before). --court-days counts only days the court is open.
            Example: advocate deadline --from 2026-11-19 --days 7
            """)
    @Option(help: "The trigger date (YYYY-MM-DD), or date and time for --hours (YYYY-MM-DDTHH:MM).") var from: String
    @Option(help: "A period in days.") var days: Int?
    @Option(help: "A period in hours.") var hours: Int?
    @Flag(help: "Count back before the trigger.") var before = false
    @Flag(help: "Count only days the court is open.") var courtDays = false
    @Option(help: "A calendar in Workflows/calendars/ (default: US federal holidays).") var calendar: String?
    @Option(help: "The project folder (for --calendar).") var home: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Output.run {
            guard (days == nil) != (hours == nil) else { throw AdvocateError("give either --days N or --hours N") }
            let amount = days ?? hours ?? 0
            guard amount >= 0, amount <= 100_000 else { throw AdvocateError("the period must be from 0 to 100000") }
            if courtDays, hours != nil { throw AdvocateError("--court-days goes with --days, not --hours") }
            guard let start = LocalDateTime(iso: from) else {
                throw AdvocateError("--from must be a date written YYYY-MM-DD (or YYYY-MM-DDTHH:MM with --hours)")
            }
            let court: CourtCalendar
            if let calendar {
                // Only the one calendar file is read, so the command starts fast.
                let root = try Workspace.locate(explicit: home)
                let path = root + "/Workflows/calendars/\(calendar).yaml"
                guard calendar == "us-federal" || FileManager.default.fileExists(atPath: path) else {
                    throw AdvocateError("no calendar '\(calendar)' in \(root)/Workflows/calendars")
                }
                court = calendar == "us-federal" ? .usFederal : try CalendarLoader.load(path: path)
            } else {
                court = .usFederal
            }
            let period = Period(amount, hours != nil ? .hours : (courtDays ? .courtDays : .days))
            let result = court.deadline(from: start, period, direction: before ? .backward : .forward, hasTime: hours != nil)
            if json {
                Output.json([
                    "deadline": result.iso, "weekday": result.date.weekday.description, "from": hours != nil ? start.iso : start.date.iso,
                    "period": period.description, "direction": before ? "backward" : "forward", "calendar": court.name, "reasons": result.reasons,
                ])
                return
            }
            print("\(result.date.weekday) \(result.iso)")
            for reason in result.reasons { print("  \(reason)") }
        }
    }
}
