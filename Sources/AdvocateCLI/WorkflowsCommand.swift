import Advocate
import ArgumentParser
import Foundation

struct WorkflowsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "workflows", abstract: "List, check and draw workflows.", subcommands: [List.self, Check.self, Show.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the workflows in Workflows/.")
        @OptionGroup var options: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let workspace = try options.workspace()
                let workflows = workspace.latestWorkflows
                if json {
                    Output.json(workflows.map { JSONShapes.workflow($0.definition) })
                    return
                }
                for w in workflows {
                    print("\(w.definition.id.padding(toLength: 20, withPad: " ", startingAt: 0)) v\(w.definition.version)  \(w.definition.title)")
                }
                let broken = workspace.diagnostics.filter { $0.severity == .error }.count
                if broken > 0 {
                    Output.error("\(broken) problem\(broken == 1 ? "" : "s") in the project files; run 'advocate workflows check'")
                    throw ExitCode.failure
                }
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check workflow files and report every problem as file:line:column.",
            discussion: "With no paths, checks everything under Workflows/ (and the calendars and glossary they use). Exits 1 if there is any error.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Workflow files to check.") var paths: [String] = []
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                var workspace = try options.workspace()
                var diagnostics: [Diagnostic]
                if paths.isEmpty {
                    diagnostics = workspace.diagnostics
                } else {
                    diagnostics = paths.flatMap { workspace.load($0) }
                }
                diagnostics.sort { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) }
                let errors = diagnostics.filter { $0.severity == .error }.count
                if json {
                    Output.json(diagnostics.map { ["file": $0.file, "line": $0.line, "column": $0.column, "severity": $0.severity.rawValue, "message": $0.message] as [String: Any] })
                } else {
                    for diagnostic in diagnostics { FileHandle.standardError.write(Data((diagnostic.rendered + "\n").utf8)) }
                    let checked = paths.isEmpty ? workspace.workflows.count : paths.count
                    print("\(checked) workflow file\(checked == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(diagnostics.count - errors) warning\(diagnostics.count - errors == 1 ? "" : "s")")
                }
                if errors > 0 { throw ExitCode.failure }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a workflow's tracks, states and transitions.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The workflow id.") var id: String
        @Option(help: "text, dot (Graphviz), mermaid or graphml.") var format: String = "text"
        @Option(help: "A version other than the newest.") var version: Int?
        @Flag(help: "Print the tracks, states, events and steps as JSON.") var json = false

        func run() throws {
            try Output.run {
                guard let diagramFormat = WorkflowDiagram.Format(rawValue: format) else {
                    throw AdvocateError("--format must be text, dot, mermaid or graphml")
                }
                let workspace = try options.workspace()
                guard let workflow = workspace.workflow(id, version: version) else {
                    throw AdvocateError("unknown workflow '\(id)'\(suggestion(id, workspace.latestWorkflows.map(\.definition.id)))")
                }
                if json {
                    Output.json(WorkflowsCommand.describe(workflow.definition))
                    return
                }
                print(WorkflowDiagram.render(workflow.definition, as: diagramFormat), terminator: diagramFormat == .text ? "\n" : "")
            }
        }
    }

    /// A workflow as plain JSON, for scripts and other tools.
    static func describe(_ definition: WorkflowDefinition) -> [String: Any] {
        [
            "id": definition.id, "version": definition.version, "title": definition.title, "summary": definition.summary,
            "calendar": definition.calendar ?? "us-federal", "hash": definition.contentHash,
            "fields": definition.fields.map { f in
                ["name": f.name, "type": f.kind.rawValue, "label": f.label, "required": f.required, "personal": f.personal, "safe_address": f.safeAddress, "court_date": f.courtDate] as [String: Any]
            },
            "events": definition.events.values.sorted { $0.name < $1.name }.map { e in
                ["name": e.name, "title": e.title, "anytime": e.anytime, "sets": e.payload.map { ["field": $0.field, "required": $0.required] as [String: Any] }] as [String: Any]
            },
            "tracks": definition.tracks.map { t in
                [
                    "name": t.name, "title": t.title, "start": t.start,
                    "states": t.states.map { s in
                        [
                            "name": s.name, "title": s.title, "client": s.client, "terminal": s.terminal, "steps": s.steps,
                            "events": s.transitions.keys.sorted(), "transitions": s.transitions.flatMap { event, list in list.compactMap { $0.target.map { ["event": event, "to": $0] } } }
                                .sorted { ($0["event"] ?? "", $0["to"] ?? "") < ($1["event"] ?? "", $1["to"] ?? "") },
                        ] as [String: Any]
                    },
                ] as [String: Any]
            },
            "steps": definition.steps.values.sorted { $0.id < $1.id }.map { s in
                ["id": s.id, "title": s.title, "who": s.who, "due": s.due?.source ?? NSNull(), "explain": s.explain, "service": s.service ?? NSNull(), "form": s.form ?? NSNull()] as [String: Any]
            },
        ]
    }
}
