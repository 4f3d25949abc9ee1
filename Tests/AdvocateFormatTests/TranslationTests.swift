@testable import AdvocateCore
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
            #expect(Set(translation.reminders.keys) == Set(definition.reminders.values.map(\.text)), "\(definition.id)")
            #expect(Set(translation.referrals.keys) == Set(definition.referralNames), "\(definition.id)")
            for field in definition.fields {
                if !field.help.isEmpty { #expect(translation.fieldHelp[field.name] != nil, "help of \(definition.id) \(field.name)") }
                if case .enumeration(let values) = field.type {
                    #expect(Set(translation.choices[field.name]?.keys ?? [:].keys) == Set(values), "choices of \(definition.id) \(field.name)")
                }
            }
        }
    }

    @Test("reminders, follow-ups and choices read in the translation's words; their stored values stay English")
    func remindersFollowUpsAndChoices() throws {
        let workspace = TestSupport.workspace
        let definition = try #require(workspace.workflow("services")?.definition)
        let spanish = workspace.words(for: definition, language: "es")
        let english = workspace.words(for: definition, language: "en")
        let reminder = try #require(definition.reminders.values.first { $0.who == "client" })
        let item = AgendaItem(key: "reminder:\(reminder.id)", kind: .reminder, title: reminder.text, who: "client", due: nil)
        #expect(spanish.title(of: item) == workspace.translations["services"]?["es"]?.reminders[reminder.text])
        #expect(english.title(of: item) == reminder.text)
        let followUp = AgendaItem(key: "follow-up:shelter#1", kind: .followUp, title: FollowUp.title(to: "Emergency shelter"), who: "advocate", due: nil)
        #expect(spanish.title(of: followUp) == "Hacer seguimiento: todavía no responde Refugio de emergencia")
        #expect(english.title(of: followUp) == "Follow up: no answer yet from Emergency shelter")
        let kinds = try #require(definition.fields.first { if case .enumeration = $0.type { true } else { false } })
        guard case .enumeration(let values) = kinds.type else { return }
        let choices = try #require(workspace.translations["services"]?["es"]?.choices[kinds.name])
        for value in values { #expect(spanish.label(ofChoice: value, field: kinds.name) == choices[value]) }
        #expect(values.contains { spanish.label(ofChoice: $0, field: kinds.name) != $0 })
        #expect(english.label(ofChoice: values[0], field: kinds.name) == values[0])
    }

    @Test("a choice, reminder or program the workflow does not have is an error at its line")
    func unknownChoicesAndReminders() throws {
        let definition = try #require(TestSupport.workspace.workflow("services")?.definition)
        let folder = TestSupport.temporaryFolder() + "/translations"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/services.es.yaml"
        try """
            workflow: services
            language: es
            fields:
              counseling.kind:
                label: Tipo
                choices:
                  invented kind: inventado
            reminders:
              "Your first counselling visit is tomorrow.": Mañana.
            referrals:
              Emergency shelters: Refugio
            follow_up: Seguimiento
            checklist:
              "Is it safe to go home today?": ¿Es seguro?
            """.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try TranslationLoader.load(path: path, versions: [definition])
            Issue.record("expected errors")
        } catch {
            let errors = error.errors.map(\.description)
            #expect(errors.contains { $0.hasPrefix("\(path):7:7: error: field 'counseling.kind' has no choice 'invented kind'") }, "\(errors)")
            #expect(
                errors.contains(
                    "\(path):9:3: error: the workflow has no reminder 'Your first counselling visit is tomorrow.' (did you mean 'Your first counseling visit is tomorrow.'?)"),
                "\(errors)")
            #expect(errors.contains("\(path):11:3: error: the workflow has no referral 'Emergency shelters' (did you mean 'Emergency shelter'?)"), "\(errors)")
            #expect(
                errors.contains(
                    "\(path):14:3: error: the workflow has no checklist line 'Is it safe to go home today?' (did you mean 'Is it safe to go home tonight?'?)"),
                "\(errors)")
            #expect(errors.contains("\(path):12:12: error: follow_up must say where the program's name goes, with {to}"), "\(errors)")
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
