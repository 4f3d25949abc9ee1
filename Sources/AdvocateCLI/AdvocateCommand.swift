import Advocate
import ArgumentParser
import Foundation

/// Every command in the tree names itself (`commandName`). A name derived from the type is
/// found through the runtime's protocol-conformance lookup, a scan of the whole binary for
/// each command at every start: with the web server linked in, that was about a third of
/// `advocate deadline`'s cold start. A test checks that no command is left without one.
@main
struct AdvocateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "advocate",
        abstract: "Step victims' cases through court and service workflows, and see what is due before it is missed.",
        version: "advocate 0.9.0",
        subcommands: [
            WorkflowsCommand.self, CaseCommand.self, AgendaCommand.self, CalendarCommand.self, TickCommand.self, DeadlineCommand.self,
            FormsCommand.self, ExplainCommand.self, GlossaryCommand.self, AnnotateCommand.self, DemoCommand.self, ServeCommand.self, UsersCommand.self,
            KeysCommand.self,
        ]
    )
}

/// Where the store and the project folder are.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: "The store file (default: $ADVOCATE_STORE, else the user data folder).")
    var store: String?

    @Option(name: .customLong("key-file"), help: "The file with the keys that encrypt personal data (default: $ADVOCATE_KEY_FILE, else the store's path + .key).")
    var keyFile: String?

    @Option(name: .long, help: "The project folder holding Workflows/, Forms/ and Glossary/ (default: $ADVOCATE_HOME, else found from here).")
    var home: String?

    func workspace() throws -> Workspace {
        Workspace(root: try Workspace.locate(explicit: home))
    }

    func storePath() -> String {
        if let store { return store }
        if let path = ProcessInfo.processInfo.environment["ADVOCATE_STORE"], !path.isEmpty { return path }
        return CaseStore.defaultPath()
    }

    func keyFilePath() -> String? {
        if let keyFile { return keyFile }
        if let path = ProcessInfo.processInfo.environment["ADVOCATE_KEY_FILE"], !path.isEmpty { return path }
        return nil
    }

    /// The case service, on `workspace` when the command has loaded it already.
    func service(workspace loaded: Workspace? = nil, concurrentReads: Bool = false) throws -> CaseService {
        let workspace = try loaded ?? workspace()
        let store = try CaseStore(path: storePath(), keyFile: keyFilePath(), concurrentReads: concurrentReads)
        return CaseService(workspace: workspace, store: store, clock: try Output.clock())
    }

    /// The case service for a command about one case. A store that does not exist yet holds no
    /// cases: the command fails as for any unknown case, and leaves no empty store behind.
    func service(forCase id: String) throws -> CaseService {
        guard FileManager.default.fileExists(atPath: storePath()) else { throw StoreError.unknownCase(id) }
        return try service()
    }
}

/// Printing for people and for scripts, and turning every error into one line on standard error.
enum Output {
    /// `ADVOCATE_NOW` (`2026-11-19T09:00`, local time) stops the clock, for scripts and tests.
    static func clock() throws -> LocalClock {
        guard let text = ProcessInfo.processInfo.environment["ADVOCATE_NOW"], !text.isEmpty else { return .system }
        guard let time = LocalDateTime(iso: text) else { throw AdvocateError("ADVOCATE_NOW must be a local time written YYYY-MM-DDTHH:MM") }
        return .fixed(time)
    }

    static func json(_ object: Any) {
        print(String(decoding: JSONShapes.encode(object, pretty: true), as: UTF8.self))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data("warning: \(message)\n".utf8))
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    }

    /// Runs a command body; any error becomes `error: …` on standard error and exit status 1.
    static func run(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            let problem = AdvocateError.from(error)
            if problem.diagnostics.isEmpty {
                Output.error(problem.description)
            } else {
                for diagnostic in problem.diagnostics { FileHandle.standardError.write(Data((diagnostic.rendered + "\n").utf8)) }
            }
            throw ExitCode.failure
        }
    }

    /// Parses repeated `--set field=value` options.
    static func assignments(_ list: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in list {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw AdvocateError("--set takes field=value, such as --set hearing.date=2026-12-01")
            }
            let name = String(item[..<equals])
            guard result[name] == nil else { throw AdvocateError("'\(name)' is set twice") }
            result[name] = String(item[item.index(after: equals)...])
        }
        return result
    }
}
