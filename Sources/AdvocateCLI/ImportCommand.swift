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
                var objects: [(line: Int, text: Substring, object: [String: Any])] = []
                for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                        throw refusal(line: index + 1, column: 1, "not a JSON object")
                    }
                    objects.append((index + 1, line, object))
                }
                // Field types come from the workflow each case runs on.
                let stored = Set(objects.compactMap { $0.object["case"] as? String })
                var workflowOf = try service.workflowIds(of: stored)
                var items: [CaseService.BatchItem] = []
                for (line, text, object) in objects {
                    do {
                        items.append(try item(object, workflowOf: &workflowOf, workspace: service.workspace))
                    } catch let problem as LineProblem {
                        throw refusal(line: line, column: problem.key.map { column(of: $0, in: text) } ?? 1, problem.message)
                    } catch {
                        throw refusal(line: line, column: 1, AdvocateError.from(error).description)
                    }
                }
                let opened: [String]
                do {
                    opened = try service.importBatch(items)
                } catch let problem as AdvocateError where problem.item.map(objects.indices.contains) == true {
                    // The service names the item; a person wants the line, and the reason without the item number.
                    let reason = problem.description.drop { $0 != ":" }.dropFirst(2)
                    let (line, text, _) = objects[problem.item!]
                    throw refusal(line: line, column: problem.key.map { column(of: $0, in: text) } ?? 1, String(reason))
                }
                if json {
                    Output.json(["imported": items.count, "opened": opened])
                } else {
                    print("Imported \(items.count) item\(items.count == 1 ? "" : "s"); opened \(opened.count) case\(opened.count == 1 ? "" : "s").")
                }
            }
        }

        /// A refused line, as `file:line:column: error: message`. The line itself is not shown:
        /// it may hold a client's name.
        func refusal(line: Int, column: Int, _ message: String) -> AdvocateError {
            AdvocateError(message, diagnostics: [Diagnostic(file: file, line: line, column: column, message: message)])
        }

        /// Where `"key":` first appears in a line, counted in characters from 1 (a value that
        /// happens to read `"key"` is not followed by a colon).
        func column(of key: String, in line: Substring) -> Int {
            var rest = line[...]
            while let found = rest.range(of: "\"" + key + "\"") {
                if rest[found.upperBound...].drop(while: { $0 == " " }).first == ":" {
                    return line.distance(from: line.startIndex, to: found.lowerBound) + 1
                }
                rest = rest[found.upperBound...]
            }
            return 1
        }

        /// A problem with one key of a line (nil: with the line as a whole).
        struct LineProblem: Error {
            var key: String?
            var message: String
        }

        static let keys: [String: Set<String>] = [
            "open": ["open", "ref", "set", "at"], "event": ["case", "event", "set", "at"], "done": ["case", "done", "at"],
        ]

        func item(_ object: [String: Any], workflowOf: inout [String: String], workspace: Workspace) throws -> CaseService.BatchItem {
            // What the line does decides which keys it may have; a misspelt key is refused, not dropped.
            let kind = ["open", "event", "done"].first { object[$0] != nil }
            guard let kind else {
                // The key at fault is one no line may have (a misspelt "event"), not "case" or "at".
                let known: Set<String> = ["open", "ref", "set", "at", "case", "event", "done"]
                let stray = object.keys.sorted().first { !known.contains($0) }
                let near = stray.map { suggestion($0, ["open", "event", "done"]) } ?? ""
                throw LineProblem(key: stray, message: "each line needs \"open\", or \"case\" with \"event\" or \"done\"\(near)")
            }
            let allowed = Import.keys[kind]!
            for key in object.keys.sorted() where !allowed.contains(key) {
                throw LineProblem(key: key, message: "unknown key '\(key)' in a line with \"\(kind)\"\(suggestion(key, allowed.sorted())) (it may have: \(allowed.sorted().joined(separator: ", ")))")
            }
            for key in allowed where key != "set" && key != "at" && object[key] != nil && !(object[key] is String) {
                throw LineProblem(key: key, message: "'\(key)' must be text")
            }
            var at: LocalDateTime?
            if let value = object["at"] {
                guard let text = value as? String, let time = LocalDateTime(iso: text) else {
                    throw LineProblem(key: "at", message: "'at' must be a local time written YYYY-MM-DDTHH:MM")
                }
                at = time
            }
            if object["set"] != nil, !(object["set"] is [String: Any]) { throw LineProblem(key: "set", message: "'set' must be an object of fields and values") }
            let set = object["set"] as? [String: Any] ?? [:]
            func values(_ workflow: String) throws -> [String: Value] {
                guard let definition = workspace.workflow(workflow)?.definition else { throw LineProblem(key: "open", message: "unknown workflow '\(workflow)'") }
                var result: [String: Value] = [:]
                for (name, json) in set.sorted(by: { $0.key < $1.key }) {
                    guard let type = definition.fieldTypes[name] else {
                        throw LineProblem(key: name, message: "workflow '\(workflow)' has no field '\(name)'\(suggestion(name, definition.fields.map(\.name)))")
                    }
                    do { result[name] = try FieldInput.fromJSON(json, as: type, field: name) } catch {
                        throw LineProblem(key: name, message: AdvocateError.from(error).description)
                    }
                }
                return result
            }
            if let workflow = object["open"] as? String {
                let reference = object["ref"] as? String
                if let reference { workflowOf[reference] = workflow }
                return .open(workflow: workflow, values: try values(workflow), reference: reference, at: at)
            }
            guard let caseId = object["case"] as? String else { throw LineProblem(key: nil, message: "a line with \"\(kind)\" needs \"case\": the case id, or a \"ref\" opened earlier in the file") }
            guard let workflow = workflowOf[caseId] else { throw LineProblem(key: "case", message: "no case '\(caseId)' in this store or earlier in the file") }
            if let event = object["event"] as? String { return .event(caseId: caseId, name: event, payload: try values(workflow), at: at) }
            guard let step = object["done"] as? String else { throw LineProblem(key: "done", message: "'done' must be text") }
            return .done(caseId: caseId, step: step, at: at)
        }
    }
}
