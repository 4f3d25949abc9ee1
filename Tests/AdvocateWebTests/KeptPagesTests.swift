import Advocate
import AdvocateWeb
import AdvocateCore
import AdvocateStore
import Foundation
import HTTPTypes
import TestSupport
import Testing

/// The agenda and case pages are kept between requests; these check that a kept page never
/// outlives a change, never crosses sessions, and that every view is still checked and logged.
@Suite("Kept pages")
struct KeptPagesTests {
    @Test("a kept agenda shows a new case at once, and a new day")
    func agendaFollowsChanges() async throws {
        let harness = try WebHarness()
        let maria = Actor(account: try harness.service.store.read { try $0.account(named: "maria")!.account }, channel: .cli)
        try await harness.test { browser in
            try await browser.signIn("maria")
            let first = try await browser.get("/agenda").body
            let again = try await browser.get("/agenda").body
            #expect(first == again)
            // Opened by another channel, as `advocate case open` would from a terminal.
            let opened = try harness.service.open(workflow: "protective-order", fields: ["client.name": "Vera Madeup"], actor: maria).caseId
            let changed = try await browser.get("/agenda").body
            #expect(!first.contains(opened))
            #expect(changed.contains(opened))
            // The same session across midnight: the kept page is for yesterday.
            harness.clock.set(TestSupport.time("2026-11-19T23:50"))
            try await browser.signIn("maria")
            let evening = try await browser.get("/agenda").body
            #expect(evening.contains("November 19, 2026"))
            harness.clock.set(TestSupport.time("2026-11-20T00:05"))
            let morning = try await browser.get("/agenda").body
            #expect(morning.contains("<strong>Friday, November 20, 2026</strong>"))
        }
    }

    @Test("a kept case page shows an event at once, and every view is logged")
    func casePageFollowsChanges() async throws {
        let harness = try WebHarness()
        let id = harness.mariasCase
        try await harness.test { browser in
            try await browser.signIn("maria")
            let before = try harness.service.auditLog(.commandLine, caseId: id).filter { $0.action == "case.read" }.count
            let first = try await browser.get("/cases/\(id)").body
            let second = try await browser.get("/cases/\(id)").body
            #expect(first == second)
            let after = try harness.service.auditLog(.commandLine, caseId: id).filter { $0.action == "case.read" }.count
            #expect(after == before + 2)
            _ = try harness.service.send(id, event: "petition_filed", payload: ["petition.ex_parte_requested": .bool(true)])
            let changed = try await browser.get("/cases/\(id)").body
            // The history gains a line, and the next stage shows.
            let lines = { (page: String) in page.components(separatedBy: "<li><time>").count }
            #expect(lines(changed) == lines(first) + 1)
            #expect(!first.contains("</strong> Ex parte hearing."))
            #expect(changed.contains("</strong> Ex parte hearing."))
        }
    }

    @Test("a page kept for one advocate is never shown to another")
    func keptPagesStayWithTheirSession() async throws {
        let harness = try WebHarness()
        let id = harness.mariasCase
        try await harness.test { browser in
            try await browser.signIn("maria")
            let status = try await browser.get("/cases/\(id)").status
            #expect(status == .ok)
            try await browser.post("/logout")
            try await browser.signIn("jo")
            let refused = try await browser.get("/cases/\(id)").status
            #expect(refused == .forbidden)
            let refusals = try harness.service.auditLog(.commandLine, caseId: id).filter { $0.accountName == "jo" && $0.action == "case.read" }
            #expect(refusals.isEmpty)
            let agenda = try await browser.get("/agenda").body
            #expect(!agenda.contains(id))
        }
    }

    @Test("a case given to another advocate is refused at once, though its page was kept")
    func reassignedCaseIsRefused() async throws {
        let harness = try WebHarness()
        let id = harness.mariasCase
        try await harness.test { browser in
            try await browser.signIn("maria")
            #expect(try await browser.get("/cases/\(id)").status == .ok)
            #expect(try await browser.get("/cases/\(id)").status == .ok)
            try harness.service.assign(id, to: "jo")
            #expect(try await browser.get("/cases/\(id)").status == .forbidden)
            #expect(!(try await browser.get("/agenda").body.contains(id)))
        }
    }

    @Test("a change made by another process shows once the store is read again", arguments: [Int64(0), 50])
    func changeFromAnotherProcess(recheck: Int64) async throws {
        let harness = try WebHarness(configuration: WebConfiguration(storeRecheckMilliseconds: recheck))
        let id = harness.mariasCase
        // `advocate case send` in a terminal: its own connection to the file, its own service.
        let terminal = CaseService(workspace: TestSupport.workspace, store: try CaseStore(path: harness.path), clock: harness.service.clock)
        try await harness.test { browser in
            try await browser.signIn("maria")
            let first = try await browser.get("/cases/\(id)").body
            let agenda = try await browser.get("/agenda").body
            _ = try terminal.send(id, event: "petition_filed", payload: ["petition.ex_parte_requested": .bool(true)])
            if recheck > 0 { try await Task.sleep(for: .milliseconds(recheck * 3)) }
            let changed = try await browser.get("/cases/\(id)").body
            #expect(!first.contains("</strong> Ex parte hearing."))
            #expect(changed.contains("</strong> Ex parte hearing."), "recheck \(recheck) ms")
            #expect(try await browser.get("/agenda").body != agenda, "recheck \(recheck) ms")
        }
    }

    @Test("a timer that comes due fires on the next page, though the store's revision is trusted")
    func dueTimerFiresOnView() async throws {
        let harness = try WebHarness(configuration: WebConfiguration(storeRecheckMilliseconds: 600_000))
        let store = harness.service.store
        // A shelter referral is followed up after a court day unless the shelter answers.
        _ = try harness.service.send(harness.josCase, event: "shelter_needed", payload: [:])
        try await harness.test { browser in
            try await browser.signIn("jo")
            let before = try await browser.get("/agenda").body
            #expect(!before.contains("Follow up"))
            harness.clock.set(TestSupport.time("2026-11-24T09:00"))
            let now = harness.service.clock.now()
            try await browser.signIn("jo")
            #expect(try store.read { try $0.hasCasesToWake(at: now) }, "the follow-up is due")
            let after = try await browser.get("/agenda")
            #expect(after.status == .ok)
            #expect(try !store.read { try $0.hasCasesToWake(at: now) }, "the page fired the timer")
        }
    }

    @Test("the agenda shows each case once a day, with its steps under it")
    func agendaGroupsStepsByCase() async throws {
        let harness = try WebHarness()
        let id = harness.mariasCase
        try await harness.test { browser in
            try await browser.signIn("maria")
            let agenda = try await browser.get("/agenda").body
            let cards = agenda.components(separatedBy: "<li class=\"agenda-case\">").dropFirst().filter { $0.contains("href=\"/cases/\(id)\"") }
            let safety = try #require(cards.first { $0.contains("Make a safety plan with the client") })
            #expect(safety.contains("Go through a risk screening with the client"))
            #expect(safety.components(separatedBy: "href=\"/cases/").count == 2, "one link to the case per card")
            #expect(agenda.contains("<h3 id=\"day-2026-11-2"), "this week's steps are under a heading per day")
        }
    }

    @Test("unlocking the safe address changes the kept page, and the lock comes back")
    func unlockChangesTheKeptPage() async throws {
        let harness = try WebHarness()
        let id = harness.mariasCase
        try await harness.test { browser in
            try await browser.signIn("maria")
            let locked = try await browser.get("/cases/\(id)").body
            #expect(!locked.contains("Quiet Court"))
            try await browser.post("/cases/\(id)/unlock", [("reason", "court-filing")])
            let unlocked = try await browser.get("/cases/\(id)").body
            #expect(unlocked.contains("7 Quiet Court"))
            harness.clock.set(TestSupport.time("2026-11-19T09:16"))
            let lockedAgain = try await browser.get("/cases/\(id)").body
            #expect(!lockedAgain.contains("Quiet Court"))
        }
    }

    @Test("the client's page is in her language, with the workflow's Spanish words")
    func spanishHandout() async throws {
        let harness = try WebHarness()
        let maria = Actor(account: try harness.service.store.read { try $0.account(named: "maria")!.account }, channel: .cli)
        let id = try harness.service.open(workflow: "protective-order", fields: ["client.name": "Ana Inventada", "client.language": "Spanish"], actor: maria).caseId
        let spanish = try #require(harness.service.workspace.translations["protective-order"]?["es"])
        let intake = try #require(spanish.tracks["court"]?.states["intake"]?.client)
        try await harness.test { browser in
            try await browser.signIn("maria")
            let page = try await browser.get("/cases/\(id)/handout").body
            #expect(page.contains(#"<html lang="es">"#))
            #expect(page.contains(String(intake.prefix(30))))
            #expect(page.contains(try #require(spanish.title)))
            let english = try await browser.get("/cases/\(harness.mariasCase)/handout").body
            #expect(!english.contains(String(intake.prefix(30))))
        }
    }

    @Test("an advocate who works in Spanish fills a new case in Spanish: labels, help and choices")
    func spanishNewCase() async throws {
        let harness = try WebHarness()
        let spanish = try #require(harness.service.workspace.translations["criminal-case"]?["es"])
        try await harness.test { browser in
            try await browser.signIn("jo")
            let page = try await browser.get("/cases/new/criminal-case").body
            #expect(page.contains(try #require(spanish.fields["client.contact_preference"])))
            #expect(page.contains(#"<option value="phone call">"# + (try #require(spanish.choices["client.contact_preference"]?["phone call"])) + "</option>"))
            #expect(page.contains(try #require(spanish.fieldHelp["restitution.losses"])))
            #expect(try PageStructure.problems(page) == [])
        }
    }

    @Test("an advocate who works in Spanish sees the workflow's Spanish titles on the case page")
    func spanishCasePage() async throws {
        let harness = try WebHarness()
        let spanish = try #require(harness.service.workspace.translations["services"]?["es"])
        try await harness.test { browser in
            try await browser.signIn("jo")
            let page = try await browser.get("/cases/\(harness.josCase)").body
            #expect(page.contains(try #require(spanish.title)))
            let definition = try #require(harness.service.workspace.workflow("services")?.definition)
            let trackTitle = try #require(spanish.tracks[definition.tracks[0].name]?.title)
            #expect(page.contains(trackTitle))
        }
    }
}
