internal import Foundation
internal import Yams
internal import AdvocateGlossary
internal import AdvocateXML

/// Brings terms from CSV or TBX into the overlay folder, as one YAML file, after checking them
/// together with the glossary; nothing is written when anything is wrong.
public enum GlossaryImport {
    /// `ADVOCATE_GLOSSARY_OVERLAY`, or `$XDG_DATA_HOME/advocate/glossary` (`~/.local/share/advocate/glossary`).
    public static func defaultOverlayFolder() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let folder = environment["ADVOCATE_GLOSSARY_OVERLAY"], !folder.isEmpty { return folder }
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
        return base + "/advocate/glossary"
    }

    /// Reads `path` (.csv or .tbx), checks the terms with the glossary in `folder`, and writes them to
    /// `overlay/NAME.yaml`. Returns the file written and how many terms it holds.
    public static func run(path: String, glossaryFolder folder: String, overlay: String) throws(Diagnostics) -> (file: String, count: Int) {
        let entries: [GlossaryEntry]
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": entries = try readCSV(path)
        case "tbx", "xml": entries = try readTBX(path)
        default: throw Diagnostics([Diagnostic(file: path, line: 1, column: 1, message: "import reads .csv or .tbx files")])
        }
        guard !entries.isEmpty else { throw Diagnostics([Diagnostic(file: path, line: 1, column: 1, message: "the file holds no terms")]) }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let yaml = try self.yaml(entries, category: "local")
        // Check in a copy of the overlay with the new file, then move it into place.
        let staging = NSTemporaryDirectory() + "advocate-import-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: staging) }
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for file in GlossaryLoader.files(in: overlay) where (file as NSString).lastPathComponent != "\(name).yaml" {
                try FileManager.default.copyItem(atPath: file, toPath: staging + "/" + (file as NSString).lastPathComponent)
            }
            try yaml.write(toFile: staging + "/\(name).yaml", atomically: true, encoding: .utf8)
        } catch {
            throw Diagnostics([Diagnostic(file: overlay, line: 1, column: 1, message: "cannot prepare the import: \(error.localizedDescription)")])
        }
        let (_, problems) = GlossaryLoader.load(folder: folder, overlay: staging)
        let errors = problems.filter { $0.severity == .error }
        if !errors.isEmpty {
            // Name the imported file, not the staging copy.
            throw Diagnostics(errors.map { d in
                var d = d
                if d.file.hasPrefix(staging) { d.file = path + " (as imported)" }
                return d
            })
        }
        let target = overlay + "/\(name).yaml"
        do {
            try FileManager.default.createDirectory(atPath: overlay, withIntermediateDirectories: true)
            try yaml.write(toFile: target, atomically: true, encoding: .utf8)
        } catch {
            throw Diagnostics([Diagnostic(file: target, line: 1, column: 1, message: "cannot write: \(error.localizedDescription)")])
        }
        return (target, entries.count)
    }

    static func yaml(_ entries: [GlossaryEntry], category: String) throws(Diagnostics) -> String {
        let terms: [[String: Any]] = entries.map { e in
            [
                "term": e.term, "aliases": e.aliases, "related": e.related, "definition": e.definition, "example": e.example,
                "es": ["term": e.spanish.term, "aliases": e.spanish.aliases, "definition": e.spanish.definition, "example": e.spanish.example],
            ]
        }
        let category = entries.first.map { $0.category.isEmpty ? category : $0.category } ?? category
        do {
            return "# Imported into Advocate's local glossary.\n"
                + (try Yams.dump(object: ["category": category, "title": ["en": "Local terms", "es": "Términos locales"], "terms": terms], allowUnicode: true, sortKeys: true))
        } catch {
            throw Diagnostics([Diagnostic(file: "import", line: 1, column: 1, message: "cannot write YAML: \(error)")])
        }
    }

    // MARK: CSV

    /// Reads CSV (RFC 4180) with a header row naming at least `term`, `definition_en`, `term_es`, `definition_es`.
    static func readCSV(_ path: String) throws(Diagnostics) -> [GlossaryEntry] {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 16 << 20 else {
            throw Diagnostics([Diagnostic(file: path, line: 1, column: 1, message: "cannot read the file, or it is larger than 16 MiB")])
        }
        guard let text = String(data: data, encoding: .utf8) else { throw Diagnostics([Diagnostic(file: path, line: 1, column: 1, message: "the file is not UTF-8 text")]) }
        let rows: [(line: Int, fields: [String])]
        do { rows = try parseCSV(text) } catch { throw Diagnostics([Diagnostic(file: path, line: error.line, column: 1, message: error.message)]) }
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw Diagnostics([Diagnostic(file: path, line: 1, column: 1, message: "the file is empty")])
        }
        let required = ["term", "definition_en", "term_es", "definition_es"]
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw Diagnostics([Diagnostic(file: path, line: 1, column: 1, message: "the header row needs \(missing.joined(separator: ", "))")])
        }
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        var entries: [GlossaryEntry] = []
        var problems: [Diagnostic] = []
        for (line, fields) in rows.dropFirst() where !(fields.count == 1 && fields[0].isEmpty) {
            func value(_ name: String) -> String {
                guard let index = column(name), index < fields.count else { return "" }
                return fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            func list(_ name: String) -> [String] { value(name).split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
            if let empty = required.first(where: { value($0).isEmpty }) {
                problems.append(Diagnostic(file: path, line: line, column: (column(empty) ?? 0) + 1, message: "'\(empty)' is empty"))
                continue
            }
            entries.append(
                GlossaryEntry(
                    term: value("term"), aliases: list("aliases"), category: value("category"), related: list("related"), definition: value("definition_en"),
                    example: value("example_en"),
                    spanish: .init(term: value("term_es"), aliases: list("aliases_es"), definition: value("definition_es"), example: value("example_es")),
                    source: "\(path):\(line)"))
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return entries
    }

    struct CSVError: Error {
        var message: String
        var line: Int
    }

    static func parseCSV(_ text: String) throws(CSVError) -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var rowLine = 1
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending = iterator.next()
        while let c = pending {
            pending = iterator.next()
            if quoted {
                if c == "\"" {
                    if pending == "\"" {
                        field.unicodeScalars.append("\"")
                        pending = iterator.next()
                    } else {
                        quoted = false
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where field.isEmpty: quoted = true
            case ",":
                fields.append(field)
                field = ""
            case "\r": continue
            case "\n":
                fields.append(field)
                rows.append((rowLine, fields))
                fields = []
                field = ""
                line += 1
                rowLine = line
            default: field.unicodeScalars.append(c)
            }
        }
        if quoted { throw CSVError(message: "a quoted field is never closed", line: rowLine) }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            rows.append((rowLine, fields))
        }
        return rows
    }

    // MARK: TBX

    /// Reads TBX: each `conceptEntry` with an English and a Spanish `langSec`; the first term is the
    /// term, the rest aliases; `descrip type="definition"` the definition.
    static func readTBX(_ path: String) throws(Diagnostics) -> [GlossaryEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Diagnostics([Diagnostic(file: path, line: 1, column: 1, message: "cannot read the file")]) }
        let document: XMLDocument
        do { document = try XMLDocument(bytes: Array(data), name: (path as NSString).lastPathComponent) } catch {
            throw Diagnostics([Diagnostic(file: path, line: max(1, error.line), column: max(1, error.column), message: error.message)])
        }
        var concepts: [XMLElement] = []
        func collect(_ element: XMLElement) {
            if element.name == "conceptEntry" || element.name == "termEntry" { concepts.append(element) } else { element.children.forEach(collect) }
        }
        if let root = document.root { collect(root) }
        var entries: [GlossaryEntry] = []
        var problems: [Diagnostic] = []
        for concept in concepts {
            var languages: [String: (terms: [String], definition: String)] = [:]
            for section in concept.children where section.name == "langSec" || section.name == "langSet" {
                let language = (section.attribute("xml:lang") ?? section.attribute("lang") ?? "").lowercased().prefix(2)
                var terms: [String] = []
                var definition = ""
                func walk(_ element: XMLElement) {
                    if element.name == "term" { terms.append(element.text.trimmingCharacters(in: .whitespacesAndNewlines)) }
                    if element.name == "descrip", element.attribute("type") == "definition" { definition = element.text.trimmingCharacters(in: .whitespacesAndNewlines) }
                    element.children.forEach(walk)
                }
                walk(section)
                languages[String(language)] = (terms.filter { !$0.isEmpty }, definition)
            }
            guard let en = languages["en"], let es = languages["es"], let term = en.terms.first, let esTerm = es.terms.first, !en.definition.isEmpty, !es.definition.isEmpty else {
                problems.append(Diagnostic(file: path, line: concept.line, column: 1, message: "a concept needs English and Spanish terms and definitions"))
                continue
            }
            let category = concept.children.first { $0.name == "descrip" && $0.attribute("type") == "subjectField" }?.text ?? ""
            entries.append(
                GlossaryEntry(
                    term: term, aliases: Array(en.terms.dropFirst()), category: category, related: [], definition: en.definition, example: "",
                    spanish: .init(term: esTerm, aliases: Array(es.terms.dropFirst()), definition: es.definition, example: ""), source: "\(path):\(concept.line)"))
        }
        if !problems.isEmpty { throw Diagnostics(problems) }
        return entries
    }
}
