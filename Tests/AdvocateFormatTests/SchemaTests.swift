import Foundation
import Testing
import TestSupport
@testable import AdvocateFormat
import AdvocateCore

/// `Workflows/schema.json` is what editors validate against: it must accept exactly the keys the loader accepts.
@Suite("The published JSON Schema")
struct SchemaTests {
    let definitions: [String: Any]
    let root: [String: Any]

    init() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: TestSupport.root + "/Workflows/schema.json"))
        root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        definitions = try #require(root["$defs"] as? [String: Any])
    }

    func keys(_ object: Any?) -> Set<String> {
        guard let object = object as? [String: Any] else { return [] }
        if let properties = object["properties"] as? [String: Any] { return Set(properties.keys) }
        for alternative in object["oneOf"] as? [Any] ?? [] where !keys(alternative).isEmpty { return keys(alternative) }
        return []
    }

    @Test func keysMatchTheLoader() {
        #expect(keys(root) == Set(WorkflowLoader.topKeys))
        #expect(keys(definitions["field"]) == Set(WorkflowLoader.fieldKeys))
        #expect(keys(definitions["event"]) == Set(WorkflowLoader.eventKeys))
        #expect(keys(definitions["track"]) == Set(WorkflowLoader.trackKeys))
        #expect(keys(definitions["state"]) == Set(WorkflowLoader.stateKeys))
        #expect(keys(definitions["transition"]) == Set(WorkflowLoader.transitionKeys))
        #expect(keys(definitions["timer"]) == Set(WorkflowLoader.timerKeys))
        #expect(keys(definitions["step"]) == Set(WorkflowLoader.stepKeys))
        #expect(keys(definitions["reminder"]) == Set(WorkflowLoader.reminderKeys))
        #expect(keys(definitions["effect"]) == Set(WorkflowLoader.effectKinds))
    }

    @Test func fieldTypesMatchTheLoader() throws {
        let fieldType = try #require(definitions["fieldType"] as? [String: Any])
        let values = Set((fieldType["enum"] as? [String]) ?? [])
        #expect(values == Set(FieldDefinition.Kind.allCases.map(\.rawValue)))
    }
}
