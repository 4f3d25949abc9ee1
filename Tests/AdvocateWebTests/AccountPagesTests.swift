import Advocate
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import AdvocateWeb

/// Accounts in the browser and the API: what an admin can do, what everyone else is refused,
/// and that each change is audited.
@Suite("Account pages")
struct AccountPagesTests {
    static let newPassword = "lantern orchard pebble"

    @Test("an admin adds an account, and the new person can sign in with it")
    func adminAddsAnAccount() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("ada")
            let list = try await browser.get("/admin/accounts")
            #expect(list.status == .ok)
            #expect(list.body.contains("maria") && list.body.contains("sam"))
            #expect(try PageStructure.problems(list.body) == [])
            let added = try await browser.post(
                "/admin/accounts", [("name", "lucia"), ("role", "advocate"), ("language", "es"), ("password", Self.newPassword), ("again", Self.newPassword)])
            #expect(added.status == .seeOther)
            #expect(added.location == "/admin/accounts?done=added")
            let after = try await browser.get("/admin/accounts?done=added")
            #expect(after.body.contains("lucia") && after.body.contains("The account was added"))
            try await browser.post("/logout")

            let lucia = try await browser.signIn("lucia", password: Self.newPassword)
            #expect(lucia.status == .seeOther)
            let agenda = try await browser.get("/agenda")
            #expect(agenda.status == .ok)
            #expect(agenda.body.contains("lang=\"es\""))
        }
        let actions = try harness.service.auditLog(.commandLine).filter { $0.action == "account.add" }
        #expect(actions.count == 1 && actions[0].accountName == "ada")
    }

    @Test("a refused form says why next to each field, and never sends the password back")
    func addingValidates() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("ada")
            try await browser.get("/admin/accounts")
            let short = try await browser.post(
                "/admin/accounts", [("name", "bad name!"), ("role", "ruler"), ("language", "en"), ("password", "short1"), ("again", "different")])
            #expect(short.status == .unprocessableContent)
            #expect(short.body.contains("1 to 64 letters"))
            #expect(short.body.contains("Choose one of the options"))
            #expect(short.body.contains("Use at least 12 characters"))
            #expect(short.body.contains("The two passwords are not the same"))
            #expect(short.body.contains(#"id="new-password" name="password" autocomplete="new-password" required aria-invalid="true""#))
            #expect(!short.body.contains("short1") && !short.body.contains("different"))
            #expect(try PageStructure.problems(short.body) == [])

            let taken = try await browser.post(
                "/admin/accounts", [("name", "maria"), ("role", "advocate"), ("language", "en"), ("password", Self.newPassword), ("again", Self.newPassword)])
            #expect(taken.status == .unprocessableContent)
            #expect(taken.body.contains("There is already an account with this name"))
            let named = try await browser.post(
                "/admin/accounts", [("name", "pebble"), ("role", "advocate"), ("language", "en"), ("password", Self.newPassword), ("again", Self.newPassword)])
            #expect(named.body.contains("Do not put the account name in the password"))
        }
        #expect(try harness.service.accounts(actor: .commandLine).count == 4)
    }

    @Test("advocates and supervisors are refused every account route", arguments: ["maria", "sam"])
    func othersAreRefused(name: String) async throws {
        let harness = try WebHarness()
        let maria = try #require(try harness.service.accounts(actor: .commandLine).first { $0.name == "maria" })
        try await harness.test { browser in
            try await browser.signIn(name)
            #expect(try await browser.get("/admin/accounts").status == .forbidden)
            #expect(try await browser.get("/admin/accounts/\(maria.id)/password").status == .forbidden)
            try await browser.get("/agenda")
            let attempts: [(String, [(String, String)])] = [
                ("/admin/accounts", [("name", "mallory"), ("role", "admin"), ("language", "en"), ("password", Self.newPassword), ("again", Self.newPassword)]),
                ("/admin/accounts/\(maria.id)/role", [("role", "admin")]),
                ("/admin/accounts/\(maria.id)/disable", []),
                ("/admin/accounts/\(maria.id)/password", [("password", Self.newPassword), ("again", Self.newPassword)]),
            ]
            for (path, fields) in attempts {
                #expect(try await browser.post(path, fields).status == .forbidden, "\(path)")
            }
        }
        let accounts = try harness.service.accounts(actor: .commandLine)
        #expect(accounts.count == 4)
        #expect(accounts.first { $0.name == "maria" }?.role == .advocate)
        #expect(accounts.first { $0.name == "maria" }?.disabled == false)
    }

    @Test("signed out, the account pages send you to sign in, and a change without the CSRF token is refused")
    func signedOutAndForgedRequests() async throws {
        try await WebHarness().test { browser in
            let page = try await browser.get("/admin/accounts")
            #expect(page.status == .found && page.location?.hasPrefix("/login") == true)
            try await browser.signIn("ada")
            try await browser.get("/admin/accounts")
            let forged = try await browser.post("/admin/accounts", [("name", "mallory"), ("role", "admin"), ("language", "en")], csrf: "not-the-token")
            #expect(forged.status == .forbidden)
        }
    }

    @Test("disabling signs the person out at once; a role change applies on their next page")
    func disableAndRole() async throws {
        let harness = try WebHarness()
        let maria = try #require(try harness.service.accounts(actor: .commandLine).first { $0.name == "maria" })
        try await harness.test { browser in
            let mariasBrowser = Browser(client: browser.client)
            try await mariasBrowser.signIn("maria")
            #expect(try await mariasBrowser.get("/cases/\(harness.josCase)").status == .forbidden)

            try await browser.signIn("ada")
            try await browser.get("/admin/accounts")
            #expect(try await browser.post("/admin/accounts/\(maria.id)/role", [("role", "supervisor")]).status == .seeOther)
            #expect(try await mariasBrowser.get("/cases/\(harness.josCase)").status == .ok)

            #expect(try await browser.post("/admin/accounts/\(maria.id)/disable").status == .seeOther)
            let after = try await mariasBrowser.get("/agenda")
            #expect(after.status == .found && after.location?.hasPrefix("/login") == true)
            #expect(try await mariasBrowser.signIn("maria").status == .unauthorized)

            #expect(try await browser.post("/admin/accounts/\(maria.id)/enable").status == .seeOther)
            #expect(try await mariasBrowser.signIn("maria").status == .seeOther)
        }
        let actions = try harness.service.auditLog(.commandLine).map(\.action)
        #expect(actions.contains("account.role") && actions.contains("account.disable") && actions.contains("account.enable"))
    }

    @Test("an admin cannot lock themselves out: no disabling or demoting their own account")
    func noSelfLockout() async throws {
        let harness = try WebHarness()
        let ada = try #require(try harness.service.accounts(actor: .commandLine).first { $0.name == "ada" })
        try await harness.test { browser in
            try await browser.signIn("ada")
            let list = try await browser.get("/admin/accounts")
            #expect(!list.body.contains("/admin/accounts/\(ada.id)/disable"))
            #expect(try await browser.post("/admin/accounts/\(ada.id)/disable").status == .unprocessableContent)
            #expect(try await browser.post("/admin/accounts/\(ada.id)/role", [("role", "advocate")]).status == .unprocessableContent)
            #expect(try await browser.get("/admin/accounts").status == .ok)
        }
    }

    @Test("a new password signs the account out everywhere, and the old one stops working")
    func setPassword() async throws {
        let harness = try WebHarness()
        let maria = try #require(try harness.service.accounts(actor: .commandLine).first { $0.name == "maria" })
        try await harness.test { browser in
            let mariasBrowser = Browser(client: browser.client)
            try await mariasBrowser.signIn("maria")
            try await browser.signIn("ada")
            let form = try await browser.get("/admin/accounts/\(maria.id)/password")
            #expect(form.status == .ok)
            #expect(try PageStructure.problems(form.body) == [])
            let mismatch = try await browser.post("/admin/accounts/\(maria.id)/password", [("password", Self.newPassword), ("again", "lantern orchard")])
            #expect(mismatch.status == .unprocessableContent && mismatch.body.contains("not the same"))
            let done = try await browser.post("/admin/accounts/\(maria.id)/password", [("password", Self.newPassword), ("again", Self.newPassword)])
            #expect(done.location == "/admin/accounts?done=password")
            #expect(try await mariasBrowser.get("/agenda").status == .found)
            #expect(try await mariasBrowser.signIn("maria").status == .unauthorized)
            #expect(try await mariasBrowser.signIn("maria", password: Self.newPassword).status == .seeOther)
        }
    }

    @Test("the API manages accounts for admins only")
    func api() async throws {
        let harness = try WebHarness()
        let ada = try harness.token("ada")
        let maria = try harness.token("maria")
        try await harness.test { browser in
            let list = try await APIClient.send(browser.client, "GET", "/api/accounts", token: ada)
            #expect(list.status == .ok && String(buffer: list.body).contains("\"supervisor\""))
            #expect(!String(buffer: list.body).contains("password"))
            #expect(try await APIClient.send(browser.client, "GET", "/api/accounts", token: maria).status == .forbidden)
            let refused = try await APIClient.send(
                browser.client, "POST", "/api/accounts", token: maria, body: ["name": "mallory", "role": "admin", "password": Self.newPassword])
            #expect(refused.status == .forbidden)
            let weak = try await APIClient.send(browser.client, "POST", "/api/accounts", token: ada, body: ["name": "lucia", "role": "advocate", "password": "short"])
            #expect(weak.status == .unprocessableContent)
            let made = try await APIClient.send(
                browser.client, "POST", "/api/accounts", token: ada, body: ["name": "lucia", "role": "advocate", "language": "es", "password": Self.newPassword])
            #expect(made.status == .created)
            let object = try JSONSerialization.jsonObject(with: Data(made.body.readableBytesView)) as? [String: Any]
            let id = try #require(object?["id"] as? String)
            let disabled = try await APIClient.send(browser.client, "POST", "/api/accounts/\(id)/disable", token: ada)
            #expect(disabled.status == .ok && String(buffer: disabled.body).contains("\"disabled\":true"))
        }
    }
}

@Suite("Sessions read again")
struct SessionRecheckTests {
    @Test("an account disabled from another process is signed out once the session is read again")
    func disabledElsewhere() async throws {
        for recheck: Int64 in [0, 50] {
            let harness = try WebHarness(configuration: WebConfiguration(storeRecheckMilliseconds: recheck))
            let maria = try #require(try harness.service.accounts(actor: .commandLine).first { $0.name == "maria" })
            try await harness.test { browser in
                try await browser.signIn("maria")
                #expect(try await browser.get("/agenda").status == .ok)
                // What `advocate users disable maria` does, in a terminal beside the server.
                try harness.service.setDisabled(accountId: maria.id, true, actor: .commandLine)
                if recheck > 0 { try await Task.sleep(for: .milliseconds(recheck * 3)) }
                let after = try await browser.get("/agenda")
                #expect(after.status == .found && after.location?.hasPrefix("/login") == true, "recheck \(recheck) ms")
            }
        }
    }
}

@Suite("Cookies")
struct CookieTests {
    @Test(
        "the session cookie is found among others, and only by its exact name",
        arguments: [
            ("advocate_session=abc", "abc"),
            ("theme=dark; advocate_session=abc; advocate_signin=xyz", "abc"),
            ("advocate_session_old=zzz; advocate_session=abc", "abc"),
            ("advocate_session_old=zzz", nil),
            ("advocate_session=\"abc\"", "abc"),
            ("advocate_session=", ""),
        ] as [(String, String?)])
    func findsOneCookie(header: String, expected: String?) {
        var fields = HTTPFields()
        fields[.cookie] = header
        let request = Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/agenda", headerFields: fields), body: .init(buffer: ByteBuffer()))
        #expect(request.cookie(named: "advocate_session") == expected)
    }
}
