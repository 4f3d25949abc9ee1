import Advocate
import ArgumentParser
import Foundation

struct FormsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forms", abstract: "List, inspect, check and fill the document templates in Forms/.",
        subcommands: [List.self, Fields.self, Check.self, Fill.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the templates in Forms/ and the workflows that fill them.")
        @OptionGroup var options: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let library = FormLibrary(workspace: try options.workspace())
                var rows: [[String: Any]] = []
                for path in library.paths {
                    let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                    let format = (path as NSString).pathExtension.lowercased()
                    let users = library.workflows(using: name).map(\.id)
                    rows.append(["name": name, "format": format, "workflows": users])
                    if !json {
                        print("\(name.padding(toLength: 30, withPad: " ", startingAt: 0)) \(format.padding(toLength: 5, withPad: " ", startingAt: 0)) \(users.isEmpty ? "(no workflow)" : users.joined(separator: ", "))")
                    }
                }
                if json { Output.json(rows) }
            }
        }
    }

    struct Fields: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "fields", abstract: "List every variable a template uses, with where it appears.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "A form name from Forms/, or the path of a template file.") var form: String
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let library = FormLibrary(workspace: try options.workspace())
                let template = try library.template(form)
                guard template.isUsable else { throw AdvocateError("\(template.name) has template errors", diagnostics: template.diagnostics(file: template.path)) }
                var places: [String: [String]] = [:]
                var order: [String] = []
                for use in template.variables {
                    if places[use.name] == nil { order.append(use.name) }
                    let place = use.location.part == nil ? "line \(use.location.line)" : use.location.short
                    if places[use.name]?.contains(place) != true { places[use.name, default: []].append(place) }
                }
                if json {
                    Output.json(order.map { ["name": $0, "places": places[$0] ?? []] as [String: Any] })
                    return
                }
                for name in order.sorted() { print("\(name.padding(toLength: 32, withPad: " ", startingAt: 0)) \(places[name]!.joined(separator: "; "))") }
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Check templates: syntax, unknown filters, text that would be lost, and variables no workflow provides.",
            discussion: "With no forms named, checks every template in Forms/. Exits 1 if there is any error.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Form names or template paths.") var forms: [String] = []

        func run() throws {
            try Output.run {
                let library = FormLibrary(workspace: try options.workspace())
                let targets = forms.isEmpty ? library.paths : forms
                var errors = 0, warnings = 0
                for target in targets {
                    let template: FormTemplate
                    do { template = try library.template(target) } catch {
                        Output.error(AdvocateError.from(error).description)
                        errors += 1
                        continue
                    }
                    let file = template.path.hasPrefix(library.workspace.root + "/") ? String(template.path.dropFirst(library.workspace.root.count + 1)) : template.path
                    for problem in library.check(template) {
                        FileHandle.standardError.write(Data((problem.diagnostic(file: file).rendered + "\n").utf8))
                        if problem.severity == .error { errors += 1 } else { warnings += 1 }
                    }
                }
                print("\(targets.count) template\(targets.count == 1 ? "" : "s") checked: \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
                if errors > 0 { throw ExitCode.failure }
            }
        }
    }

    struct Fill: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fill",
            abstract: "Fill a template from a case or a data file.",
            discussion: """
                The output has the template's format (DOCX, ODT or HTML), or PDF with --pdf (through LibreOffice). \
                A missing value is an error listing every missing name; --allow-missing leaves a visible marker instead. \
                A case's confidential safe address is left out unless --include-safe-address is given.
                """)
        @OptionGroup var options: StoreOptions
        @Argument(help: "A form name from Forms/, or the path of a template file.") var form: String
        @Option(name: .customLong("case"), help: "Fill from this case's data.") var caseId: String?
        @Option(help: "Fill from this JSON or YAML file.") var data: String?
        @Option(name: .shortAndLong, help: "The file to write.") var output: String
        @Flag(help: "Convert to PDF with LibreOffice.") var pdf = false
        @Flag(help: "Append a \"Words to know\" section explaining the legal terms used.") var explainTerms = false
        @Flag(help: "Leave a visible marker for missing values instead of failing.") var allowMissing = false
        @Flag(help: "Let the case's confidential safe address into the document.") var includeSafeAddress = false
        @Option(help: "The language of the \"Words to know\" section: en or es.") var lang: String = "en"

        func validate() throws {
            guard (caseId == nil) != (data == nil) else { throw ValidationError("give either --case ID or --data FILE") }
        }

        func run() throws {
            try Output.run {
                let language = try GlossaryCommand.language(lang)
                let workspace = try options.workspace()
                let library = FormLibrary(workspace: workspace)
                let template = try library.template(form)
                if pdf, (output as NSString).pathExtension.lowercased() != "pdf" { throw AdvocateError("with --pdf, name the output .pdf") }
                if !pdf, FormTemplate.Format(path: output) != template.format {
                    throw AdvocateError("\(template.name) is a\(template.format == .odt ? "n" : "") \(template.format.rawValue.uppercased()) template: name the output .\(template.format.rawValue), or add --pdf")
                }
                let clock = try Output.clock()
                let environment: Environment
                if let caseId {
                    environment = try options.service(workspace: workspace).documentEnvironment(caseId, includeSafeAddress: includeSafeAddress)
                } else {
                    let values: [String: Value]
                    do { values = try DataFile.load(path: data!) } catch { throw AdvocateError.from(error) }
                    environment = library.environment(data: values, now: clock.localNow(timeZone: nil))
                }
                let documentOptions = DocumentOptions(fill: FillOptions(allowMissing: allowMissing), explainTerms: explainTerms, language: language.rawValue)
                var bytes = try library.document(template, environment: environment, options: documentOptions)
                if pdf { bytes = try OfficeConverter.convert(bytes, format: template.format) }
                try writePrivately(bytes, to: output)
                print("Wrote \(output) (\(bytes.count) bytes)")
            }
        }
    }
}
