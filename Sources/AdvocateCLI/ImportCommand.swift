import Advocate
import ArgumentParser
import Foundation

extension CaseCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Import many cases and events from a JSON Lines file, in one transaction.",
            discussion: """
                Each line is one object:
                  {"open": "protective-order", "ref": "a", "set": {"client.name": "…"}}
                  {"case": "a", "event": "petition_filed", "set": {"petition.ex_parte_requested": true}, "at": "2026-11-20T10:00"}
                  {"case": "C-00012", "done": "safety_plan"}
                "case" is a stored case id or a "ref" opened earlier in the file. "at" (local time) is optional.
                If any line is refused, nothing is imported. An import records history; it does not fill the
                workflows' paperwork (fill what you need with 'advocate forms fill FORM --case ID').
                """)
        @OptionGroup var options: StoreOptions
        @Argument(help: "The JSON Lines file.") var file: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let service = try options.service()
                guard let data = FileManager.default.contents(atPath: file) else { throw AdvocateError("cannot read \(file)") }
                let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                var objects: [(Int, [String: Any])] = []
                for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                        throw AdvocateError("\(file):\(index + 1):1: error: not a JSON object")
                    }
                    objects.append((index + 1, object))
                }
                // Field types come from the workflow each case runs on.
                let stored = Set(objects.compactMap { $0.1["case"] as? String })
                var workflowOf = try service.workflowIds(of: stored)
                var items: [CaseService.BatchItem] = []
                for (line, object) in objects {
                    do {
                        items.append(try item(object, workflowOf: &workflowOf, workspace: service.workspace))
                    } catch {
                        throw AdvocateError("\(file):\(line):1: error: \(AdvocateError.from(error).description)")
                    }
                }
                let opened = try service.importBatch(items)
                if json {
                    Output.json(["imported": items.count, "opened": opened])
                } else {
                    print("Imported \(items.count) item\(items.count == 1 ? "" : "s"); opened \(opened.count) case\(opened.count == 1 ? "" : "s").")
                }
            }
        }

        func item(_ object: [String: Any], workflowOf: inout [String: String], workspace: Workspace) throws -> CaseService.BatchItem {
            var at: LocalDateTime?
            if let text = object["at"] as? String {
                guard let time = LocalDateTime(iso: text) else { throw AdvocateError("'at' must be a local time written YYYY-MM-DDTHH:MM") }
                at = time
            }
            let set = object["set"] as? [String: Any] ?? [:]
            func values(_ workflow: String) throws -> [String: Value] {
                guard let definition = workspace.workflow(workflow)?.definition else { throw AdvocateError("unknown workflow '\(workflow)'") }
                var result: [String: Value] = [:]
                for (name, json) in set {
                    guard let type = definition.fieldTypes[name] else { throw AdvocateError("workflow '\(workflow)' has no field '\(name)'") }
                    result[name] = try FieldInput.fromJSON(json, as: type, field: name)
                }
                return result
            }
            if let workflow = object["open"] as? String {
                let reference = object["ref"] as? String
                if let reference { workflowOf[reference] = workflow }
                return .open(workflow: workflow, values: try values(workflow), reference: reference, at: at)
            }
            guard let caseId = object["case"] as? String else { throw AdvocateError("each line needs \"open\", or \"case\" with \"event\" or \"done\"") }
            guard let workflow = workflowOf[caseId] else { throw AdvocateError("no case '\(caseId)' in this store or earlier in the file") }
            if let event = object["event"] as? String { return .event(caseId: caseId, name: event, payload: try values(workflow), at: at) }
            if let step = object["done"] as? String { return .done(caseId: caseId, step: step, at: at) }
            throw AdvocateError("a line with \"case\" needs \"event\" or \"done\"")
        }
    }
}
