import Advocate
import ArgumentParser
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk a fictional client through the protective-order workflow on a fresh store, then print the agenda.",
        discussion: "Dana Whitfield is invented. The demo starts today and moves its own clock forward three days; your real store is not touched.")
    @Option(help: "The project folder (default: found from here).") var home: String?
    @Option(help: "Keep the demo store at this new path (default: a temporary file, removed afterwards).") var store: String?

    /// One scripted step: how far into the demo it happens, and what the advocate does.
    struct Scene {
        var day: Int
        var minute: Int
        var say: String
        var action: (CaseService, String, CivilDate) throws -> String?
    }

    func run() throws {
        try Output.run {
            let workspace = Workspace(root: try Workspace.locate(explicit: home))
            let folder = NSTemporaryDirectory() + "advocate-demo-\(UUID().uuidString)"
            let path: String
            if let store {
                guard !FileManager.default.fileExists(atPath: store) else { throw AdvocateError("\(store) already exists; the demo needs a new store") }
                path = store
            } else {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                path = folder + "/demo.sqlite"
            }
            defer { if store == nil { try? FileManager.default.removeItem(atPath: folder) } }

            // Today, or the day ADVOCATE_NOW names, so a script or test sees the same story every day.
            let start = LocalClock.local(try Output.clock().now(), in: .current).date
            let clock = ManualClock(LocalDateTime(date: start, minuteOfDay: 9 * 60))
            let service = CaseService(workspace: workspace, store: try CaseStore(path: path), clock: clock.localClock)
            let hearing = LocalDateTime(date: start.adding(days: 15), minuteOfDay: 9 * 60)

            print("Advocate demo: Dana Whitfield (a fictional client) asks for a protective order.\n")
            var caseId = ""
            let scenes: [Scene] = [
                Scene(day: 0, minute: 9 * 60, say: "Day 1, 09:00. Intake: the advocate opens a protective-order case.") { service, _, today in
                    let outcome = try service.open(workflow: "protective-order", fields: [
                        "client.name": "Dana Whitfield", "client.language": "Spanish", "client.has_children": "true",
                        "client.safe_address": "PO Box 4471, Riverside Station, Example City",
                        "respondent.relationship": "former spouse or partner", "respondent.has_firearms": "true",
                        "incident.date": today.adding(days: -2).iso,
                    ])
                    caseId = outcome.caseId
                    return "Opened \(outcome.caseId)."
                },
                Scene(day: 0, minute: 10 * 60 + 30, say: "Day 1, 10:30. They make a safety plan together.") { service, id, _ in
                    _ = try service.send(id, event: "safety_plan_made", fields: [:])
                    return nil
                },
                Scene(day: 1, minute: 9 * 60, say: "Day 2, 09:00. The petition is filed, asking for a temporary order.") { service, id, _ in
                    _ = try service.send(id, event: "petition_filed", fields: ["petition.ex_parte_requested": "true", "court.case_number": "PO-2026-0417"])
                    return nil
                },
                Scene(day: 1, minute: 14 * 60, say: "Day 2, 14:00. The judge grants a temporary order and sets the full hearing.") { service, id, _ in
                    _ = try service.send(id, event: "temporary_order_granted", fields: ["hearing.date": hearing.iso, "order.firearm_surrender": "true"])
                    return nil
                },
                Scene(day: 3, minute: 11 * 60, say: "Day 4, 11:00. An officer serves the respondent.") { service, id, _ in
                    _ = try service.send(id, event: "respondent_served", fields: ["service.method": "by a law enforcement officer"])
                    return nil
                },
            ]
            for scene in scenes {
                clock.set(LocalDateTime(date: start.adding(days: scene.day), minuteOfDay: scene.minute))
                print(scene.say)
                if let line = try scene.action(service, caseId, start) { print("  " + line) }
            }
            let details = try service.details(caseId)
            print("\n" + CaseRendering.text(details, unlockSafeAddress: false))
            let today = start.adding(days: 3)
            print("\nThe agenda the advocate sees on day 4 (\(today.iso)), for the next 21 days:\n")
            try AgendaCommand.printAgenda(try service.agenda(from: today, days: 21, overdue: true), from: today, days: 21, overdueOnly: false, today: today)
            if let store { print("\nThe demo store is kept at \(store).") }
        }
    }
}
