import Advocate
import AdvocateWeb
import ArgumentParser
import Foundation

struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Add and manage the accounts that sign in to the web app.",
        subcommands: [Add.self, List.self, Password.self, Role.self, Disable.self, Enable.self, Token.self])

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add an account. The password is asked for on the terminal, or read from standard input with --password-stdin.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The account name people sign in with.") var name: String
        @Option(help: "advocate (their own cases), supervisor (every case, the audit log) or admin (accounts and workflows).") var role: String
        @Option(help: "The language of the pages: en or es.") var language = "en"
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() throws {
            try Output.run {
                guard let role = AccountRole(rawValue: role) else { throw AdvocateError("--role must be advocate, supervisor or admin") }
                guard ["en", "es"].contains(language) else { throw AdvocateError("--language must be en or es") }
                let password = try UsersCommand.newPassword(name: name, fromStandardInput: passwordStdin)
                let account = try UsersCommand.addAccount(try options.service(), name: name, role: role, language: language, password: password)
                print("added \(account.name) (\(account.id), \(account.role.rawValue))")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the accounts.")
        @OptionGroup var options: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let accounts = try options.service().accounts(actor: .commandLine)
                if json {
                    Output.json(accounts.map { ["id": $0.id, "name": $0.name, "role": $0.role.rawValue, "language": $0.language, "disabled": $0.disabled] as [String: Any] })
                    return
                }
                if accounts.isEmpty { print("no accounts; add one with 'advocate users add NAME --role supervisor'") }
                for account in accounts {
                    print("\(account.id)  \(account.name)  \(account.role.rawValue)  \(account.language)\(account.disabled ? "  (disabled)" : "")")
                }
            }
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "password", abstract: "Set a new password for an account; it is signed out everywhere.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The account name.") var name: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() throws {
            try Output.run {
                let service = try options.service()
                let account = try UsersCommand.account(named: name, in: service)
                let password = try UsersCommand.newPassword(name: name, fromStandardInput: passwordStdin)
                try service.setPassword(accountId: account.id, hash: Passwords.hash(password), actor: .commandLine)
                print("the password of \(account.name) is changed")
            }
        }
    }

    struct Role: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "role", abstract: "Give an account another role; it applies from its next request.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The account name.") var name: String
        @Option(help: "advocate, supervisor or admin.") var role: String

        func run() throws {
            try Output.run {
                guard let role = AccountRole(rawValue: role) else { throw AdvocateError("--role must be advocate, supervisor or admin") }
                let service = try options.service()
                let account = try UsersCommand.account(named: name, in: service)
                try service.setRole(accountId: account.id, role, actor: .commandLine)
                print("\(account.name) is now \(role.rawValue == "admin" ? "an" : "a") \(role.rawValue)")
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "Disable an account: it is signed out and its API tokens stop working.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The account name.") var name: String

        func run() throws { try UsersCommand.setDisabled(name, true, options) }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Enable a disabled account.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The account name.") var name: String

        func run() throws { try UsersCommand.setDisabled(name, false, options) }
    }

    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Make an API token for an account's scripts and print it (once: only its hash is kept).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The account name.") var name: String
        @Option(help: "What the token is for.") var label = "script"

        func run() throws {
            try Output.run {
                let service = try options.service()
                let account = try UsersCommand.account(named: name, in: service)
                let token = APITokens.make()
                try service.store.write { tx in
                    try tx.addAPIToken(tokenHash: APITokens.hash(token), accountId: account.id, label: label)
                    try tx.audit(Actor.commandLine.auditRecord("account.token", detail: account.id + " " + label))
                }
                print(token)
            }
        }
    }

    static func account(named name: String, in service: CaseService) throws -> Account {
        guard let found = try service.store.read({ try $0.account(named: name) })?.account else {
            throw AdvocateError("no account named '\(name)'; 'advocate users list' shows them")
        }
        return found
    }

    static func addAccount(_ service: CaseService, name: String, role: AccountRole, language: String, password: String) throws -> Account {
        try service.addAccount(name: name, role: role, language: language, passwordHash: Passwords.hash(password), actor: .commandLine)
    }

    static func setDisabled(_ name: String, _ disabled: Bool, _ options: StoreOptions) throws {
        try Output.run {
            let service = try options.service()
            let account = try UsersCommand.account(named: name, in: service)
            try service.setDisabled(accountId: account.id, disabled, actor: .commandLine)
            print("\(account.name) is \(disabled ? "disabled" : "enabled")")
        }
    }

    /// A new password, typed twice on the terminal without echo, or one line of standard input.
    static func newPassword(name: String, fromStandardInput: Bool) throws -> String {
        let password: String
        if fromStandardInput {
            guard let line = readLine(strippingNewline: true) else { throw AdvocateError("--password-stdin: standard input is empty") }
            password = line
        } else {
            guard isatty(STDIN_FILENO) == 1 else { throw AdvocateError("no terminal to ask for the password on; use --password-stdin") }
            guard let first = getpass("New password for \(name): ").map({ String(cString: $0) }), let second = getpass("Again: ").map({ String(cString: $0) }) else {
                throw AdvocateError("could not read the password")
            }
            guard first == second else { throw AdvocateError("the two passwords differ; nothing was changed") }
            password = first
        }
        if let problem = Passwords.problem(with: password, name: name) { throw AdvocateError("password refused: \(problem)") }
        return password
    }
}

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "The keys that encrypt personal data in the store.", subcommands: [Show.self, Rotate.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Print where the key file is and which key is current (never the key itself).")
        @OptionGroup var options: StoreOptions

        func run() throws {
            try Output.run {
                let ring = try options.service().store.keyRing
                print("key file: \(ring.path)\ncurrent key: \(ring.currentId)")
            }
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Encrypt all personal data again with a new key, then retire the old one.",
            discussion: "Back up the store and the key file first. A server running on the store picks up the new key by itself.")
        @OptionGroup var options: StoreOptions

        func run() throws {
            try Output.run {
                let service = try options.service()
                let rotation = try service.rotateKeys()
                print("re-encrypted \(rotation.cases) cases, \(rotation.journalEntries) journal entries and \(rotation.documents) documents with key \(rotation.newKey)")
                print("retired: \(rotation.oldKeys.joined(separator: ", "))")
            }
        }
    }
}
