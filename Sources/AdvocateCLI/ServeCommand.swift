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
    @Option(help: "The port to listen on.") var port = 8080
    @Flag(help: "Mark the session cookie Secure (the app is reached over HTTPS).") var secureCookies = false
    @Option(help: "Minutes without use before a session ends.") var idleMinutes = 30

    func run() async throws {
        let service: CaseService
        do {
            service = try options.service(concurrentReads: true)
            let accounts = try service.store.read { try $0.accounts() }
            if accounts.isEmpty {
                Output.error("no accounts yet: add one with 'advocate users add NAME --role supervisor' (there is no default password)")
                throw ExitCode.failure
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Output.error(AdvocateError.from(error).description)
            throw ExitCode.failure
        }
        let configuration = WebConfiguration(host: host, port: port, secureCookies: secureCookies, sessionIdleSeconds: Int64(idleMinutes) * 60)
        print("Advocate is running at http://\(host):\(port)/ (Ctrl-C stops it)")
        try await runWebApp(service: service, configuration: configuration)
    }
}
