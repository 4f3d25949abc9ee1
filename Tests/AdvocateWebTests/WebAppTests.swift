import Advocate
import AdvocateStore
import AdvocateWeb
import Foundation
import HTTPTypes
import TestSupport
import Testing

@Suite("Web app: signing in, access and forms")
struct WebAppTests {
    static let pagesForAdvocates = [
        "/agenda", "/cases", "/cases/new", "/cases/new/protective-order", "/glossary", "/glossary?q=continuance", "/glossary/continuance",
        "/glossary/handout", "/workflows", "/workflows/protective-order",
    ]

    @Test("signed out, pages redirect to the sign-in page", arguments: pagesForAdvocates + ["/cases/C-00001", "/audit"])
    func signedOutPagesRedirect(path: String) async throws {
        try await WebHarness().test { browser in
            let page = try await browser.get(path)
            #expect(page.status == .found)
            #expect(page.location == "/login")
        }
    }

    @Test("signed out, changes are refused with 401, and the API asks for a token")
    func signedOutChangesAreRefused() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            let response1 = try await browser.post("/cases/\(harness.mariasCase)/events/safety_plan_made").status
            #expect(response1 == .unauthorized)
            let response2 = try await browser.get("/api/cases").status
            #expect(response2 == .unauthorized)
        }
        #expect(try harness.service.history(harness.mariasCase).count == 1)
    }

    @Test("signing in sets an HttpOnly, SameSite=Strict session cookie and leads to the agenda")
    func signingIn() async throws {
        try await WebHarness().test { browser in
            let page = try await browser.signIn("maria")
            #expect(page.status == .seeOther)
            #expect(page.location == "/agenda")
            let cookie = try #require(page.headers[values: .setCookie].first { $0.hasPrefix("advocate_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(!cookie.contains("Secure"))
            let agenda = try await browser.get("/agenda")
            #expect(agenda.status == .ok)
            #expect(agenda.body.contains("Make a safety plan with the client"))
        }
    }

    @Test("behind TLS the cookie is Secure")
    func secureCookies() async throws {
        try await WebHarness(configuration: WebConfiguration(secureCookies: true)).test { browser in
            let page = try await browser.signIn("maria")
            #expect(page.headers[values: .setCookie].contains { $0.hasPrefix("advocate_session=") && $0.contains("Secure") })
        }
    }

    @Test("a wrong password is refused, and after five failures even the right one waits")
    func wrongPasswordsAreThrottled() async throws {
        try await WebHarness().test { browser in
            let wrong = try await browser.signIn("maria", password: "not the password at all")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.contains("do not match"))
            #expect(browser.cookies["advocate_session"] == nil)
            for _ in 0..<4 { try await browser.signIn("maria", password: "still not the password") }
            let blocked = try await browser.signIn("maria")
            #expect(blocked.status == .tooManyRequests)
            #expect(browser.cookies["advocate_session"] == nil)
        }
    }

    @Test("sign-ins that succeed do not use up the allowance of an office behind one address")
    func successfulSignInsAreNotCounted() async throws {
        // Two failures per name, so twenty per address.
        try await WebHarness(configuration: WebConfiguration(signInAttempts: 2)).test { browser in
            for _ in 0..<25 {
                #expect(try await browser.signIn("maria").status == .seeOther)
                try await browser.get("/agenda")
                try await browser.post("/logout")
            }
        }
    }

    @Test("refusals are recorded and bounded: another's case, a case given to a non-advocate, a name as an audit filter, a huge form")
    func refusals() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("jo")
            #expect(try await browser.get("/cases/\(harness.mariasCase)").status == .forbidden)
            try await browser.get("/agenda")
            try await browser.post("/logout")

            try await browser.signIn("sam")
            try await browser.get("/cases/\(harness.mariasCase)")
            let assigned = try await browser.post("/cases/\(harness.mariasCase)/assign", [("advocate", "ada")])
            #expect(assigned.status == .unprocessableContent, "\(assigned.body.prefix(400))")
            let filtered = try await browser.get("/audit?case=Lena%20Invented")
            #expect(filtered.status == .notFound, "\(filtered.body.prefix(400))")
            let audit = try await browser.get("/audit")
            #expect(!audit.body.contains("Lena"))
            #expect(!audit.body.contains(#"<a href="/cases/"></a>"#))
            try await browser.get("/cases")
            let huge = try await browser.post("/cases/new/protective-order", [("client.name", String(repeating: "x", count: 300_000))])
            #expect(huge.status == .contentTooLarge)
        }
        let log = try harness.service.auditLog(.commandLine, limit: 500)
        #expect(log.contains { $0.action == "access.refused" && $0.accountName == "jo" && $0.caseId == harness.mariasCase })
        #expect(try harness.service.store.read { try $0.caseAdvocate(harness.mariasCase) } != nil)
        #expect(!log.contains { ($0.caseId ?? "").contains("Lena") || $0.detail.contains("Lena") })
    }

    @Test("an unknown name gets the same answer as a wrong password")
    func unknownNames() async throws {
        try await WebHarness().test { browser in
            let page = try await browser.signIn("nobody-here")
            #expect(page.status == .unauthorized)
            #expect(page.body.contains("do not match"))
        }
    }

    @Test("every page sends the security headers and passes the structure check", arguments: pagesForAdvocates)
    func pagesAreSafeAndAccessible(path: String) async throws {
        try await WebHarness().test { browser in
            try await browser.signIn("maria")
            let page = try await browser.get(path)
            #expect(page.status == .ok, "\(path)")
            let policy = try #require(page.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(!policy.contains("unsafe-inline"))
            #expect(policy.contains("frame-ancestors 'none'"))
            #expect(page.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
            #expect(page.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(page.headers[.cacheControl] == "no-store")
            #expect(try PageStructure.problems(page.body) == [], "\(path)")
        }
    }

    @Test("the case page, the client's page and the audit log pass the structure check")
    func casePagesAreAccessible() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            for path in ["/cases/\(harness.mariasCase)", "/cases/\(harness.mariasCase)/handout"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok)
                #expect(try PageStructure.problems(page.body) == [], "\(path)")
            }
            try await browser.post("/logout")
            try await browser.signIn("sam")
            let audit = try await browser.get("/audit")
            #expect(audit.status == .ok)
            #expect(try PageStructure.problems(audit.body) == [])
        }
    }

    @Test("an advocate cannot open another advocate's case, on any route")
    func advocatesSeeOnlyTheirCases() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            let response3 = try await browser.get("/cases/\(harness.josCase)").status
            #expect(response3 == .forbidden)
            let response4 = try await browser.get("/cases/\(harness.josCase)/handout").status
            #expect(response4 == .forbidden)
            let response5 = try await browser.get("/cases/\(harness.josCase)/documents/1").status
            #expect(response5 == .forbidden)
            try await browser.get("/cases/\(harness.mariasCase)")
            let response6 = try await browser.post("/cases/\(harness.josCase)/events/client_moved", [("client.phone", "555-0100")]).status
            #expect(response6 == .forbidden)
            let response7 = try await browser.post("/cases/\(harness.josCase)/unlock", [("reason", "client-request")]).status
            #expect(response7 == .forbidden)
            let list = try await browser.get("/cases")
            #expect(list.body.contains(harness.mariasCase))
            #expect(!list.body.contains(harness.josCase))
            let response8 = try await browser.get("/audit").status
            #expect(response8 == .forbidden)
        }
        #expect(try harness.service.history(harness.josCase).count == 1)
    }

    @Test("a supervisor sees every case; an admin sees none")
    func rolesDecideWhatIsSeen() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("sam")
            let response9 = try await browser.get("/cases/\(harness.josCase)").status
            #expect(response9 == .ok)
            let list = try await browser.get("/cases")
            #expect(list.body.contains(harness.mariasCase) && list.body.contains(harness.josCase))
            try await browser.post("/logout")
            try await browser.signIn("ada")
            let response10 = try await browser.get("/cases/\(harness.mariasCase)").status
            #expect(response10 == .forbidden)
            let response11 = try await browser.get("/cases").status
            #expect(response11 == .forbidden)
            let response12 = try await browser.get("/workflows").status
            #expect(response12 == .ok)
        }
    }

    @Test("a form without the CSRF token, or with another one, changes nothing", arguments: ["", "forged-token"])
    func csrfIsChecked(token: String) async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            try await browser.get("/cases/\(harness.mariasCase)")
            let page = try await browser.post("/cases/\(harness.mariasCase)/events/safety_plan_made", csrf: token)
            #expect(page.status == .forbidden)
            #expect(page.body.contains("did not come from Advocate"))
        }
        #expect(try harness.service.history(harness.mariasCase).count == 1)
    }

    @Test("the sign-in form has a CSRF token too")
    func signInFormIsProtected() async throws {
        try await WebHarness().test { browser in
            try await browser.get("/login")
            let page = try await browser.post("/login", [("name", "maria"), ("password", WebHarness.password)], csrf: "forged")
            #expect(page.status == .forbidden)
            #expect(browser.cookies["advocate_session"] == nil)
        }
    }

    @Test("a request in the background (a favicon, a second tab) does not spoil the sign-in form")
    func signInSurvivesBackgroundRequests() async throws {
        try await WebHarness().test { browser in
            try await browser.get("/login")
            let formToken = browser.csrf
            let favicon = try await browser.get("/favicon.ico")
            #expect(favicon.status == .noContent)
            try await browser.get("/agenda")
            try await browser.get("/login")
            let page = try await browser.post("/login", [("name", "maria"), ("password", WebHarness.password)], csrf: formToken)
            #expect(page.status == .seeOther)
            #expect(browser.cookies["advocate_session"] != nil)
        }
    }

    @Test("a wrong value is shown next to its field, and the case is unchanged")
    func wrongFieldTypes() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            try await browser.get("/cases/\(harness.mariasCase)")
            let page = try await browser.post("/cases/\(harness.mariasCase)/events/full_hearing_set", [("hearing.date", "next Tuesday")])
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains(#"id="f-full_hearing_set-hearing-date" name="hearing.date" value="next Tuesday""#))
            #expect(page.body.contains(#"aria-invalid="true""#))
            #expect(page.body.contains("must be a date and time"))
        }
        #expect(try harness.service.history(harness.mariasCase).count == 1)
    }

    @Test("an event or a step sent from a page that is out of date says why at the top")
    func stalePages() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            try await browser.get("/cases/\(harness.mariasCase)")
            #expect(try await browser.post("/cases/\(harness.mariasCase)/events/safety_plan_made").status == .seeOther)
            // The same form again, as a second click would send it.
            let twice = try await browser.post("/cases/\(harness.mariasCase)/events/safety_plan_made")
            #expect(twice.status == .unprocessableContent)
            #expect(twice.body.contains(#"role="alert"><p>event &#39;safety_plan_made&#39; is not allowed now"#))
            // A step marked done, then marked done again from the same page.
            let step = try #require(try harness.service.details(harness.mariasCase).stored.state.items.first?.key)
            try await browser.get("/cases/\(harness.mariasCase)")
            #expect(try await browser.post("/cases/\(harness.mariasCase)/steps/\(step)/done").status == .seeOther)
            let done = try await browser.post("/cases/\(harness.mariasCase)/steps/\(step)/done")
            #expect(done.status == .unprocessableContent)
            #expect(done.body.contains("That step is no longer open"))
        }
    }

    @Test("opening a case checks each field and assigns the case to the advocate")
    func openingACase() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            try await browser.get("/cases/new/protective-order")
            let refused = try await browser.post("/cases/new/protective-order", [("client.name", "")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.body.contains("This answer is needed."))
            let opened = try await browser.post("/cases/new/protective-order", [("client.name", "Ana Madeup"), ("client.language", "Spanish")])
            #expect(opened.status == .seeOther)
            let id = try #require(opened.location?.split(separator: "/").last.map(String.init))
            let response13 = try await browser.get("/cases/\(id)").status
            #expect(response13 == .ok)
            let stored = try harness.service.details(id)
            #expect(stored.stored.advocateId == "U-0001")
        }
    }

    @Test("sending an event moves the case, and the audit log says who read and changed it")
    func sendingEvents() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            try await browser.get("/cases/\(harness.mariasCase)")
            let sent = try await browser.post("/cases/\(harness.mariasCase)/events/petition_filed", [("petition.ex_parte_requested", "yes")])
            #expect(sent.status == .seeOther)
            let page = try await browser.get("/cases/\(harness.mariasCase)")
            #expect(page.body.contains("Petition filed") || page.body.contains("petition"))
        }
        let history = try harness.service.history(harness.mariasCase)
        #expect(history.count == 2)
        let audit = try harness.service.auditLog(.commandLine, caseId: harness.mariasCase)
        #expect(audit.contains { $0.action == "case.event" && $0.accountName == "maria" && $0.detail.hasPrefix("petition_filed") })
        #expect(audit.contains { $0.action == "case.read" && $0.accountName == "maria" && $0.channel == "web" })
        // The log names fields, never their values.
        #expect(!audit.contains { $0.detail.contains("Rosa") || $0.detail.contains("Quiet Court") })
    }

    @Test("the safe address stays locked until unlocked with a reason, and the unlock is audited")
    func safeAddressUnlock() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            let locked = try await browser.get("/cases/\(harness.mariasCase)")
            #expect(!locked.body.contains("Quiet Court"))
            #expect(locked.body.contains("Confidential safe address: locked"))
            let refused = try await browser.post("/cases/\(harness.mariasCase)/unlock", [("reason", "just curious")]).status
            #expect(refused == .unprocessableContent)
            try await browser.post("/cases/\(harness.mariasCase)/unlock", [("reason", "court-filing")])
            let response15 = try await browser.get("/cases/\(harness.mariasCase)").body.contains("7 Quiet Court")
            #expect(response15)
            // The client's printable page never shows it.
            let response16 = try await browser.get("/cases/\(harness.mariasCase)/handout").body.contains("Quiet Court")
            #expect(!(response16))
            harness.clock.advance(hours: 1)
            try await browser.signIn("maria")
            let response17 = try await browser.get("/cases/\(harness.mariasCase)").body.contains("Quiet Court")
            #expect(!(response17))
        }
        let audit = try harness.service.auditLog(.commandLine, caseId: harness.mariasCase)
        #expect(audit.contains { $0.action == "safe-address.unlock" && $0.detail == "court-filing" })
    }

    @Test("signing out ends the session for good")
    func signingOut() async throws {
        try await WebHarness().test { browser in
            try await browser.signIn("maria")
            let kept = browser.cookies
            try await browser.get("/agenda")
            let out = try await browser.post("/logout")
            #expect(out.location == "/login")
            browser.cookies = kept
            let response18 = try await browser.get("/agenda").location
            #expect(response18 == "/login")
        }
    }

    @Test("a session ends after 30 minutes without use")
    func idleSessionsEnd() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            harness.clock.advance(hours: 0)
            let response19 = try await browser.get("/agenda").status
            #expect(response19 == .ok)
            harness.clock.set(TestSupport.time("2026-11-19T09:31"))
            let response20 = try await browser.get("/agenda").location
            #expect(response20 == "/login")
        }
    }

    @Test("an account set to Spanish gets Spanish pages")
    func spanishPages() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("jo")
            let page = try await browser.get("/agenda")
            #expect(page.body.contains(#"<html lang="es">"#))
            #expect(page.body.contains("Cerrar sesión"))
            #expect(page.body.contains("Atrasado"))
            // Stages are named in Spanish and grouped by workflow, not listed by their ids.
            let cases = try await browser.get("/cases")
            #expect(cases.body.contains("<optgroup label="))
            #expect(!cases.body.contains(#">awaiting_service<"#))
            // The other language is one click away, on every page.
            #expect(page.body.contains(#"<button type="submit" class="link-button" lang="en">English</button>"#))
            // Who does each step, and why its date falls where it does, are Spanish too.
            for body in [page.body, try await browser.get("/cases/\(harness.josCase)").body] {
                #expect(body.contains("después del 20"))
                #expect(body.contains("intercesora"))
                #expect(!body.contains(" after 20"))
                #expect(!body.contains(" · advocate"))
            }
            // So is what to go over at each step.
            let casePage = try await browser.get("/cases/\(harness.josCase)").body
            #expect(casePage.contains("¿Es seguro volver a casa esta noche?"))
            #expect(!casePage.contains("Is it safe to go home tonight?"))
            let switched = try await browser.post("/account/language", [("language", "en"), ("back", "/agenda")])
            #expect(switched.location == "/agenda")
            #expect(try await browser.get("/agenda").body.contains(#"<html lang="en">"#))
        }
    }

    @Test("documents download with their type, and each download is audited")
    func documentDownloads() async throws {
        let harness = try WebHarness()
        let documents = try harness.service.documents(harness.mariasCase)
        let first = try #require(documents.first)
        try await harness.test { browser in
            try await browser.signIn("maria")
            let page = try await browser.get("/cases/\(harness.mariasCase)/documents/\(first.sequence)")
            #expect(page.status == .ok)
            #expect(page.headers[.contentDisposition]?.contains("attachment") == true)
            #expect(page.body.utf8.starts(with: Array("PK".utf8)))
        }
        #expect(try harness.service.auditLog(.commandLine, caseId: harness.mariasCase).contains { $0.action == "document.read" && $0.accountName == "maria" })
    }

    @Test("the glossary finds a term typed in either language, and shows it in the page's")
    func glossaryAcrossLanguages() async throws {
        try await WebHarness().test { browser in
            try await browser.signIn("maria")
            let english = try await browser.get("/glossary?q=aplazamiento")
            #expect(english.body.contains(">continuance</a>: When a judge moves"))
            try await browser.get("/agenda")
            try await browser.post("/logout")
            try await browser.signIn("jo")
            let spanish = try await browser.get("/glossary?q=continuance")
            #expect(spanish.body.contains(">aplazamiento</a>: Cuando el juez"))
            #expect(!spanish.body.contains("<p></p>"))
        }
    }

    @Test("glossary suggestions come back as JSON as the advocate types")
    func glossaryCompletion() async throws {
        try await WebHarness().test { browser in
            try await browser.signIn("maria")
            let page = try await browser.get("/glossary/complete?q=contin")
            #expect(page.headers[.contentType] == "application/json")
            #expect(page.body.contains("continuance"))
        }
    }

    @Test("a missing page is a 404 page, not a stack trace")
    func missingPages() async throws {
        try await WebHarness().test { browser in
            try await browser.signIn("maria")
            let page = try await browser.get("/no/such/page")
            #expect(page.status == .notFound)
            #expect(page.body.contains("<h1>"))
            let response21 = try await browser.get("/cases/C-99999").status
            #expect(response21 == .notFound)
        }
    }
}
