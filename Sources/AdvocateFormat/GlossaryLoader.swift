internal import Foundation
internal import Yams
public import AdvocateGlossary

/// Reads `Glossary/*.yaml` (one file per category) and an optional overlay folder of local terms.
public enum GlossaryLoader {
    static let fileKeys = ["category", "title", "terms"]
    static let entryKeys = ["term", "aliases", "related", "definition", "example", "es"]
    static let spanishKeys = ["term", "aliases", "definition", "example"]

    /// Loads the glossary. Overlay entries add terms, or replace ours when they have the same term.
    /// Problems come back as diagnostics; entries with errors are left out.
    public static func load(folder: String, overlay: String? = nil) -> (Glossary, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var base = read(files: files(in: folder), diagnostics: &diagnostics)
        if let overlay {
            let local = read(files: files(in: overlay), diagnostics: &diagnostics)
            let replaced = Set(local.entries.map { Glossary.normalize($0.entry.term) })
            base.entries.removeAll { replaced.contains(Glossary.normalize($0.entry.term)) }
            base.entries += local.entries
            base.categories += local.categories.filter { category in !base.categories.contains { $0.id == category.id } }
        }
        diagnostics += check(base.entries)
        let glossary = Glossary(entries: base.entries.map(\.entry), categories: base.categories)
        return (glossary, diagnostics.sorted { ($0.file, $0.line, $0.column) < ($1.file, $1.line, $1.column) })
    }

    static func files(in folder: String) -> [String] {
        Workspace.files(in: folder, extensions: ["yaml", "yml"]).filter { !$0.hasSuffix("schema.yaml") }
    }

    /// An entry with where its names are written, for messages about duplicates.
    struct Located {
        var entry: GlossaryEntry
        var file: SourceFile
        var names: [(name: String, language: Glossary.Language, line: Int, column: Int)]
        var definitionLine: Int
        var definitionColumn: Int
    }

    struct Loaded {
        var entries: [Located] = []
        var categories: [GlossaryCategory] = []
    }

    static func read(files: [String], diagnostics: inout [Diagnostic]) -> Loaded {
        var loaded = Loaded()
        for path in files {
            let file: SourceFile
            do { file = try SourceFile.read(path) } catch { diagnostics.append(error); continue }
            let root: Node
            do { root = try file.composeYAML() } catch { diagnostics.append(error); continue }
            var reader = YAMLReader(file: file)
            defer { diagnostics += reader.diagnostics }
            guard let top = reader.mapping(root, allowed: fileKeys, required: ["category", "title", "terms"], what: "a glossary file") else { continue }
            let category = reader.string(top["category"], "category") ?? ""
            var title = category, titleSpanish = category
            if let node = top["title"], let titles = reader.mapping(node, allowed: ["en", "es"], required: ["en", "es"], what: "title") {
                title = reader.string(titles["en"], "title") ?? category
                titleSpanish = reader.string(titles["es"], "title") ?? category
            }
            loaded.categories.append(GlossaryCategory(id: category, title: title, titleSpanish: titleSpanish))
            guard let termsNode = top["terms"], case .sequence(let list) = termsNode else {
                reader.error("terms must be a list of entries", top["terms"])
                continue
            }
            for item in list {
                if let entry = readEntry(item, category: category, reader: &reader) { loaded.entries.append(entry) }
            }
        }
        return loaded
    }

    static func readEntry(_ node: Node, category: String, reader: inout YAMLReader) -> Located? {
        guard let spec = reader.mapping(node, allowed: entryKeys, required: ["term", "definition", "example", "es"], what: "a glossary entry"),
            let term = reader.string(spec["term"], "term"), let definition = reader.string(spec["definition"], "definition"),
            let example = reader.string(spec["example"], "example"), let esNode = spec["es"],
            let es = reader.mapping(esNode, allowed: spanishKeys, required: ["term", "definition", "example"], what: "the Spanish of '\(term)'"),
            let esTerm = reader.string(es["term"], "term"), let esDefinition = reader.string(es["definition"], "definition"),
            let esExample = reader.string(es["example"], "example")
        else { return nil }
        let aliases = reader.strings(spec["aliases"], "aliases")
        let esAliases = reader.strings(es["aliases"], "aliases")
        var names: [(String, Glossary.Language, Int, Int)] = []
        func place(_ text: String, _ node: Node?, _ language: Glossary.Language) {
            names.append((text, language, node?.mark?.line ?? 1, node?.mark?.column ?? 1))
        }
        place(term, spec["term"], .en)
        for (alias, aliasNode) in aliases { place(alias, aliasNode, .en) }
        place(esTerm, es["term"], .es)
        for (alias, aliasNode) in esAliases { place(alias, aliasNode, .es) }
        let entry = GlossaryEntry(
            term: term, aliases: aliases.map(\.0), category: category, related: reader.strings(spec["related"], "related").map(\.0), definition: definition,
            example: example, spanish: .init(term: esTerm, aliases: esAliases.map(\.0), definition: esDefinition, example: esExample),
            source: "\(reader.file.path):\(spec["term"]?.mark?.line ?? 1)")
        return Located(
            entry: entry, file: reader.file, names: names, definitionLine: spec["definition"]?.mark?.line ?? 1,
            definitionColumn: spec["definition"]?.mark?.column ?? 1)
    }

    /// Checks across every file: names defined twice, related terms that do not exist, and
    /// definitions that use their own term.
    static func check(_ entries: [Located]) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var first: [Glossary.Language: [String: (file: String, line: Int, column: Int, term: String)]] = [:]
        for located in entries {
            for (name, language, line, column) in located.names {
                let key = Glossary.normalize(name)
                if let earlier = first[language]?[key] {
                    if earlier.term != located.entry.term || earlier.line != line {
                        problems.append(located.file.diagnostic("'\(name)' is defined twice: here and at \(earlier.file):\(earlier.line):\(earlier.column)", line: line, column: column))
                    }
                } else {
                    first[language, default: [:]][key] = (located.file.path, line, column, located.entry.term)
                }
            }
        }
        let terms = Set(entries.map { Glossary.normalize($0.entry.term) })
        for located in entries {
            for related in located.entry.related where !terms.contains(Glossary.normalize(related)) {
                problems.append(located.file.diagnostic("'\(located.entry.term)' lists related term '\(related)', which is not in the glossary", line: located.definitionLine - 1, column: 1))
            }
            let definitionWords = " " + Glossary.normalize(located.entry.definition).filter { $0.isLetter || $0.isNumber || $0 == " " } + " "
            for name in [located.entry.term] + located.entry.aliases where definitionWords.contains(" " + Glossary.normalize(name) + " ") {
                problems.append(
                    located.file.diagnostic("the definition of '\(located.entry.term)' uses the word '\(name)'; explain it in other words", line: located.definitionLine, column: located.definitionColumn, severity: .warning))
                break
            }
        }
        return problems
    }
}
