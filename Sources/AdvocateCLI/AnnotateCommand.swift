import Advocate
import ArgumentParser
import Foundation

struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate", abstract: "Find the legal terms in a document and explain them in plain language.",
        discussion: "Reads plain text, Markdown, HTML or DOCX. Text gets numbered footnotes; HTML gets accessible inline explanations; HTML and DOCX get a \"Words to know\" section.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The document (.txt, .md, .html or .docx).") var file: String
    @Option(help: "en or es.") var lang: String = "en"
    @Option(help: "text, markdown or html (default: the input's kind).") var format: String?
    @Option(name: .shortAndLong, help: "Write here instead of standard output.") var output: String?

    func run() throws {
        try Output.run {
            let language = try GlossaryCommand.language(lang)
            let kind = (file as NSString).pathExtension.lowercased()
            guard let data = FileManager.default.contents(atPath: file) else { throw AdvocateError("cannot read \(file)") }
            guard data.count <= 64 << 20 else { throw AdvocateError("\(file) is larger than 64 MiB") }
            if kind == "docx" {
                guard let output else { throw AdvocateError("a DOCX is written to a file: add -o OUT.docx") }
                let annotator = Annotator(glossary: try options.workspace().glossary, language: language)
                let entries = try annotator.annotate(docx: file, to: output)
                print("Explained \(entries.count) term\(entries.count == 1 ? "" : "s") in \(output)")
                return
            }
            guard let text = String(data: data, encoding: .utf8), !text.contains("\u{0}") else { throw AdvocateError("\(file) is not UTF-8 text") }
            let inputKind = ["html", "htm", "xhtml"].contains(kind) ? "html" : (["md", "markdown"].contains(kind) ? "markdown" : "text")
            let outputKind = format ?? inputKind
            let annotator = Annotator(glossary: try options.workspace().glossary, language: language)
            let result: String
            switch (inputKind, outputKind) {
            case ("html", "html"): result = try annotator.annotate(html: text)
            case ("html", _): throw AdvocateError("an HTML document is annotated as HTML; leave out --format")
            case (_, "html"):
                let paragraphs = text.components(separatedBy: "\n\n").map { "<p>" + $0.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") + "</p>" }
                result = try annotator.annotate(html: "<!DOCTYPE html><html lang=\"\(language.rawValue)\"><head><meta charset=\"utf-8\"></head><body>" + paragraphs.joined() + "</body></html>")
            case (_, "markdown"): result = annotator.annotate(text: text, markdown: true)
            case (_, "text"): result = annotator.annotate(text: text)
            default: throw AdvocateError("--format must be text, markdown or html")
            }
            if let output {
                do { try result.write(toFile: output, atomically: true, encoding: .utf8) } catch { throw AdvocateError("cannot write \(output)") }
            } else {
                print(result, terminator: result.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}

extension GlossaryCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Export the glossary as a printable HTML handout, CSV, or TBX for interpreters.")
        @OptionGroup var options: StoreOptions
        @Option(help: "html, csv or tbx.") var format: String
        @Option(help: "en or es (for the HTML handout).") var lang: String = "en"
        @Option(name: .shortAndLong, help: "Write here instead of standard output.") var output: String?

        func run() throws {
            try Output.run {
                let glossary = try options.workspace().glossary
                let text: String
                switch format {
                case "html": text = glossary.handout(language: try GlossaryCommand.language(lang))
                case "csv": text = glossary.csv()
                case "tbx": text = glossary.tbx()
                default: throw AdvocateError("--format must be html, csv or tbx")
                }
                if let output {
                    do { try text.write(toFile: output, atomically: true, encoding: .utf8) } catch { throw AdvocateError("cannot write \(output)") }
                } else {
                    print(text, terminator: "")
                }
            }
        }
    }
}

extension GlossaryCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Add your own terms from CSV or TBX to the local glossary overlay, without editing ours.",
            discussion: "CSV needs a header with term, definition_en, term_es and definition_es (and may have aliases, aliases_es, example_en, example_es, category, related). Terms are checked with the glossary first; nothing is written if any is wrong.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "A .csv or .tbx file.") var file: String
        @Option(help: "The overlay folder (default: $ADVOCATE_GLOSSARY_OVERLAY, else the user data folder).") var overlay: String?

        func run() throws {
            try Output.run {
                let root = try Workspace.locate(explicit: options.home)
                let target = overlay ?? GlossaryImport.defaultOverlayFolder()
                let (written, count) = try GlossaryImport.run(path: file, glossaryFolder: root + "/Glossary", overlay: target)
                print("Imported \(count) term\(count == 1 ? "" : "s") into \(written)")
            }
        }
    }
}
