import Foundation
import Testing
import TestSupport
@testable import AdvocateFormat
import AdvocateCore

/// A small valid workflow; tests break one line of it at a time.
let minimal = """
    id: tiny
    version: 1
    title: Tiny
    summary: A small workflow for tests.
    fields:
      client.name: {type: string, required: true, personal: true}
      hearing.date: {type: date, court_date: true}
      order.type: {type: enum, values: [ex parte, full]}
    events:
      hearing_set:
        payload: {hearing.date: required}
      closed:
        title: Closed
    tracks:
      court:
        start: waiting
        states:
          waiting:
            steps:
              - {id: prepare, title: Prepare, due: hearing.date - 3 court days}
            on:
              hearing_set: scheduled
          scheduled:
            on:
              closed: done
          done:
            terminal: true

    """

private func diagnostics(_ text: String, references: References = References()) -> [String] {
    do {
        _ = try WorkflowLoader.load(text: text, path: "w.yaml", references: references)
        return []
    } catch {
        return error.items.map(\.description)
    }
}

@Suite("Loading and checking workflow files")
struct WorkflowLoaderTests {
    @Test func minimalWorkflowLoads() throws {
        let (definition, warnings) = try WorkflowLoader.load(text: minimal, path: "w.yaml")
        #expect(warnings.isEmpty)
        #expect(definition.id == "tiny")
        #expect(definition.tracks.first?.states.map(\.name) == ["waiting", "scheduled", "done"])
        #expect(definition.steps["prepare"]?.due?.source == "hearing.date - 3 court days")
        #expect(definition.contentHash.count == 64)
    }

    @Test("Every problem is reported at its line and column", arguments: [
        ("title: Tiny\n", "tittle: Tiny\n", "w.yaml:3:1: error: unknown key 'tittle' in the workflow (did you mean 'title'?)"),
        ("hearing_set: scheduled", "hearing_set: scheduld", "w.yaml:22:24: error: unknown state 'scheduld' in track 'court' (did you mean 'scheduled'?)"),
        ("hearing_set: scheduled", "hearing_sett: scheduled", "w.yaml:22:11: error: unknown event 'hearing_sett' (did you mean 'hearing_set'?)"),
        ("due: hearing.date - 3 court days", "due: hearing.date + 3", "w.yaml:20:48: error: due date of step 'prepare': cannot use '+' on a date and a number"),
        ("due: hearing.date - 3 court days", "due: hearing.dat - 3 court days", "w.yaml:20:48: error: due date of step 'prepare': unknown field 'hearing.dat' (did you mean 'hearing.date'?)"),
        ("payload: {hearing.date: required}", "payload: {hearing.time: required}", "w.yaml:11:15: error: unknown field 'hearing.time' (did you mean 'hearing.date'?)"),
        ("{type: date, court_date: true}", "{type: dates, court_date: true}", "w.yaml:7:24: error: unknown field type 'dates' (did you mean 'date'?)"),
    ])
    func located(original: String, replacement: String, expected: String) {
        let broken = minimal.replacingOccurrences(of: original, with: replacement)
        #expect(broken != minimal)
        #expect(diagnostics(broken).contains(expected), "\(diagnostics(broken))")
    }

    @Test func yamlSyntaxErrorsHaveTheirPosition() {
        let found = diagnostics(minimal.replacingOccurrences(of: "title: Tiny", with: "title: [Tiny"))
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("w.yaml:4:") == true)
        #expect(found.first?.contains("error: YAML syntax") == true)
    }

    @Test func guardsMustBeTrueOrFalse() {
        let text = minimal.replacingOccurrences(of: "hearing_set: scheduled", with: "hearing_set: {to: scheduled, when: hearing.date}")
        #expect(diagnostics(text) == ["w.yaml:22:46: error: condition: a condition must be true or false, but this is a date"])
        let enumText = minimal.replacingOccurrences(of: "hearing_set: scheduled", with: "hearing_set: {to: scheduled, when: order.type == \"exparte\"}")
        #expect(diagnostics(enumText) == [#"w.yaml:22:60: error: condition: "exparte" is not one of the values "ex parte", "full""#])
    }

    @Test func unreachableAndDeadEndStates() {
        let text = minimal.replacingOccurrences(of: "      done:\n        terminal: true\n", with: "      done:\n        terminal: true\n      orphan:\n        title: Orphan\n")
        let found = diagnostics(text)
        #expect(found.contains("w.yaml:28:7: error: state 'orphan' is not terminal and has no way out: add transitions under 'on', a timer, or 'terminal: true'"))
        #expect(found.contains("w.yaml:28:7: error: state 'orphan' cannot be reached from 'waiting'"))
    }

    @Test func missingFormsAndGlossaryTerms() {
        let text = minimal.replacingOccurrences(of: "{id: prepare, title: Prepare,", with: "{id: prepare, title: Prepare, form: petiton, explain: [arraingment],")
        let found = diagnostics(text, references: References(forms: ["petition"], glossaryTerms: ["arraignment"]))
        #expect(found.contains("w.yaml:20:49: error: no form 'petiton' in Forms/ (did you mean 'petition'?)"))
        #expect(found.contains("w.yaml:20:68: error: no glossary term 'arraingment' in Glossary/"))
    }

    /// The minimal workflow with a reminder declared once under `reminders:`.
    private static let withNamedReminder = minimal
        .replacingOccurrences(of: "events:\n", with: "reminders:\n  hearing_soon: {who: client, at: hearing.date - 1 day, text: Your hearing is tomorrow.}\nevents:\n")
        .replacingOccurrences(of: "hearing_set: scheduled", with: "hearing_set: {to: scheduled, effects: [remind: hearing_soon]}")

    @Test func aReminderDeclaredOnceIsNamedByItsEffects() throws {
        let (definition, warnings) = try WorkflowLoader.load(text: Self.withNamedReminder, path: "w.yaml")
        #expect(warnings.isEmpty)
        #expect(definition.reminders["hearing_soon"]?.text == "Your hearing is tomorrow.")
        #expect(definition.reminders["hearing_soon"]?.who == "client")
    }

    @Test("A named reminder is checked where it is declared and where it is used", arguments: [
        ("remind: hearing_soon", "remind: hearing_son", "w.yaml:24:58: error: unknown reminder 'hearing_son' (did you mean 'hearing_soon'?)"),
        ("at: hearing.date - 1 day", "at: hearing.date - 1", "w.yaml:10:35: error: remind time: cannot use '-' on a date and a number"),
        ("  hearing_soon: {", "  Hearing-Soon: {", "w.yaml:10:3: error: reminder names are lowercase words joined by '_' (like order_ends_soon)"),
        ("text: Your hearing is tomorrow.", "txt: Your hearing is tomorrow.", "w.yaml:10:57: error: unknown key 'txt' in reminder 'hearing_soon' (did you mean 'text'?)"),
    ])
    func namedReminderErrors(original: String, replacement: String, expected: String) {
        let broken = Self.withNamedReminder.replacingOccurrences(of: original, with: replacement)
        #expect(broken != Self.withNamedReminder)
        #expect(diagnostics(broken).contains(expected), "\(diagnostics(broken))")
    }

    @Test func aNamedReminderNoEffectUsesIsAWarning() throws {
        let unused = Self.withNamedReminder.replacingOccurrences(of: "hearing_set: {to: scheduled, effects: [remind: hearing_soon]}", with: "hearing_set: scheduled")
        let (_, warnings) = try WorkflowLoader.load(text: unused, path: "w.yaml")
        #expect(warnings.map(\.description) == ["w.yaml:10:3: warning: reminder 'hearing_soon' is never used by a 'remind' effect"])
    }

    @Test(arguments: [("true", KeepOpen.untilDone), ("false", .never), ("[scheduled]", .into(["scheduled"]))])
    func keepOpenIsTrueFalseOrAListOfStates(text: String, expected: KeepOpen) throws {
        let kept = minimal.replacingOccurrences(of: "{id: prepare, title: Prepare,", with: "{id: prepare, title: Prepare, keep_open: \(text),")
        #expect(try WorkflowLoader.load(text: kept, path: "w.yaml").0.steps["prepare"]?.keepOpen == expected)
    }

    @Test func keepOpenNamesStatesThatExist() throws {
        #expect(try WorkflowLoader.load(text: minimal, path: "w.yaml").0.steps["prepare"]?.keepOpen == .never)
        let notABool = minimal.replacingOccurrences(of: "{id: prepare, title: Prepare,", with: "{id: prepare, title: Prepare, keep_open: later,")
        #expect(diagnostics(notABool) == ["w.yaml:20:54: error: keep_open must be true or false"])
        let unknown = minimal.replacingOccurrences(of: "{id: prepare, title: Prepare,", with: "{id: prepare, title: Prepare, keep_open: [scheduld],")
        #expect(diagnostics(unknown) == ["w.yaml:20:55: error: keep_open: unknown state 'scheduld' (did you mean 'scheduled'?)"])
    }

    @Test func aliasesAreRefused() {
        let text = minimal.replacingOccurrences(of: "summary: A small workflow for tests.", with: "summary: &s A small workflow for tests.\nextra: *s")
        #expect(diagnostics(text) == ["w.yaml:4:10: error: YAML anchors and aliases are not allowed here; write the value out"])
    }

    @Test func renderedDiagnosticsPointAtTheColumn() throws {
        let broken = minimal.replacingOccurrences(of: "hearing_set: scheduled", with: "hearing_set: scheduld")
        do {
            _ = try WorkflowLoader.load(text: broken, path: "w.yaml")
            Issue.record("expected an error")
        } catch {
            #expect(error.items.first?.rendered == """
                w.yaml:22:24: error: unknown state 'scheduld' in track 'court' (did you mean 'scheduled'?)
                          hearing_set: scheduld
                                       ^
                """)
        }
    }

    @Test func shippedWorkspaceLoadsWithoutErrors() {
        let workspace = TestSupport.workspace
        let errors = workspace.diagnostics.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description))")
        #expect(Set(workspace.latestWorkflows.map(\.definition.id)).isSuperset(of: ["protective-order"]))
        #expect(workspace.calendars["example-state"] != nil)
        #expect((workspace.references.glossaryTerms?.count ?? 0) > 300)
    }
}
