import Advocate
import ArgumentParser
import Foundation

struct AgendaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agenda", abstract: "Every step due or overdue across all cases, soonest first; court dates first on each day.")
    @OptionGroup var options: StoreOptions
    @Option(help: "First day (YYYY-MM-DD; default today).") var from: String?
    @Option(help: "How many days to show.") var days: Int = 7
    @Flag(help: "Only items already overdue.") var overdue = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Output.run {
            let service = try options.service()
            let start = try from.map { text in
                guard let date = CivilDate(iso: text) else { throw AdvocateError("--from must be a date written YYYY-MM-DD") }
                return date
            } ?? service.today()
            guard days >= 1, days <= 3660 else { throw AdvocateError("--days must be from 1 to 3660") }
            // Without --overdue the agenda shows what is overdue too, so nothing slips; with it, only that.
            let entries = try service.agenda(from: start, days: days, overdue: true, overdueOnly: overdue)
            if json {
                Output.json(entries.map(JSONShapes.agenda))
                return
            }
            try AgendaCommand.printAgenda(entries, from: start, days: days, overdueOnly: overdue, today: service.today())
        }
    }

    static func printAgenda(_ entries: [CaseService.AgendaEntry], from start: CivilDate, days: Int, overdueOnly: Bool, today: CivilDate) throws {
        let end = start.adding(days: days - 1)
        print(overdueOnly ? "Overdue before \(today.iso)" : "Agenda \(start.iso) to \(end.iso)")
        if entries.isEmpty { print("  Nothing due.") }
        var lastHeading = ""
        // Overdue steps make one group, though a past court date in the window sorts among them.
        for entry in entries.filter(\.overdue) + entries.filter({ !$0.overdue }) {
            guard let due = entry.row.due else { continue }
            let heading = entry.overdue ? "OVERDUE" : "\(due.date.weekday) \(due.date.iso)"
            if heading != lastHeading {
                print("\n\(heading)")
                lastHeading = heading
            }
            let time = due.hasTime ? String(due.moment.iso.suffix(5)) + " " : ""
            let when = entry.overdue ? "(was due \(due.iso)) " : time
            let mark = entry.row.kind == "court-date" ? "COURT " : ""
            print("  \(entry.row.caseId)  \(mark)\(when)\(entry.row.title) · \(entry.row.who) · \(entry.workflowId)")
            // Every line of how the date was counted: "not counted: …" alone does not say from what.
            if entry.row.kind != "court-date" { for reason in due.reasons { print("           \(reason)") } }
        }
    }
}

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar", abstract: "Export court dates and due steps as iCalendar (RFC 5545), with alarms and stable UIDs.")
    @OptionGroup var options: StoreOptions
    @Option(name: .customLong("case"), help: "Only this case.") var caseId: String?
    @Option(name: .shortAndLong, help: "Write to this file instead of standard output.") var output: String?

    func run() throws {
        try Output.run {
            let service = try options.service()
            var rows: [AgendaRow]
            if let caseId {
                rows = try service.details(caseId).agenda
            } else {
                // Everything still ahead, and steps already overdue; court dates gone by are history.
                rows = try service.agenda(from: service.today(), days: 366 * 100, overdue: true).map(\.row)
            }
            rows.removeAll { $0.due == nil }
            let text = ICalendar.render(rows)
            if let output {
                do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch {
                    throw AdvocateError("cannot write \(output): \((error as NSError).localizedDescription)")
                }
                print("Wrote \(rows.count) event\(rows.count == 1 ? "" : "s") to \(output)")
            } else {
                print(text, terminator: "")
            }
        }
    }
}

struct TickCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tick", abstract: "Fire timers and referral follow-ups that have come due.")
    @OptionGroup var options: StoreOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Output.run {
            let fired = try options.service().tick()
            if json {
                Output.json(fired.map { ["case": $0.caseId, "effects": $0.effects.map(CaseRendering.describe), "document_problems": $0.documentProblems] as [String: Any] })
                return
            }
            if fired.isEmpty { print("Nothing was due.") }
            for (caseId, effects, problems) in fired {
                print("\(caseId): \(effects.map(CaseRendering.describe).joined(separator: "; "))")
                for problem in problems { FileHandle.standardError.write(Data("warning: \(caseId): \(problem)\n".utf8)) }
            }
        }
    }
}
