import Advocate
import AdvocateWeb
import ArgumentParser
import Foundation

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the web app for advocates over the store.",
        discussion: """
            Add accounts first with 'advocate users add NAME --role advocate'. The app listens on 127.0.0.1 \
            by default; put it behind a TLS proxy (and pass --secure-cookies) before anyone reaches it from \
            another machine.
            """)

    @OptionGroup var options: StoreOptions
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on (0 picks a free one and says which).") var port = 8080
    @Flag(help: "Mark the session cookie Secure (the app is reached over HTTPS).") var secureCookies = false
    @Option(help: "Minutes without use before a session ends.") var idleMinutes = 30
    @Option(
        help: ArgumentHelp(
            "How long a change made by another process (a command in a terminal) may take to show.",
            discussion: "Sessions and the store's revision are read again after this many milliseconds; this server's own changes show at once. 0 reads them on every request."
        )) var recheckMilliseconds: Int64 = 1000

    func validate() throws {
        guard recheckMilliseconds >= 0 else { throw ValidationError("--recheck-milliseconds must be 0 or more") }
    }

    func run() async throws {
        let service: CaseService
        do {
            service = try options.service(concurrentReads: true)
            if try service.store.read({ try $0.accounts() }).isEmpty { try ServeCommand.createFirstAccount(service) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Output.error(AdvocateError.from(error).description)
            throw ExitCode.failure
        }
        let configuration = WebConfiguration(host: host, port: port, secureCookies: secureCookies, sessionIdleSeconds: Int64(idleMinutes) * 60, storeRecheckMilliseconds: recheckMilliseconds)
        if !["127.0.0.1", "localhost", "::1"].contains(host), !secureCookies {
            Output.warning("listening on \(host) without --secure-cookies: put a TLS proxy in front and pass --secure-cookies, or passwords and sessions cross the network in the clear")
        }
        let host = host
        try await runWebApp(service: service, configuration: configuration) { port in
            // Written straight away, not buffered: scripts wait for this line to know the port.
            FileHandle.standardOutput.write(Data("Advocate is running at http://\(host):\(port)/ (Ctrl-C stops it)\n".utf8))
        }
    }

    /// A new store has no accounts and there is no default password: the person starting the
    /// server makes the first (supervisor) account on the terminal.
    static func createFirstAccount(_ service: CaseService) throws {
        guard isatty(STDIN_FILENO) == 1 else {
            throw AdvocateError("no accounts yet: add one with 'advocate users add NAME --role supervisor' (there is no default password)")
        }
        print("This store has no accounts yet. Make the first one: a supervisor, who sees every case and the audit log.")
        print("Account name: ", terminator: "")
        guard let name = readLine()?.trimmingCharacters(in: .whitespaces), !name.isEmpty else { throw AdvocateError("no account name given; nothing was changed") }
        let password = try UsersCommand.newPassword(name: name, fromStandardInput: false)
        let account = try UsersCommand.addAccount(service, name: name, role: .supervisor, language: "en", password: password)
        print("added \(account.name) (\(account.id), supervisor); add advocates with 'advocate users add NAME --role advocate'")
    }
}
