import Testing
@testable import AdvocateCore

@Suite("Sets of fields, for what an input changed and what a date reads")
struct FieldSetTests {
    private func set(_ positions: [Int?]) -> FieldSet {
        var result = FieldSet()
        for position in positions { result.insert(position) }
        return result
    }

    @Test("Sets meet when they share a field, in any of the words", arguments: [
        ([0], [0], true), ([0], [1], false), ([63], [63, 64], true), ([64], [63], false),
        ([130, 5], [200, 130], true), ([255], [255], true), ([], [3], false), ([], [], false),
    ] as [([Int], [Int], Bool)])
    func meeting(a: [Int], b: [Int], expected: Bool) {
        #expect(set(a).meets(set(b)) == expected)
        #expect(set(b).meets(set(a)) == expected)
    }

    @Test("A field past the words, or not declared at all, meets every set that is not empty")
    func overflowMeetsEverything() {
        for unknown in [256, 1_000, nil] as [Int?] {
            let wide = set([unknown])
            #expect(!wide.isEmpty)
            #expect(wide.meets(set([7])))
            #expect(!wide.meets(FieldSet()))
        }
        #expect(FieldSet.all.meets(set([200])))
    }

    @Test("What an expression reads, by the definition's fields: records count with their members, and the clock with everything")
    func fieldsRead() throws {
        let definition = WorkflowDefinition(
            id: "t", version: 1, title: "T", summary: "", calendar: nil,
            fields: [
                FieldDefinition(name: "hearing.date", kind: .date, type: .date, label: "Hearing"),
                FieldDefinition(name: "order.issued", kind: .date, type: .date, label: "Issued"),
                FieldDefinition(name: "losses", kind: .list, type: .list(.record(["amount": .money])), label: "Losses"),
            ],
            events: [:], tracks: [], steps: [:], reminders: [:], contentHash: "")
        let hearing = definition.fieldsRead(by: try Expression("hearing.date - 3 court days"))
        #expect(hearing.meets(set([0])) && !hearing.meets(set([1, 2])))
        #expect(definition.fieldsRead(by: try Expression("len(losses) > 0")).meets(set([2])))
        #expect(definition.fieldsRead(by: try Expression("today + 7 days")).meets(set([1])))
        #expect(definition.fieldsRead(by: nil).isEmpty)
    }
}
