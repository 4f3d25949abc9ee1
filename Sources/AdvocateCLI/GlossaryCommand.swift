import Advocate
import ArgumentParser
import Foundation

/// `advocate explain TERM`: a legal word in plain language.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "Explain a legal term in plain language, in English or Spanish.",
        discussion: "Matches terms, aliases and inflections, ignoring case and accents, and puts up with small typos.")
    @OptionGroup var options: StoreOptions
    @Argument(help: "The word or phrase, such as \"continuance\" or \"citación\".") var term: [String]
    @Option(help: "en or es.") var lang: String = "en"
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try Output.run {
            let language = try GlossaryCommand.language(lang)
            let glossary = try options.workspace().glossary
            let query = term.joined(separator: " ")
            switch glossary.lookup(query, language: language) {
            case .found(let entry):
                GlossaryCommand.show(entry, language: language, json: json, note: nil)
            case .corrected(let entry, _):
                GlossaryCommand.show(entry, language: language, json: json, note: "Showing '\(entry.term(in: language))' for '\(query)'.")
            case .suggestions(let entries):
                throw AdvocateError("no term '\(query)' in the glossary; did you mean \(entries.map { "'\($0.term(in: language))'" }.joined(separator: ", "))?")
            case .notFound:
                throw AdvocateError("no term '\(query)' in the glossary; try 'advocate glossary search \(query)'")
            }
        }
    }
}

struct GlossaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "glossary", abstract: "Search the plain-language glossary and see its readability.",
        subcommands: [Search.self, Complete.self, Stats.self, Export.self, Import.self])

    static func language(_ text: String) throws -> Glossary.Language {
        guard let language = Glossary.Language(rawValue: text.lowercased()) else { throw AdvocateError("--lang must be en or es") }
        return language
    }

    static func show(_ entry: GlossaryEntry, language: Glossary.Language, json: Bool, note: String?) {
        if json {
            var object = JSONShapes.glossary(entry)
            if let note { object["note"] = note }
            Output.json(object)
            return
        }
        if let note { print(note) }
        let other: Glossary.Language = language == .en ? .es : .en
        print("\(entry.term(in: language)) (\(entry.term(in: other)))")
        print("  \(entry.definition(in: language))")
        if !entry.example(in: language).isEmpty { print("  \(language == .en ? "Example" : "Ejemplo"): \(entry.example(in: language))") }
        if !entry.related.isEmpty { print("  \(language == .en ? "See also" : "Vea también"): \(entry.related.joined(separator: ", "))") }
    }

    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "search", abstract: "Find terms by words in their names, definitions and examples, best first.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Words to search for.") var query: [String]
        @Option(help: "en or es.") var lang: String = "en"
        @Option(help: "How many results.") var limit: Int = 10
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let language = try GlossaryCommand.language(lang)
                let hits = try options.workspace().glossary.search(query.joined(separator: " "), language: language, limit: limit)
                if json {
                    Output.json(hits.map { ["term": $0.entry.term(in: language), "score": $0.score, "definition": $0.entry.definition(in: language)] as [String: Any] })
                    return
                }
                if hits.isEmpty { print("Nothing found.") }
                for hit in hits { print("\(hit.entry.term(in: language)): \(hit.entry.definition(in: language))") }
            }
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "complete", abstract: "Terms that start with what you have typed.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "The beginning of a term.") var prefix: String
        @Option(help: "en or es.") var lang: String = "en"
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let language = try GlossaryCommand.language(lang)
                let terms = try options.workspace().glossary.complete(prefix, language: language).map { $0.term(in: language) }
                if json { Output.json(terms) } else { terms.forEach { print($0) } }
            }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "stats", abstract: "How many terms, and how readable the definitions are.")
        @OptionGroup var options: StoreOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try Output.run {
                let glossary = try options.workspace().glossary
                let grades = glossary.entries.map { Readability.fleschKincaidGrade($0.definition) }
                let ease = glossary.entries.map { Readability.fleschReadingEase($0.definition) }
                let spanish = glossary.entries.map { Readability.fernandezHuerta($0.spanish.definition) }
                let byCategory = Dictionary(grouping: glossary.entries, by: \.category).mapValues(\.count)
                let bands = [(-100.0, 2.0), (2.0, 3.0), (3.0, 4.0), (4.0, 5.0), (5.0, 6.0), (6.0, 100.0)]
                let gradeBands = bands.map { band in grades.filter { $0 >= band.0 && $0 < band.1 }.count }
                let spanishBands = [(-1000.0, 60.0), (60.0, 70.0), (70.0, 80.0), (80.0, 90.0), (90.0, 1000.0)].map { band in spanish.filter { $0 >= band.0 && $0 < band.1 }.count }
                func mean(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count) }
                if json {
                    Output.json([
                        "terms": glossary.entries.count, "categories": byCategory,
                        "flesch_kincaid_grade": ["mean": mean(grades), "max": grades.max() ?? 0, "bands": gradeBands],
                        "flesch_reading_ease": ["mean": mean(ease), "min": ease.min() ?? 0],
                        "fernandez_huerta": ["mean": mean(spanish), "min": spanish.min() ?? 0, "bands": spanishBands],
                    ])
                    return
                }
                print("\(glossary.entries.count) terms in \(byCategory.count) categories")
                for (category, count) in byCategory.sorted(by: { $0.key < $1.key }) { print("  \(category.padding(toLength: 28, withPad: " ", startingAt: 0)) \(count)") }
                print("\nEnglish definitions, Flesch-Kincaid grade (target: 6 or lower): mean \(String(format: "%.1f", mean(grades))), highest \(String(format: "%.1f", grades.max() ?? 0))")
                for (band, count) in zip(["below 2", "2 to 3", "3 to 4", "4 to 5", "5 to 6", "above 6"], gradeBands) {
                    print("  \(band.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(repeating: "█", count: (count + 3) / 4)) \(count)")
                }
                print("Flesch reading ease: mean \(String(format: "%.0f", mean(ease))), lowest \(String(format: "%.0f", ease.min() ?? 0))")
                print("\nSpanish definitions, Fernández-Huerta (target: 60 or higher): mean \(String(format: "%.0f", mean(spanish))), lowest \(String(format: "%.0f", spanish.min() ?? 0))")
                for (band, count) in zip(["below 60", "60 to 70", "70 to 80", "80 to 90", "90 or more"], spanishBands) {
                    print("  \(band.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(repeating: "█", count: (count + 3) / 4)) \(count)")
                }
            }
        }
    }
}
