import Foundation
import Testing
import TestSupport
import AdvocateFormat
import Advocate
@testable import AdvocateGlossary

private let glossary = TestSupport.workspace.glossary

@Suite("Readability")
struct ReadabilityTests {
    @Test("Scores match the reference algorithm", arguments: [
        ("A judge delays the court date to a later day. This is often asked for by a lawyer.", 2.3422, 94.3000),
        ("The respondent’s attorney filed 3 motions, and the judge denied them!", 6.9364, 64.9245),
    ])
    func english(text: String, grade: Double, ease: Double) {
        #expect(abs(Readability.fleschKincaidGrade(text) - grade) < 0.0001)
        #expect(abs(Readability.fleschReadingEase(text) - ease) < 0.0001)
    }

    @Test("Fernández-Huerta matches the reference algorithm", arguments: [
        ("El juez cambia la fecha de la audiencia a otro día. Lo pide a menudo un abogado.", 92.4871),
        ("La víctima leyó su declaración y el tribunal escuchó.", 68.8400),
    ])
    func spanish(text: String, score: Double) {
        #expect(abs(Readability.fernandezHuerta(text) - score) < 0.0001)
    }

    @Test func syllables() {
        #expect(Readability.englishSyllables("table") == 2)
        #expect(Readability.englishSyllables("makes") == 1)
        #expect(Readability.englishSyllables("judges") == 2)
        #expect(Readability.spanishSyllables("audiencia") == 3)
        #expect(Readability.spanishSyllables("día") == 2)
        #expect(Readability.spanishSyllables("poeta") == 3)
    }

    @Test("Every English definition is at grade 6 or below")
    func englishDefinitions() {
        for entry in glossary.entries {
            let grade = Readability.fleschKincaidGrade(entry.definition)
            #expect(grade <= 6.0, "\(entry.source) '\(entry.term)': grade \(grade)")
        }
    }

    @Test("Every Spanish definition scores 60 or more")
    func spanishDefinitions() {
        for entry in glossary.entries {
            let score = Readability.fernandezHuerta(entry.spanish.definition)
            #expect(score >= 60, "\(entry.source) '\(entry.spanish.term)': \(score)")
        }
    }
}

@Suite("The glossary's content")
struct GlossaryContentTests {
    static let coreTerms = [
        "advocate", "police report", "arrest", "warrant", "charge", "prosecutor", "defendant", "defense attorney", "public defender", "initial appearance",
        "bail", "bond", "release conditions", "no-contact order", "arraignment", "plea", "plea agreement", "no contest", "preliminary hearing", "grand jury",
        "indictment", "probable cause", "discovery", "subpoena", "continuance", "motion", "pretrial hearing", "witness", "testimony", "cross-examination",
        "evidence", "beyond a reasonable doubt", "jury", "verdict", "acquittal", "conviction", "dismissal", "misdemeanor", "felony", "sentencing",
        "presentence report", "victim impact statement", "restitution", "probation", "parole", "appeal", "diversion", "victim compensation", "petitioner",
        "respondent", "petition", "affidavit", "declaration", "ex parte", "temporary protective order", "final order", "service of process", "proof of service",
        "firearm surrender", "modification", "renewal", "contempt", "violation", "full faith and credit", "custody", "pro se", "address confidentiality",
    ]

    @Test func atLeast300TermsInEveryArea() {
        #expect(glossary.entries.count >= 300)
        let categories = Set(glossary.entries.map(\.category))
        #expect(categories == [
            "criminal-process", "protective-orders", "family-court", "victims-rights", "restitution-compensation", "housing-shelter", "immigration",
            "court-logistics", "advocacy-services",
        ])
    }

    @Test("The core terms are all there", arguments: coreTerms)
    func coreTerm(term: String) {
        #expect(glossary.entry(named: term) != nil)
    }

    @Test func loadsWithoutProblems() {
        let (_, problems) = GlossaryLoader.load(folder: TestSupport.root + "/Glossary")
        #expect(problems.isEmpty, "\(problems.map(\.description))")
    }

    @Test func entriesAreComplete() {
        for entry in glossary.entries {
            #expect(!entry.example.isEmpty && !entry.spanish.definition.isEmpty && !entry.spanish.example.isEmpty, "\(entry.source)")
            let sentences = Readability.sentences(entry.definition)
            #expect((1...3).contains(sentences), "\(entry.source): \(sentences) sentences")
            for related in entry.related { #expect(glossary.entry(named: related) != nil, "\(entry.source): related '\(related)'") }
        }
    }
}

@Suite("Looking terms up")
struct GlossaryLookupTests {
    @Test("Exact, alias, inflection, case and accents", arguments: [
        ("continuance", "continuance"), ("Continuances", "continuance"), ("CONTINUANCE", "continuance"), ("ex-parte", "ex parte"),
        ("arraigned", "arraignment"), ("subpoenas", "subpoena"), ("bond", "bail"),
    ])
    func found(query: String, term: String) {
        guard case .found(let entry) = glossary.lookup(query) else {
            Issue.record("'\(query)' was not found")
            return
        }
        #expect(entry.term == term)
    }

    @Test func spanishIgnoresAccents() {
        guard case .found(let a) = glossary.lookup("citación", language: .es), case .found(let b) = glossary.lookup("citacion", language: .es) else {
            Issue.record("citación was not found")
            return
        }
        #expect(a == b)
    }

    @Test("Typos with one clear correction", arguments: [("subpena", "subpoena"), ("arraingment", "arraignment"), ("contnuance", "continuance")])
    func corrected(query: String, term: String) {
        guard case .corrected(let entry, let from) = glossary.lookup(query) else {
            Issue.record("'\(query)' was not corrected: \(glossary.lookup(query))")
            return
        }
        #expect(entry.term == term)
        #expect(from == query)
    }

    @Test func unsureGivesSuggestions() {
        // Two edits away: not sure enough to answer, so it asks.
        guard case .suggestions(let entries) = glossary.lookup("warent") else {
            Issue.record("expected suggestions, got \(glossary.lookup("warent"))")
            return
        }
        #expect(entries.map(\.term).contains("warrant"))
        #expect(entries.count <= 3)
        #expect(glossary.lookup("xyzzy") == .notFound)
    }

    @Test func completionAndSearch() {
        let completions = glossary.complete("prot").map(\.term)
        #expect(completions.contains("protective order"))
        #expect(completions.allSatisfy { glossary.entry(named: $0) != nil })
        #expect(glossary.search("subpoena").first?.entry.term == "subpoena")
        #expect(glossary.search("tribunal decide", language: .es).isEmpty == false)
    }
}

@Suite("Bad glossary files")
struct GlossaryFileTests {
    func folder(_ files: [String: String]) throws -> String {
        let folder = TestSupport.temporaryFolder("glossary")
        for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        return folder
    }

    func entry(_ term: String, aliases: String = "[]", definition: String = "A plain word about court.") -> String {
        """
          - term: \(term)
            aliases: \(aliases)
            related: []
            definition: \(definition)
            example: You can ask me about it.
            es:
              term: \(term) es
              definition: Una palabra sencilla.
              example: Puede preguntarme.

        """
    }

    func file(_ category: String, _ entries: String) -> String {
        "category: \(category)\ntitle: {en: Test, es: Prueba}\nterms:\n" + entries
    }

    @Test func aNameDefinedTwiceNamesBothPlaces() throws {
        let path = try folder(["a.yaml": file("a", entry("docket")), "b.yaml": file("b", entry("calendar", aliases: "[Docket]"))])
        let (_, problems) = GlossaryLoader.load(folder: path)
        #expect(problems.map(\.description) == ["\(path)/b.yaml:5:15: error: 'Docket' is defined twice: here and at \(path)/a.yaml:4:11"])
    }

    @Test func definingAWordByItselfIsAWarning() throws {
        let path = try folder(["a.yaml": file("a", entry("docket", definition: "The docket is a list."))])
        let (_, problems) = GlossaryLoader.load(folder: path)
        #expect(problems.map(\.description) == ["\(path)/a.yaml:7:17: warning: the definition of 'docket' uses the word 'docket'; explain it in other words"])
    }

    @Test func malformedFilesAreLocated() throws {
        let path = try folder(["a.yaml": "category: a\ntitle: {en: Test, es: Prueba}\nterms:\n  - term: [unclosed\n"])
        let (glossary, problems) = GlossaryLoader.load(folder: path)
        #expect(glossary.entries.isEmpty)
        #expect(problems.count == 1)
        #expect(problems.first?.description.hasPrefix("\(path)/a.yaml:5:") == true)
    }

    @Test func anOverlayAddsAndReplacesTerms() throws {
        let base = try folder(["a.yaml": file("a", entry("docket") + entry("clerk"))])
        let overlay = try folder(["local.yaml": file("local", entry("docket", definition: "Our court's own list of cases for a day.") + entry("night court"))])
        let (glossary, problems) = GlossaryLoader.load(folder: base, overlay: overlay)
        #expect(problems.isEmpty, "\(problems)")
        #expect(glossary.entries.count == 3)
        #expect(glossary.entry(named: "docket")?.definition == "Our court's own list of cases for a day.")
        #expect(glossary.entry(named: "night court") != nil)
    }
}

@Suite("The compiled glossary cache")
struct GlossaryCacheTests {
    @Test func aCacheHitGivesTheSameGlossary() throws {
        let cache = TestSupport.temporaryFolder("glossary-cache")
        let folder = TestSupport.root + "/Glossary"
        let (parsed, parsedProblems) = GlossaryLoader.load(folder: folder)
        let (first, _) = GlossaryLoader.load(folder: folder, cacheFolder: cache)
        #expect(try FileManager.default.contentsOfDirectory(atPath: cache).count == 1)
        let (cached, cachedProblems) = GlossaryLoader.load(folder: folder, cacheFolder: cache)
        #expect(first.entries == parsed.entries)
        #expect(cached.entries == parsed.entries)
        #expect(cached.categories == parsed.categories)
        #expect(cachedProblems == parsedProblems)
    }

    @Test func anEditedFileIsReadAgain() throws {
        let cache = TestSupport.temporaryFolder("glossary-cache")
        let folder = TestSupport.temporaryFolder("glossary")
        let text = "category: a\ntitle: {en: A, es: A}\nterms:\n  - term: docket\n    definition: A list of cases.\n    example: Look.\n    es: {term: lista, definition: Una lista., example: Mire.}\n"
        try text.write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        #expect(GlossaryLoader.load(folder: folder, cacheFolder: cache).0.entries.first?.definition == "A list of cases.")
        try text.replacingOccurrences(of: "A list of cases.", with: "The cases a court will hear.").write(toFile: folder + "/a.yaml", atomically: true, encoding: .utf8)
        #expect(GlossaryLoader.load(folder: folder, cacheFolder: cache).0.entries.first?.definition == "The cases a court will hear.")
    }
}

@Suite("Importing local terms")
struct GlossaryImportTests {
    let csv = """
        term,aliases,definition_en,example_en,term_es,definition_es,example_es
        night court,night courts,"A court that hears cases in the evening, after work hours.",Your hearing is at night court.,corte nocturna,Una corte que atiende casos de noche.,Su audiencia es en la corte nocturna.

        """

    @Test func csvTermsLandInTheOverlay() throws {
        let folder = TestSupport.temporaryFolder("import")
        try csv.write(toFile: folder + "/local.csv", atomically: true, encoding: .utf8)
        let overlay = folder + "/overlay"
        let (file, count) = try GlossaryImport.run(path: folder + "/local.csv", glossaryFolder: TestSupport.root + "/Glossary", overlay: overlay)
        #expect(count == 1)
        #expect(file == overlay + "/local.yaml")
        let (glossary, problems) = GlossaryLoader.load(folder: TestSupport.root + "/Glossary", overlay: overlay)
        #expect(problems.isEmpty, "\(problems)")
        #expect(glossary.entry(named: "night courts")?.definition == "A court that hears cases in the evening, after work hours.")
        #expect(glossary.entry(named: "corte nocturna", language: .es) != nil)
    }

    @Test func aClashWithOurTermsWritesNothing() throws {
        let folder = TestSupport.temporaryFolder("import")
        try csv.replacingOccurrences(of: "night courts", with: "subpoena").write(toFile: folder + "/bad.csv", atomically: true, encoding: .utf8)
        let overlay = folder + "/overlay"
        #expect(throws: Diagnostics.self) { try GlossaryImport.run(path: folder + "/bad.csv", glossaryFolder: TestSupport.root + "/Glossary", overlay: overlay) }
        do {
            _ = try GlossaryImport.run(path: folder + "/bad.csv", glossaryFolder: TestSupport.root + "/Glossary", overlay: overlay)
        } catch {
            #expect(error.items.first?.message.hasPrefix("'subpoena' is defined twice: here and at ") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: overlay + "/bad.yaml"))
    }

    @Test func missingColumnsAndBrokenQuotesAreLocated() throws {
        let folder = TestSupport.temporaryFolder("import")
        try "term,definition_en\nx,y\n".write(toFile: folder + "/a.csv", atomically: true, encoding: .utf8)
        #expect(throws: Diagnostics.self) { try GlossaryImport.run(path: folder + "/a.csv", glossaryFolder: TestSupport.root + "/Glossary", overlay: folder + "/o") }
        try (csv + "\"never closed,x\n").write(toFile: folder + "/b.csv", atomically: true, encoding: .utf8)
        do {
            _ = try GlossaryImport.run(path: folder + "/b.csv", glossaryFolder: TestSupport.root + "/Glossary", overlay: folder + "/o")
            Issue.record("expected an error")
        } catch {
            #expect(error.items.map(\.description) == ["\(folder)/b.csv:3:1: error: a quoted field is never closed"])
        }
    }

    @Test func tbxFromOurExportImportsBack() throws {
        let folder = TestSupport.temporaryFolder("import")
        let small = Glossary(entries: [
            GlossaryEntry(
                term: "night court", aliases: ["night courts"], category: "local", related: [], definition: "A court that hears cases in the evening.", example: "",
                spanish: .init(term: "corte nocturna", aliases: [], definition: "Una corte que atiende casos de noche.", example: ""), source: "test")
        ], categories: [])
        try small.tbx().write(toFile: folder + "/terms.tbx", atomically: true, encoding: .utf8)
        let (_, count) = try GlossaryImport.run(path: folder + "/terms.tbx", glossaryFolder: TestSupport.root + "/Glossary", overlay: folder + "/overlay")
        #expect(count == 1)
        let (glossary, _) = GlossaryLoader.load(folder: TestSupport.root + "/Glossary", overlay: folder + "/overlay")
        #expect(glossary.entry(named: "night courts")?.spanish.term == "corte nocturna")
    }
}
