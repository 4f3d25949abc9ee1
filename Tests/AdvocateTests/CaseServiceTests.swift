import Foundation
import Testing
import TestSupport
@testable import Advocate

@Suite("The interpreter and the store")
struct CaseServiceTests {
    let start = TestSupport.time("2026-11-19T09:00")

    @Test(arguments: [("Spanish", ["court-date-notice-en", "court-date-notice-es"]), ("English", ["court-date-notice-en"])])
    func reachingAStateFillsItsPaperworkInTheClientsLanguage(language: String, notices: [String]) throws {
        let (service, clock, _) = try TestSupport.service(at: start)
        let opened = try service.open(workflow: "protective-order", fields: ["client.name": "Ana María Núñez", "client.language": language, "client.safe_address": "P.O. Box 9"])
        #expect(opened.documents.map(\.form) == ["protective-order-petition", "safety-plan"])
        // The petition names what it still needs; the safe address stays out of it.
        #expect(opened.documents[0].missing == ["respondent.name", "incident.summary"])
        let petition = try OfficePackage(data: Data(try service.documentContent(opened.caseId, sequence: 1)), name: "petition")
        let body = String(decoding: try #require(petition.data("word/document.xml")), as: UTF8.self)
        #expect(body.contains("Ana María Núñez") && !body.contains("P.O. Box 9"))
        clock.advance(days: 1)
        _ = try service.send(opened.caseId, event: "petition_filed", fields: ["petition.ex_parte_requested": "true"])
        let granted = try service.send(opened.caseId, event: "temporary_order_granted", fields: ["hearing.date": "2026-12-03T09:00"])
        #expect(granted.documents.map(\.form) == notices)
        #expect(granted.documents.allSatisfy { $0.missing.isEmpty || !$0.missing.contains("hearing.date") })
        let stored = try service.documents(opened.caseId)
        #expect(stored.map(\.sequence) == Array(1...(2 + notices.count)))
        let notice = String(decoding: try service.documentContent(opened.caseId, sequence: 3), as: UTF8.self)
        #expect(notice.contains("Ana María Núñez"))
        #expect(notice.contains("December 3, 2026") || notice.contains("3 de diciembre de 2026"))
        #expect(!notice.contains("P.O. Box 9"))
    }

    @Test func paperworkAWorkflowFillsIsAuditedAsMadeByWhoeverAskedForIt() throws {
        let (service, _, _) = try TestSupport.service(at: start)
        let id = try service.open(workflow: "protective-order", fields: ["client.name": "Dana Whitfield"], actor: .commandLine).caseId
        let log = try service.store.read { try $0.auditLog(caseId: id) }
        let made = log.filter { $0.action == "document.create" }.map(\.detail).sorted()
        #expect(made == ["document 1: protective-order-petition as docx, filled by the workflow", "document 2: safety-plan as odt, filled by the workflow"])
        #expect(!made.joined().contains("Dana"))
    }

    @Test func paperworkATimerFillsIsAuditedAsMadeByTheWorkflowTimer() throws {
        let root = try copyOfProject()
        let path = root + "/Workflows/protective-order.yaml"
        let original = try String(contentsOfFile: path, encoding: .utf8)
        // A workflow whose hearing-day timer enters a state that fills a notice.
        let edited = original.replacingOccurrences(of: "      full_hearing:\n        title: Full hearing\n", with: "      full_hearing:\n        title: Full hearing\n        on_enter:\n          - fill: court-date-notice-en\n")
        #expect(edited != original)
        try edited.write(toFile: path, atomically: true, encoding: .utf8)
        let (service, clock, _) = try TestSupport.service(at: start, workspace: Workspace(root: root))
        let id = try service.open(workflow: "protective-order", fields: ["client.name": "Dana Whitfield"]).caseId
        _ = try service.send(id, event: "petition_filed", fields: ["petition.ex_parte_requested": "false"])
        _ = try service.send(id, event: "full_hearing_set", fields: ["hearing.date": "2026-11-24T09:00"])
        clock.advance(days: 6)
        let ticked = try service.tick()
        #expect(ticked.map(\.caseId) == [id])
        let log = try service.store.read { try $0.auditLog(caseId: id) }
        let made = try #require(log.first { $0.action == "document.create" && $0.detail.contains("court-date-notice-en") && $0.channel == "timer" })
        #expect(made.accountName == "workflow timer")
        #expect(try service.documents(id).contains { $0.form == "court-date-notice-en" && $0.sequence == Int(made.detail.split(separator: " ")[1].dropLast()) })
    }

    @Test func openSendAndReadBack() throws {
        let (service, clock, _) = try TestSupport.service(at: start)
        let opened = try service.open(workflow: "protective-order", fields: ["client.name": "Dana Whitfield", "client.has_children": "yes"])
        #expect(opened.caseId == "C-00001")
        #expect(opened.state.tracks["court"] == "intake")
        clock.advance(days: 1)
        _ = try service.send(opened.caseId, event: "petition_filed", fields: ["petition.ex_parte_requested": "true"])
        let granted = try service.send(opened.caseId, event: "temporary_order_granted", fields: ["hearing.date": "2026-12-03T09:00"])
        #expect(granted.state.tracks["court"] == "temporary_order")
        #expect(granted.state.data["temporary_order.expires"] == .date(TestSupport.date("2026-12-04")))

        let history = try service.history(opened.caseId)
        #expect(history.map(\.sequence) == [1, 2, 3])
        #expect(try service.replay(opened.caseId) == granted.state)

        let agenda = try service.agenda(from: TestSupport.date("2026-11-20"), days: 30, overdue: true)
        let court = try #require(agenda.first { $0.row.kind == "court-date" })
        #expect(court.row.due?.iso == "2026-12-03T09:00")
        #expect(court.workflowId == "protective-order")
        // Soonest first, and on the hearing day the court date comes before anything else.
        let dates = agenda.compactMap { $0.row.due?.date }
        #expect(dates == dates.sorted())
        let hearingDay = agenda.filter { $0.row.due?.date == TestSupport.date("2026-12-03") }
        #expect(hearingDay.first?.row.kind == "court-date")
    }

    @Test func aContinuedHearingAsksForNothingAlreadyDoneAndKeepsWatchingTheTemporaryOrder() throws {
        let (service, clock, _) = try TestSupport.service(at: start)
        let id = try caseWithTemporaryOrder(service, hearing: "2026-12-03T09:00", expires: "2026-12-03").caseId
        clock.advance(days: 2)
        let served = try service.send(id, event: "respondent_served", fields: [:])
        let endsSoon = "The temporary order ends soon. If the hearing has moved, ask the court to extend it."
        // Service moves the case on; the order still ends on its own date, so its reminder stays.
        #expect(served.state.items.contains { $0.key == "file_proof_of_service" })
        #expect(served.state.items.first { $0.title == endsSoon }?.due?.date == TestSupport.date("2026-12-01"))
        _ = try service.complete(id, step: "file_proof_of_service")
        clock.advance(days: 12)
        _ = try service.tick()
        #expect(try service.details(id).stored.state.tracks["court"] == "full_hearing")
        let continued = try service.send(id, event: "hearing_continued", fields: ["hearing.date": "2027-01-07T09:00", "temporary_order.expires": "2027-01-07"])
        #expect(continued.state.tracks["court"] == "served")
        // Proof of service was filed once; the new hearing brings new preparation and a new end for the order.
        #expect(!continued.state.items.contains { $0.key == "file_proof_of_service" })
        #expect(continued.state.items.contains { $0.key == "prepare_full_hearing" })
        #expect(continued.state.items.first { $0.title == endsSoon }?.due?.date == TestSupport.date("2027-01-05"))
    }

    @Test func workStillToDoStaysOnTheAgendaWhenTheHearingDayComes() throws {
        let (service, clock, _) = try TestSupport.service(at: start)
        let id = try caseWithTemporaryOrder(service, hearing: "2026-11-24T09:00").caseId
        // Served the day before the hearing, with the order's copies not yet sent out.
        clock.advance(days: 4)
        let served = try service.send(id, event: "respondent_served", fields: [:])
        #expect(served.state.items.contains { $0.key == "temporary_order_copies" })
        clock.advance(days: 1)
        _ = try service.tick()
        let hearingDay = try service.details(id).stored.state
        #expect(hearingDay.tracks["court"] == "full_hearing")
        let proof = try #require(hearingDay.items.first { $0.key == "file_proof_of_service" })
        #expect(proof.state == "full_hearing")
        #expect(proof.due?.date == TestSupport.date("2026-11-24"))
        #expect(hearingDay.items.contains { $0.key == "temporary_order_copies" })
        // Work that only made sense before the hearing is gone.
        #expect(!hearingDay.items.contains { $0.key == "prepare_full_hearing" || $0.key == "arrange_service" })
        // Done once, it does not come back when the case moves on again.
        _ = try service.complete(id, step: "file_proof_of_service")
        // The temporary order's copies were wanted until the final order replaced it.
        let ordered = try service.send(id, event: "final_order_granted", fields: [:])
        #expect(!ordered.state.items.contains { $0.key == "file_proof_of_service" || $0.key == "temporary_order_copies" })
        _ = try service.send(id, event: "order_violated", fields: [:])
        // A court case that ends closes what was kept open.
        let renewing = try service.send(id, event: "renewal_filed", fields: [:])
        #expect(renewing.state.items.first { $0.key == "report_violation" }?.state == "renewal_pending")
        let ended = try service.send(id, event: "renewal_denied", fields: [:])
        #expect(ended.state.tracks["court"] == "expired")
        #expect(!ended.state.items.contains { $0.track == "court" })
    }

    @Test func aCallAboutTheDefendantsReleaseIsNotDroppedWhenTheClientChoosesHerNotices() throws {
        let (service, clock, _) = try TestSupport.service(at: start)
        let id = try service.open(workflow: "criminal-case", fields: ["client.name": "Dana Whitfield"]).caseId
        let released = try service.send(id, event: "custody_changed", fields: ["custody.status": "released before trial", "release.date": "2026-11-19T08:00"])
        #expect(released.state.items.contains { $0.key == "release_safety_call" })
        clock.advance(days: 1)
        let chose = try service.send(id, event: "notification_choice_made", fields: ["notifications.opted_in": "true"])
        #expect(chose.state.tracks["rights"] == "monitoring")
        let call = try #require(chose.state.items.first { $0.key == "release_safety_call" })
        #expect(call.state == "monitoring")
        // What belonged only to the state she left is gone.
        #expect(!chose.state.items.contains { $0.key == "register_notifications" })
    }

    @Test func aHearingMovedBeforeItsDayBringsBackTheReminderThatTheOrderEnds() throws {
        let (service, clock, _) = try TestSupport.service(at: start)
        let granted = try caseWithTemporaryOrder(service, hearing: "2026-12-03T09:00", expires: "2026-12-03")
        let id = granted.caseId
        let endsSoon = "reminder:order_ends_soon"
        #expect(granted.state.items.filter { $0.key == endsSoon }.count == 1)
        _ = try service.complete(id, step: endsSoon)
        clock.advance(days: 2)
        let moved = try service.send(id, event: "hearing_continued", fields: ["hearing.date": "2027-01-07T09:00", "temporary_order.expires": "2027-01-07"])
        #expect(moved.state.tracks["court"] == "temporary_order")
        #expect(moved.state.items.first { $0.key == endsSoon }?.due?.date == TestSupport.date("2027-01-05"))
        // The client gets a notice of the new date.
        #expect(moved.documents.map(\.form) == ["court-date-notice-en"])
        // Moved again while the reminder is open: still one reminder, on the newest date.
        let servedCase = try service.send(id, event: "respondent_served", fields: [:])
        #expect(servedCase.state.items.filter { $0.key == endsSoon }.count == 1)
        let again = try service.send(id, event: "hearing_continued", fields: ["hearing.date": "2027-01-14T09:00", "temporary_order.expires": "2027-01-14"])
        #expect(again.state.tracks["court"] == "served")
        #expect(again.state.items.filter { $0.key == endsSoon }.map { $0.due?.date } == [TestSupport.date("2027-01-12")])
        #expect(again.documents.map(\.form) == ["court-date-notice-en"])
    }

    @Test func aRenewalHearingGivesTheClientOneReminder() throws {
        let (service, _, _) = try TestSupport.service(at: start)
        let id = try service.open(workflow: "protective-order", fields: ["client.name": "Dana Whitfield"]).caseId
        _ = try service.send(id, event: "petition_filed", fields: ["petition.ex_parte_requested": "false"])
        _ = try service.send(id, event: "full_hearing_set", fields: ["hearing.date": "2026-12-03T09:00"])
        _ = try service.send(id, event: "respondent_served", fields: [:])
        _ = try service.send(id, event: "final_order_granted", fields: [:])
        _ = try service.send(id, event: "renewal_filed", fields: ["renewal.hearing_date": "2027-10-01T09:00"])
        let set = try service.send(id, event: "renewal_hearing_set", fields: ["renewal.hearing_date": "2027-10-08T09:00"])
        let reminders = set.state.items.filter { $0.kind == .reminder && $0.title.contains("renew") }
        #expect(reminders.map { $0.due?.date } == [TestSupport.date("2027-10-07")])
    }

    @Test func aCaseServedWithoutATemporaryOrderHasNoReminderAboutOne() throws {
        let (service, _, _) = try TestSupport.service(at: start)
        let id = try service.open(workflow: "protective-order", fields: ["client.name": "Dana Whitfield"]).caseId
        _ = try service.send(id, event: "petition_filed", fields: ["petition.ex_parte_requested": "false"])
        _ = try service.send(id, event: "full_hearing_set", fields: ["hearing.date": "2026-12-03T09:00"])
        let served = try service.send(id, event: "respondent_served", fields: [:])
        #expect(served.state.tracks["court"] == "served")
        #expect(served.state.items.contains { $0.key == "file_proof_of_service" })
        #expect(!served.state.items.contains { $0.title.hasPrefix("The temporary order") })
    }

    @Test func overdueIsCountedFromTodayWhateverWindowIsAskedFor() throws {
        let (service, clock, _) = try TestSupport.service(at: start)
        _ = try service.open(workflow: "protective-order", fields: ["client.name": "Dana Whitfield"])
        // Planning next week: tomorrow's step is neither overdue nor in the window.
        let nextWeek = TestSupport.date("2026-11-26")
        let ahead = try service.agenda(from: nextWeek, days: 7, overdue: true)
        #expect(!ahead.contains { $0.overdue || $0.row.key == "explain_options" })
        clock.advance(days: 3)
        let later = try service.agenda(from: nextWeek, days: 7, overdue: true)
        #expect(later.first { $0.row.key == "explain_options" }?.overdue == true)
        let overdueOnly = try service.agenda(from: nextWeek, days: 7, overdue: false, overdueOnly: true)
        #expect(!overdueOnly.isEmpty && overdueOnly.allSatisfy(\.overdue))
    }

    @Test func aCourtDateThatHasPassedIsNeitherOverdueNorDue() throws {
        let (service, clock, _) = try TestSupport.service(at: start)
        let id = try caseWithTemporaryOrder(service, hearing: "2026-12-03T09:00").caseId
        clock.advance(days: 15)
        _ = try service.tick()
        for item in try service.details(id).stored.state.items { _ = try service.complete(id, step: item.key) }
        let today = service.today()
        let agenda = try service.agenda(from: today, days: 7, overdue: true)
        #expect(agenda.isEmpty)
        // Looking back over the hearing day: the hearing is shown, and not as overdue.
        let lookingBack = try service.agenda(from: TestSupport.date("2026-12-01"), days: 7, overdue: true)
        #expect(lookingBack.map { "\($0.row.kind) \($0.overdue)" } == ["court-date false"])
        // The case list agrees with the agenda: nothing is due, though the hearing day is still on record.
        #expect(try service.details(id).agenda.contains { $0.kind == "court-date" })
        let listed = try #require(try service.caseSummaries(.init(today: today.dayNumber)).cases.first)
        #expect(listed.nextDueDay == nil)
        #expect(try service.caseSummaries(.init(dueThrough: today.dayNumber - 1, today: today.dayNumber)).total == 0)
    }

    @Test("Refused input changes nothing", arguments: [
        ("C-99999", "petition_filed", ["petition.ex_parte_requested": "true"], "no case 'C-99999' in this store; 'advocate case list' shows the cases"),
        ("C-00001", "final_order_granted", [:], "event 'final_order_granted' is not allowed now: court is at 'intake', safety is at 'assessment'"),
        ("C-00001", "petition_filed", ["petition.ex_parte_requested": "maybe"], "'petition.ex_parte_requested' must be true or false (or yes or no)"),
        ("C-00001", "petition_filed", ["petition.ex_parte_requested": "true", "petition.filed": "next tuesday"], "'petition.filed' must be a date written YYYY-MM-DD"),
        ("C-00001", "petition_filled", [:], "unknown event 'petition_filled' (did you mean 'petition_filed'?)"),
        ("C-00001", "petition_filed", ["client.name": "Someone Else"], "event 'petition_filed' does not set 'client.name' (it sets: petition.filed, petition.ex_parte_requested, court.case_number)"),
    ])
    func refused(caseId: String, event: String, fields: [String: String], message: String) throws {
        let (service, _, _) = try TestSupport.service(at: start)
        let opened = try service.open(workflow: "protective-order", fields: ["client.name": "Dana Whitfield"])
        let before = try service.history(opened.caseId)
        #expect(throws: AdvocateError.self) { try service.send(caseId, event: event, fields: fields) }
        do {
            _ = try service.send(caseId, event: event, fields: fields)
        } catch {
            #expect(error.description == message)
            #expect(!error.description.contains("Dana"))
        }
        #expect(try service.history(opened.caseId) == before)
        #expect(try service.details(opened.caseId).stored.version == 1)
    }

    @Test func referralsAreFollowedUpAfterCourtDaysWithNoAnswer() throws {
        let (service, clock, _) = try TestSupport.service(at: start)
        let id = try service.open(workflow: "services", fields: ["client.name": "Dana Whitfield"]).caseId
        _ = try service.send(id, event: "counseling_needed", fields: ["counseling.kind": "individual"])
        // Thursday + 3 court days: Friday, Monday, Tuesday.
        clock.set(TestSupport.time("2026-11-24T08:59"))
        #expect(try service.tick().isEmpty)
        clock.set(TestSupport.time("2026-11-24T09:00"))
        let fired = try service.tick()
        #expect(fired.map(\.caseId) == [id])
        var items = try service.details(id).stored.state.items
        let followUp = try #require(items.first { $0.kind == .followUp })
        #expect(followUp.key == "follow-up:counseling#1")
        #expect(followUp.due?.date == TestSupport.date("2026-11-24"))
        // A tick with nothing due changes nothing, and adds nothing to the journal.
        let journalLength = try service.history(id).count
        #expect(try service.tick().isEmpty)
        #expect(try service.history(id).count == journalLength)
        // The answer closes the follow-up.
        _ = try service.send(id, event: "counseling_accepted", fields: [:])
        items = try service.details(id).stored.state.items
        #expect(!items.contains { $0.kind == .followUp })
        #expect(try service.replay(id) == service.details(id).stored.state)
    }

    @Test func timersFireWhenAnyCommandOpensTheStore() throws {
        let (service, clock, _) = try TestSupport.service(at: start)
        let id = try service.open(workflow: "services", fields: ["client.name": "Dana Whitfield"]).caseId
        _ = try service.send(id, event: "counseling_needed", fields: ["counseling.kind": "group"])
        clock.advance(days: 30)
        // Reading the agenda fires the due follow-ups first, in the same transaction.
        let agenda = try service.agenda(from: TestSupport.date("2026-11-19"), days: 40, overdue: true)
        #expect(agenda.contains { $0.row.key == "follow-up:counseling#1" })
    }

    @Test func twoWritersOnOneCaseLoseNothing() async throws {
        let (first, _, path) = try TestSupport.service(at: start)
        let id = try first.open(workflow: "protective-order", fields: ["client.name": "Dana Whitfield"]).caseId
        let second = CaseService(workspace: TestSupport.workspace, store: try CaseStore(path: path), clock: first.clock)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in [first, second] {
                group.addTask {
                    for n in 0..<40 { _ = try service.send(id, event: "client_moved", fields: ["client.phone": "555-01\(n)"]) }
                }
            }
            try await group.waitForAll()
        }
        let history = try first.history(id)
        #expect(history.count == 81)
        #expect(history.map(\.sequence) == Array(1...81))
        #expect(try first.details(id).stored.version == 81)
    }

    @Test func staleVersionsAreRefused() throws {
        let (service, _, _) = try TestSupport.service(at: start)
        let id = try service.open(workflow: "protective-order", fields: ["client.name": "Dana Whitfield"]).caseId
        let stored = try service.store.read { try $0.loadCase(id) }
        _ = try service.send(id, event: "client_moved", fields: ["client.phone": "555-0100"])
        #expect(throws: StoreError.self) {
            try service.store.write { tx in
                try tx.updateCase(id, expectedVersion: stored.version, state: stored.state, wakeAt: nil, entries: [], agenda: [], personal: [])
            }
        }
    }

    @Test func casesKeepTheDefinitionTheyWereOpenedOn() throws {
        let root = try copyOfProject()
        let (service, _, path) = try TestSupport.service(at: start, workspace: Workspace(root: root))
        let id = try service.open(workflow: "services", fields: ["client.name": "Dana Whitfield"]).caseId
        let pinned = try service.details(id).definition.contentHash
        // Edit the file in place, without a new version.
        let file = root + "/Workflows/services.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "Talk with the client about counseling and support groups", with: "Edited title").write(toFile: file, atomically: true, encoding: .utf8)
        let edited = Workspace(root: root)
        #expect(edited.workflow("services")?.definition.contentHash != pinned)
        let later = CaseService(workspace: edited, store: try CaseStore(path: path), clock: service.clock)
        let details = try later.details(id)
        #expect(details.definition.contentHash == pinned)
        #expect(details.definition.steps["offer_counseling"]?.title == "Talk with the client about counseling and support groups")
    }

    @Test func migrationMovesCasesOnlyWhenTheirStatesExist() throws {
        let root = try copyOfProject()
        let original = try String(contentsOfFile: root + "/Workflows/services.yaml", encoding: .utf8)
        try original.replacingOccurrences(of: "version: 1", with: "version: 2").write(toFile: root + "/Workflows/services-v2.yaml", atomically: true, encoding: .utf8)
        try original.replacingOccurrences(of: "version: 1", with: "version: 3").replacingOccurrences(of: "referred", with: "sent_on")
            .write(toFile: root + "/Workflows/services-v3.yaml", atomically: true, encoding: .utf8)
        let workspace = Workspace(root: root)
        #expect(workspace.diagnostics.filter { $0.severity == .error }.isEmpty, "\(workspace.diagnostics)")
        // Cases open on the newest version; start on version 2 by opening with a workspace that lacks version 3.
        let (service, _, _) = try TestSupport.service(at: start, workspace: workspace)
        let loaded = try #require(workspace.workflow("services", version: 2))
        let id = try service.open(loaded, values: ["client.name": .string("Dana Whitfield")]).caseId
        _ = try service.send(id, event: "counseling_needed", fields: ["counseling.kind": "crisis"])
        #expect(throws: AdvocateError.self) { try service.migrate(id, toVersion: 3) }
        do { _ = try service.migrate(id, toVersion: 3) } catch {
            #expect(error.description == "cannot migrate \(id) to version 3: its current state counseling/referred does not exist there")
        }
        let moved = try service.migrate(id, toVersion: 1)
        #expect(moved.workflowVersion == 1)
        _ = try service.send(id, event: "counseling_accepted", fields: [:])
        #expect(try service.replay(id) == service.details(id).stored.state)
    }

    @Test func aCaseMovedToVersion3KeepsOneReminderThatTheOrderEnds() throws {
        let root = try copyOfProject()
        let current = try String(contentsOfFile: root + "/Workflows/protective-order.yaml", encoding: .utf8)
        // Version 2 wrote the reminder out where it was given, not once by name.
        var older = current.replacingOccurrences(of: "version: 3\n", with: "version: 2\n")
        for indent in ["                ", "          "] {  // deeper first: the shallower one is a suffix of it
            let inline = ["- remind:", "    who: advocate", "    at: temporary_order.expires - 2 court days",
                "    text: The temporary order ends soon. If the hearing has moved, ask the court to extend it."].map { indent + $0 + "\n" }.joined()
            older = older.replacingOccurrences(of: indent + "- remind: order_ends_soon\n", with: inline)
        }
        #expect(!older.contains("- remind: order_ends_soon"))
        try older.write(toFile: root + "/Workflows/protective-order-v2.yaml", atomically: true, encoding: .utf8)
        let workspace = Workspace(root: root)
        #expect(workspace.diagnostics.filter { $0.severity == .error }.isEmpty, "\(workspace.diagnostics)")
        let (service, _, _) = try TestSupport.service(at: start, workspace: workspace)
        let id = try service.open(try #require(workspace.workflow("protective-order", version: 2)), values: ["client.name": .string("Dana Whitfield")]).caseId
        _ = try service.send(id, event: "petition_filed", fields: ["petition.ex_parte_requested": "true"])
        let granted = try service.send(id, event: "temporary_order_granted", fields: ["hearing.date": "2026-12-03T09:00", "temporary_order.expires": "2026-12-03"])
        let endsSoon = "The temporary order ends soon. If the hearing has moved, ask the court to extend it."
        #expect(granted.state.items.filter { $0.title == endsSoon }.map(\.key).allSatisfy { $0.hasPrefix("reminder:court/") })
        let moved = try service.migrate(id, toVersion: 3)
        #expect(moved.state.items.filter { $0.title == endsSoon }.map(\.key) == ["reminder:order_ends_soon"])
        let continued = try service.send(id, event: "hearing_continued", fields: ["hearing.date": "2027-01-07T09:00", "temporary_order.expires": "2027-01-07"])
        #expect(continued.state.items.filter { $0.title == endsSoon }.map { $0.due?.date } == [TestSupport.date("2027-01-05")])
        #expect(try service.replay(id) == service.details(id).stored.state)
    }

    @Test func calendarExportHasStableUIDs() throws {
        let (service, _, _) = try TestSupport.service(at: start)
        let id = try caseWithTemporaryOrder(service, hearing: "2026-12-03T09:00").caseId
        let rows = try service.details(id).agenda
        let stamp = Date(timeIntervalSince1970: 1_800_000_000)
        let first = ICalendar.render(rows, stamp: stamp)
        #expect(first == ICalendar.render(try service.details(id).agenda, stamp: stamp))
        #expect(first.contains("UID:C-00001-court:hearing.date@advocate.local\r\n"))
        #expect(first.contains("DTSTART:20261203T090000\r\n"))
        #expect(first.contains("TRIGGER:-P1D\r\n"))
        #expect(first.hasPrefix("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
        #expect(first.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        #expect(!first.contains("Dana"))
    }

    @Test func aWithdrawnPetitionHasNoHearingLeft() throws {
        let (service, _, _) = try TestSupport.service(at: start)
        let id = try caseWithTemporaryOrder(service, hearing: "2026-12-03T09:00").caseId
        #expect(try service.details(id).agenda.contains { $0.kind == "court-date" })
        let withdrawn = try service.send(id, event: "petition_withdrawn", fields: [:])
        // The safety track goes on, so the case stays open; the court track is over.
        #expect(!withdrawn.state.closed)
        #expect(try !service.details(id).agenda.contains { $0.kind == "court-date" })
        #expect(try service.agenda(from: start.date, days: 30, overdue: true).allSatisfy { $0.row.kind != "court-date" })
    }

    /// A copy of the project's Workflows/ and Glossary/ in a temporary folder, to edit freely.
    /// Dana Whitfield's protective-order case, filed asking for a temporary order, which the judge grants.
    func caseWithTemporaryOrder(_ service: CaseService, hearing: String, expires: String? = nil) throws -> CaseService.Outcome {
        let id = try service.open(workflow: "protective-order", fields: ["client.name": "Dana Whitfield"]).caseId
        _ = try service.send(id, event: "petition_filed", fields: ["petition.ex_parte_requested": "true"])
        var fields = ["hearing.date": hearing]
        if let expires { fields["temporary_order.expires"] = expires }
        return try service.send(id, event: "temporary_order_granted", fields: fields)
    }

    func copyOfProject() throws -> String {
        let root = TestSupport.temporaryFolder("advocate-project")
        for folder in ["Workflows", "Glossary", "Forms"] {
            let source = TestSupport.root + "/" + folder
            if FileManager.default.fileExists(atPath: source) { try FileManager.default.copyItem(atPath: source, toPath: root + "/" + folder) }
        }
        return root
    }
}
