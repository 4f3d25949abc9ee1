import AdvocateCore
import AdvocateFormat
import Foundation
import TestSupport
import Testing

@Suite("Workflow translations")
struct TranslationTests {
    @Test("every shipped workflow has a complete Spanish translation")
    func shippedTranslationsAreComplete() throws {
        let workspace = TestSupport.workspace
        let problems = workspace.diagnostics.filter { $0.file.contains("/translations/") }
        #expect(problems.isEmpty, "\(problems.map(\.description))")
        for loaded in workspace.latestWorkflows {
            let definition = loaded.definition
            let translation = try #require(workspace.translations[definition.id]?["es"], "no Spanish for \(definition.id)")
            let words = workspace.words(for: definition, language: "es")
            #expect(words.title != definition.title)
            for track in definition.tracks {
                for state in track.states where !state.client.isEmpty {
                    let spanish = words.client(state, in: track)
                    #expect(spanish != state.client, "\(definition.id) \(track.name)/\(state.name)")
                    #expect(!spanish.isEmpty)
                }
            }
            #expect(Set(translation.steps.keys) == Set(definition.steps.keys))
            #expect(Set(translation.events.keys) == Set(definition.events.keys))
            #expect(Set(translation.fields.keys) == Set(definition.fields.map(\.name)))
        }
    }

    @Test("a language without a translation falls back to the workflow's own words")
    func fallsBackToEnglish() throws {
        let workspace = TestSupport.workspace
        let definition = try #require(workspace.workflow("protective-order")?.definition)
        let words = workspace.words(for: definition, language: "fr")
        let track = try #require(definition.tracks.first)
        #expect(words.title == definition.title)
        #expect(words.client(track.states[0], in: track) == track.states[0].client)
    }

    @Test("a name the workflow does not have is an error at its line; a missing text is a warning")
    func checkedAgainstTheWorkflow() throws {
        let workspace = TestSupport.workspace
        let definition = try #require(workspace.workflow("protective-order")?.definition)
        let folder = TestSupport.temporaryFolder() + "/translations"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/protective-order.es.yaml"
        try """
            workflow: protective-order
            language: es
            title: Orden de protección
            tracks:
              court:
                states:
                  intak:
                    client: Hablamos.
            steps:
              nonexistent_step: Algo
            """.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try TranslationLoader.load(path: path, versions: [definition])
            Issue.record("expected errors")
        } catch {
            let errors = error.errors.map(\.description)
            #expect(errors.contains("\(path):7:7: error: track 'court' has no state 'intak' (did you mean 'intake'?)"), "\(errors)")
            #expect(errors.contains("\(path):10:3: error: the workflow has no step 'nonexistent_step'"), "\(errors)")
            #expect(error.items.contains { $0.severity == .warning && $0.message.contains("no translated summary") })
        }
    }

    @Test("the file name says which workflow and language it translates")
    func fileNameMustMatch() throws {
        let workspace = TestSupport.workspace
        let definition = try #require(workspace.workflow("services")?.definition)
        let path = TestSupport.temporaryFolder() + "/services.es.yaml"
        try "workflow: services\nlanguage: fr\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: Diagnostics.self) { try TranslationLoader.load(path: path, versions: [definition]) }
        do {
            _ = try TranslationLoader.load(path: path, versions: [definition])
        } catch {
            #expect(error.errors.map(\.description) == ["\(path):2:11: error: the language 'fr' must match the file name 'es'"])
        }
    }
}
