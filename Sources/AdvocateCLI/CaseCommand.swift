import Advocate
import ArgumentParser
import Foundation

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case", abstract: "Open cases, send events, and read a case's state and history.",
        subcommands: [Open.self, List.self, Show.self, Send.self, Done.self, History.self, Documents.self, Assign.self, Migrate.self, Import.self])

    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "open", abstract: "Open a case on a workflow and print its id.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The workflow id.") var workflow: String
        @Option(name: .customLong("set"), help: "A field value, as field=value (repeatable).") var assignments: [String] = []
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let outcome = try options.service().open(workflow: workflow, fields: try Output.assignments(assignments), actor: .commandLine)
                if json {
                    Output.json(JSONShapes.outcome(outcome))
                } else {
                    print(outcome.caseId)
                    // Standard output stays the id alone, for scripts: the paperwork is noted on standard error.
                    CaseRendering.printDocuments(outcome, toStandardError: true)
                }
            }
        }
    }

    struct Assign: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "assign",
            abstract: "Assign a case to an advocate's account (they alone, and supervisors, see it in the web app).")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The case id.") var caseId: String
        @Argument(help: "The account name; leave out with --nobody to unassign.") var account: String?
        @Flag(help: "Assign the case to nobody.") var nobody = false

        func run() throws {
            try Output.run {
                guard (account == nil) == nobody else { throw AdvocateError("give an account name, or --nobody to unassign") }
                try options.service(forCase: caseId).assign(caseId, to: account, actor: .commandLine)
                print(account.map { "\(caseId) is assigned to \($0)" } ?? "\(caseId) is assigned to nobody")
            }
        }
    }

    struct Documents: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "documents",
            abstract: "List the documents filled for a case, or export them to a folder.",
            discussion: "Documents are filled when a workflow's fill: effect runs. Values the case lacked then show as markers and are listed.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The case id.") var caseId: String
        @Option(help: "Write every document into this folder (created if needed).") var export: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let service = try options.service(forCase: caseId)
                let documents = try service.documents(caseId, actor: .commandLine)
                if let export {
                    do { try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700]) } catch {
                        throw AdvocateError("cannot create \(export)")
                    }
                    for document in documents {
                        let name = "\(document.sequence)-\(document.fileName)"
                        let bytes = try service.documentContent(caseId, sequence: document.sequence, actor: .commandLine)
                        try writePrivately(bytes, to: URL(fileURLWithPath: export).appendingPathComponent(name).path)
                        if !json { print("\(export)/\(name)") }
                    }
                }
                if json {
                    Output.json(documents.map(JSONShapes.document))
                } else if export == nil {
                    if documents.isEmpty { print("No documents yet for \(caseId).") }
                    for d in documents {
                        let missing = d.missing.isEmpty ? "" : "  missing: \(d.missing.joined(separator: ", "))"
                        print("\(d.sequence)  \(d.fileName.padding(toLength: 34, withPad: " ", startingAt: 0)) \(d.createdAt)  \(d.size) bytes  sha256 \(d.sha256.prefix(12))\(missing)")
                    }
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List cases.")
        @OptionGroup var options: StoreOptions
        @Option(help: "Only cases on this workflow.") var workflow: String?
        @Flag(help: "Only cases still open.") var open = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let cases = try options.service().cases(workflow: workflow, includeClosed: !open)
                if json {
                    Output.json(cases.map(JSONShapes.summary))
                    return
                }
                if cases.isEmpty { print("No cases yet. Open one with: advocate case open WORKFLOW --set field=value") }
                for c in cases {
                    let where_ = c.state.tracks.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                    print("\(c.id)  \(c.workflowId) v\(c.workflowVersion)  \(c.closed ? "closed" : where_)")
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a case: where each track is, what is due, and its data.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The case id.") var id: String
        @Flag(help: "Show confidential safe addresses (recorded as an unlock).") var unlockSafeAddress = false
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let details = try options.service(forCase: id).details(id, actor: .commandLine)
                if json {
                    Output.json(JSONShapes.details(details, unlockSafeAddress: unlockSafeAddress))
                } else {
                    print(CaseRendering.text(details, unlockSafeAddress: unlockSafeAddress))
                }
            }
        }
    }

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "send", abstract: "Send an event to a case, with the values it sets.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The case id.") var id: String
        @Argument(help: "The event name.") var event: String
        @Option(name: .customLong("set"), help: "A payload value, as field=value (repeatable).") var assignments: [String] = []
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let outcome = try options.service(forCase: id).send(id, event: event, fields: try Output.assignments(assignments), actor: .commandLine)
                CaseRendering.printOutcome(outcome, json: json)
            }
        }
    }

    struct Done: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark an open step, reminder or follow-up done.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The case id.") var id: String
        @Argument(help: "The step key, as 'case show' lists it.") var step: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                CaseRendering.printOutcome(try options.service(forCase: id).complete(id, step: step, actor: .commandLine), json: json)
            }
        }
    }

    struct History: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "history", abstract: "Show a case's journal: every input, in order.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The case id.") var id: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let journal = try options.service(forCase: id).history(id, actor: .commandLine)
                if json {
                    Output.json(journal.map(JSONShapes.journal))
                    return
                }
                for entry in journal { print("\(entry.sequence)\t\(entry.at.iso)\t\(CaseRendering.describe(entry.input))") }
            }
        }
    }

    struct Migrate: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Move a case to another version of its workflow.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The case id.") var id: String
        @Option(help: "The target version.") var to: Int
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let service = try options.service(forCase: id)
                let before = try service.details(id).stored.definitionHash
                let stored = try service.migrate(id, toVersion: to)
                if json {
                    Output.json(["id": stored.id, "workflow": stored.workflowId, "version": stored.workflowVersion, "definition_hash": stored.definitionHash, "changed": stored.definitionHash != before])
                    return
                }
                if stored.definitionHash == before {
                    print("\(stored.id) already runs on \(stored.workflowId) v\(stored.workflowVersion); nothing changed")
                } else {
                    print("\(stored.id) now runs on \(stored.workflowId) v\(stored.workflowVersion)")
                }
            }
        }
    }
}

/// How cases, inputs and effects read on screen and in JSON.
enum CaseRendering {
    static func describe(_ effect: Effect) -> String { effect.summary }

    static func describe(_ input: CaseInput) -> String {
        switch input {
        case .open(let data): return "opened (\(data.count) field\(data.count == 1 ? "" : "s"))"
        case .event(let name, let payload):
            return payload.isEmpty ? name : "\(name) (\(payload.keys.sorted().joined(separator: ", ")))"
        case .completeStep(let key): return "done \(key)"
        case .tick: return "tick"
        }
    }

    static func printOutcome(_ outcome: CaseService.Outcome, json: Bool) {
        if json {
            Output.json(JSONShapes.outcome(outcome))
            return
        }
        for effect in outcome.effects { print(describe(effect)) }
        printDocuments(outcome)
        let tracks = outcome.state.tracks.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        print("\(outcome.caseId) is now at \(tracks)\(outcome.state.closed ? " (closed)" : "")")
    }

    /// The documents a command filled, and any it could not.
    static func printDocuments(_ outcome: CaseService.Outcome, toStandardError: Bool = false) {
        for document in outcome.documents {
            let missing = document.missing.isEmpty ? "" : " (missing: \(document.missing.joined(separator: ", ")))"
            let line = "filled \(document.fileName) as document \(document.sequence)\(missing)"
            if toStandardError { FileHandle.standardError.write(Data("note: \(line)\n".utf8)) } else { print(line) }
        }
        for problem in outcome.documentProblems { FileHandle.standardError.write(Data("warning: \(problem)\n".utf8)) }
    }

    static func text(_ details: CaseService.CaseDetails, unlockSafeAddress: Bool) -> String {
        let stored = details.stored
        let definition = details.definition
        var lines = ["\(stored.id) · \(definition.title) (\(definition.id) v\(definition.version))\(stored.closed ? " · closed" : "")", ""]
        for track in definition.tracks {
            guard let current = stored.state.tracks[track.name], let state = track.state(current) else { continue }
            lines.append("\(track.title): \(state.title)")
            if !state.client.isEmpty { lines.append("  For the client: \(state.client)") }
        }
        lines.append("")
        lines.append(stored.state.items.isEmpty ? "Nothing open." : "Open items:")
        for item in stored.state.items {
            let due = item.due.map { "due \($0.iso)" } ?? "no date yet"
            lines.append("  [\(item.key)] \(item.title) (\(item.who)), \(due)")
            for reason in item.due?.reasons ?? [] { lines.append("      \(reason)") }
        }
        let courts = details.agenda.filter { $0.kind == "court-date" }
        if !courts.isEmpty {
            lines.append("")
            lines.append("Court dates:")
            for row in courts { lines.append("  \(row.due?.iso ?? "")  \(row.title)") }
        }
        if !stored.state.referrals.isEmpty {
            lines.append("")
            lines.append("Referrals:")
            for r in stored.state.referrals { lines.append("  \(r.to): \(r.outcome ?? "waiting for an answer") (sent \(r.sent.date.iso), \(r.followUps) follow-up\(r.followUps == 1 ? "" : "s"))") }
        }
        lines.append("")
        lines.append("Data:")
        for field in definition.fields {
            let v = stored.state.data[field.name] ?? .null
            if v.isNull { continue }
            lines.append("  \(field.label): \(JSONShapes.shown(field, v, unlock: unlockSafeAddress).text)")
        }
        return lines.joined(separator: "\n")
    }
}
