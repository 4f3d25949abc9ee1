import Foundation
import Testing
import TestSupport

@Suite("Accounts, keys and the server, from the command line", .serialized)
struct AccountCommandTests {
    let environment = ["ADVOCATE_BCRYPT_COST": "4"]

    @Test("users add reads the password from standard input and refuses weak ones and repeated names")
    func addingAccounts() throws {
        let cli = CLI()
        let added = try cli.run(["users", "add", "maria", "--role", "advocate", "--password-stdin"], environment: environment, input: "correct horse battery\n")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout == "added maria (U-0001, advocate)\n")
        let weak = try cli.run(["users", "add", "jo", "--role", "advocate", "--password-stdin"], environment: environment, input: "short\n")
        #expect(weak.status == 1)
        #expect(weak.stderr == "error: password refused: use at least 12 characters (a few unrelated words work well)\n")
        let again = try cli.run(["users", "add", "MARIA", "--role", "advocate", "--password-stdin"], environment: environment, input: "another long password\n")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already an account named"))
        let role = try cli.run(["users", "add", "kim", "--role", "root", "--password-stdin"], environment: environment, input: "another long password\n")
        #expect(role.stderr == "error: --role must be advocate, supervisor or admin\n")
        let list = try cli.run(["users", "list"])
        #expect(list.stdout == "U-0001  maria  advocate  en\n")
    }

    @Test("serve on a store without accounts, and no terminal, says how to add one")
    func serveNeedsAnAccount() throws {
        let cli = CLI()
        let result = try cli.run(["serve", "--port", "0"], environment: environment)
        #expect(result.status == 1)
        #expect(result.stderr.contains("advocate users add NAME --role supervisor"))
        #expect(result.stderr.contains("no default password"))
    }

    @Test("case assign, then keys rotate: the case reads back the same with the new key")
    func assignAndRotate() throws {
        let cli = CLI()
        try cli.run(["users", "add", "maria", "--role", "advocate", "--password-stdin"], environment: environment, input: "correct horse battery\n")
        let id = try cli.run(["case", "open", "protective-order", "--set", "client.name=Rosa Fictional"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try cli.run(["case", "assign", id, "maria"]).stdout == "\(id) is assigned to maria\n")
        #expect(try cli.run(["case", "assign", id, "nobody-by-that-name"]).status == 1)
        let before = try cli.run(["case", "show", id]).stdout
        let keyBefore = try String(contentsOfFile: cli.store + ".key", encoding: .utf8)
        let rotated = try cli.run(["keys", "rotate"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdout.hasPrefix("re-encrypted 1 cases, 1 journal entries and "))
        #expect(try String(contentsOfFile: cli.store + ".key", encoding: .utf8) != keyBefore)
        #expect(try cli.run(["case", "show", id]).stdout == before)
        #expect(!String(decoding: cli.storeBytes(), as: UTF8.self).contains("Rosa Fictional"))
    }
}
