import Foundation
import Testing
@testable import AdvocateCore

/// Case data and track states keep a workflow's names by position; none of it may show.
@Suite struct CaseDataTests {
    /// `children.names` and `now` are declared and never set: reads fall through them to the
    /// `children` record and to the clock, as reads by name do.
    static let layout = FieldLayout(["hearing.date", "client.name", "children", "order.type", "children.names", "now"])
    static let now = LocalDateTime(iso: "2026-11-19T09:00")!

    static let values: [String: Value] = [
        "hearing.date": .date(CivilDate(iso: "2026-12-03")!),
        "client.name": .string("Rowan Example"),
        "children": .record(["count": .number(2), "names": .list([.string("Ari"), .string("Bo")])]),
        "old.field": .string("from another version"),
    ]

    static func laid(_ values: [String: Value]) -> CaseData {
        var data = CaseData(values)
        data.lay(on: layout)
        return data
    }

    @Test func laidOutDataReadsWritesAndComparesAsByName() throws {
        var byName = CaseData(Self.values)
        var laid = Self.laid(Self.values)
        #expect(laid == byName)
        #expect(laid.dictionary == Self.values)
        #expect(laid.count == 4)
        #expect(laid["client.name"] == .string("Rowan Example"))
        #expect(laid["old.field"] == .string("from another version"))
        #expect(laid["order.type"] == nil)
        #expect(Dictionary(uniqueKeysWithValues: laid.map { ($0.key, $0.value) }) == Self.values)
        laid["order.type"] = .string("full")
        #expect(laid != byName)
        byName["order.type"] = .string("full")
        #expect(laid == byName)
        laid["client.name"] = nil
        #expect(laid["client.name"] == nil)
        #expect(laid.count == 4)
        #expect(!laid.keys.contains("client.name"))
    }

    @Test func laidOutDataEncodesAsTheSameObject() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let laid = try encoder.encode(Self.laid(Self.values))
        #expect(laid == (try encoder.encode(Self.values)))
        let decoded = try JSONDecoder().decode(CaseData.self, from: laid)
        #expect(decoded == Self.laid(Self.values))
    }

    @Test func trackStatesReadWriteAndCompareAsByName() throws {
        let layout = TrackLayout([(name: "court", states: ["intake", "served"]), (name: "safety", states: ["plan"])])
        var laid = TrackStates(["court": "intake", "retired": "done"])
        laid.lay(on: layout)
        #expect(laid == TrackStates(["court": "intake", "retired": "done"]))
        #expect(laid.statePosition(track: 0) == 0)
        #expect(laid.statePosition(track: 1) == nil)
        laid.set(track: 0, state: "served", at: 1)
        laid["safety"] = "plan"
        #expect(laid.dictionary == ["court": "served", "safety": "plan", "retired": "done"])
        #expect(laid.statePosition(track: 1) == 0)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        #expect(try encoder.encode(laid) == (try encoder.encode(laid.dictionary)))
    }

    /// An expression bound to a layout gives what the same expression gives by name, on data laid
    /// out on it or not, with fields set or unset, and with values kept by name beside them.
    @Test(arguments: [
        "hearing.date - 3 court days", "client.name | upper", "children.count + 1", "children.names.length", "order.type == null",
        "today", "now", "old.field", "hearing.date > today",
        // A date plus or minus a period has its own node once bound; what it gives, the reasons
        // it keeps and the error it raises on a value that is not a date must not change.
        "hearing.date + 72 hours", "hearing.date - 1 day", "today + 2 weeks", "now - 3 hours", "client.name + 3 days", "children.count - 1 day",
    ])
    func aBoundExpressionReadsWhatTheExpressionReads(source: String) throws {
        let expression = try Expression(source)
        let bound = expression.bound(to: Self.layout, filters: .standard)
        var inLayout = Self.values
        inLayout["old.field"] = nil
        for values in [Self.values, inLayout, [:]] {
            for data in [CaseData(values), Self.laid(values)] {
                var byName = Environment(data: values, calendar: .usFederal, now: Self.now)
                var byPosition = Environment(data: data, calendar: .usFederal, now: Self.now)
                let boundResult = Result { () throws(EvaluationError) in try bound.evaluate(in: &byPosition) }
                let result = Result { () throws(EvaluationError) in try expression.evaluate(in: &byName) }
                #expect(boundResult == result, "\(source) on \(values.keys.sorted())")
                #expect(byPosition.reasons == byName.reasons)
            }
        }
    }

    /// A transition tests guards made of plain field tests without evaluating them; the answer
    /// must be what evaluating the guard and asking whether it is truthy gives, on every kind of value.
    @Test(arguments: [
        "order.type", "not order.type", "order.type == null", "order.type != null", "order.type == \"full\"", "\"full\" != order.type",
        "order.type == 0", "order.type != true", "order.type == 12.5", "hearing.date != null and order.type", "order.type and client.name == \"Rowan Example\"",
    ])
    func fieldTestsAgreeWithEvaluation(source: String) throws {
        let bound = try Expression(source).bound(to: Self.layout, filters: .standard)
        let test = try #require(bound.fieldTest, "\(source) is made of field tests")
        let kinds: [Value?] = [
            nil, .null, .bool(true), .bool(false), .string(""), .string("full"), .string("Rowan Example"), .number(0), .number(12.5),
            .money(1250), .money(0), .date(CivilDate(iso: "2026-12-03")!), .list([]), .list([.string("a")]), .record([:]),
        ]
        for kind in kinds {
            var values = Self.values
            values["old.field"] = nil
            values["order.type"] = kind
            let data = Self.laid(values)
            var env = Environment(data: data, calendar: .usFederal, now: Self.now)
            let evaluated = try bound.evaluate(in: &env).isTruthy
            #expect(test.holds(in: data) == evaluated, "\(source) with order.type = \(String(describing: kind))")
        }
    }

    /// Guards of other shapes, or reading fields that may fall through to a record or the clock, are left to evaluation.
    @Test(arguments: ["order.type or client.name", "children.names", "now", "(client.name | upper) == \"A\"", "order.type == client.name", "hearing.date > today"])
    func otherGuardsAreEvaluated(source: String) throws {
        #expect(try Expression(source).bound(to: Self.layout, filters: .standard).fieldTest == nil)
    }

    @Test func namesAreFoundAsStringEqualityFindsThem() {
        let index = NameIndex(["client.name", "niño.edad", "hearing.date", "client.name"] + (0..<40).map { "field\($0).value" })
        #expect(index.position("client.name") == 0)
        #expect(index.position("hearing.date") == 2)
        #expect(index.position("field39.value") == 43)
        #expect(index.position("hearing.dat") == nil)
        #expect(index.position("") == nil)
        // The same name with its accent decomposed: other bytes, the same Swift string.
        #expect(index.position("nin\u{0303}o.edad") == 1)
    }

    /// A filter given only literals keeps their values from binding on; bound or not, it gives the same.
    @Test(arguments: ["client.name | default(\"none\")", "order.type | default(\"ex parte\")", "client.name | upper", "[\"a\", client.name] | join(\" and \")", "order.type | default(client.name)"])
    func filtersGivenLiteralsAgreeWithEvaluation(source: String) throws {
        let expression = try Expression(source)
        let bound = expression.bound(to: Self.layout, filters: .standard)
        if case .boundFilter(_, _, let arguments, let constants) = bound.runnable.kind {
            let allLiterals = arguments.allSatisfy { if case .literal = $0.kind { true } else { false } }
            #expect((constants != nil) == allLiterals, "\(source)")
        } else {
            Issue.record("\(source) is not bound to its filter")
        }
        for values in [Self.values, ["order.type": Value.string("full")], [:]] {
            var byName = Environment(data: values, calendar: .usFederal, now: Self.now)
            var laid = Environment(data: Self.laid(values), calendar: .usFederal, now: Self.now)
            #expect(try bound.evaluate(in: &laid) == expression.evaluate(in: &byName), "\(source)")
        }
    }

    /// Names are hashed and compared a word of eight bytes at a time, the last word ending at the
    /// last byte: every length up to three words, and a change in any byte, are told apart.
    @Test func namesOfEveryLengthAreFoundAndOneByteOffIsNot() {
        let names = (0...24).map { String("abcdefghijklmnopqrstuvwxyz".prefix($0)) }
        // Each name with one byte changed: as long as the name, so compared word by word, not told apart by length.
        let variants = names.flatMap { name in
            (0..<name.utf8.count).map { offset in
                var bytes = Array(name.utf8)
                bytes[offset] = UInt8(ascii: "Z")
                return String(decoding: bytes, as: UTF8.self)
            }
        }
        let index = NameIndex(names)
        let both = NameIndex(names + variants)
        for (position, name) in names.enumerated() {
            #expect(index.position(name) == position)
            #expect(both.position(name) == position)
        }
        for (offset, variant) in variants.enumerated() {
            #expect(index.position(variant) == nil, "\(variant)")
            #expect(both.position(variant) == names.count + offset, "\(variant)")
        }
    }

    /// Two spellings of one name (the Kelvin sign is a K to Swift): each is found, at the first.
    @Test func equalNamesWithOtherBytesFindTheFirst() {
        let index = NameIndex(["\u{212A}az", "Kaz", "other"])
        #expect(index.position("Kaz") == 0)
        #expect(index.position("\u{212A}az") == 0)
        #expect(index.position("other") == 2)
    }

    /// Text starting with a visible ASCII character is answered from its first byte; the rest as before.
    @Test(arguments: [("", true), (" ", true), ("\t\n ", true), ("\u{00A0}\u{2003}", true), ("Avery", false), (" Avery", false), ("~", false), ("é", false), ("\u{7F}", false)])
    func blankText(text: String, blank: Bool) {
        #expect(Value.string(text).isBlank == blank)
        #expect(Value.string(text).isBlank == text.allSatisfy(\.isWhitespace))
    }
}
