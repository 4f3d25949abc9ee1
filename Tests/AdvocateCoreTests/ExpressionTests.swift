import Testing
@testable import AdvocateCore

private func evaluate(_ source: String, _ data: [String: Value] = [:], now: String = "2026-11-19T09:00") throws -> Value {
    var env = Environment(data: data, calendar: .usFederal, now: LocalDateTime(iso: now)!)
    return try Expression(source).evaluate(in: &env)
}

private let fields: [String: ValueType] = [
    "hearing.date": .date, "client.has_children": .bool, "order.type": .enumeration(["ex parte", "full"]), "reported": .dateTime,
    "losses": .list(.record(["item": .string, "amount": .money])), "client.name": .string, "award": .money,
]

private func typeErrorsOf(_ source: String) throws -> [String] {
    try Expression(source).check(in: TypeScope(fields: fields)).errors.map(\.message)
}

@Suite("The expression language")
struct ExpressionTests {
    @Test("Guards", arguments: [
        ("client.has_children and order.type == \"ex parte\"", true),
        ("client.has_children and not (order.type == \"full\")", true),
        ("order.type in [\"full\", \"ex parte\"]", true),
        ("order.type not in [\"full\"]", true),
        ("order.type in [\"full\", client.name]", false),
        ("[order.type, \"full\"] == [\"ex parte\", \"full\"]", true),
        ("[[\"ex parte\"], [1, 2]] == [[order.type], [1, 2]]", true),
        ("hearing.date > date(\"2026-12-01\")", true),
        ("unset.field == null", true),
        ("1 + 2 * 3 == 7", true),
        ("len(losses) >= 2 or false", false),
    ])
    func guards(source: String, expected: Bool) throws {
        let data: [String: Value] = ["client.has_children": .bool(true), "order.type": .string("ex parte"), "hearing.date": .date(CivilDate(iso: "2026-12-04")!), "losses": .list([])]
        #expect(try evaluate(source, data).isTruthy == expected)
    }

    @Test("Date arithmetic counts with the court calendar", arguments: [
        ("hearing.date - 3 court days", "2026-11-30"),
        ("date(\"2026-11-19\") + 7 days", "2026-11-27"),
        ("date(\"2026-11-19\") + 2 weeks", "2026-12-03"),
        ("date(\"2026-11-19\") + 1 year", "2027-11-19"),
        ("reported + 72 hours", "2026-11-19T09:00"),
        ("today + 1 day", "2026-11-20"),
    ])
    func dates(source: String, expected: String) throws {
        let data: [String: Value] = ["hearing.date": .date(CivilDate(iso: "2026-12-03")!), "reported": .dateTime(LocalDateTime(iso: "2026-11-16T09:00")!)]
        let value = try evaluate(source, data)
        #expect(value.text == expected)
    }

    @Test func unsetDatesGiveNoDeadline() throws {
        #expect(try evaluate("hearing.date - 3 court days").isNull)
    }

    @Test func deadlineReasonsAreCollected() throws {
        var env = Environment(data: ["hearing.date": .date(CivilDate(iso: "2026-11-29")!)], calendar: .usFederal, now: LocalDateTime(iso: "2026-11-19T09:00")!)
        let value = try Expression("hearing.date - 3 days").evaluate(in: &env)
        #expect(value == .date(CivilDate(iso: "2026-11-25")!))
        #expect(env.reasons == ["3 days before 2026-11-29", "Thursday 2026-11-26 is a legal holiday (Thanksgiving Day); moved back to Wednesday 2026-11-25"])
    }

    @Test func moneyIsExact() throws {
        let data: [String: Value] = ["a": .money(10), "b": .money(20)]
        #expect(try evaluate("a + b", data) == .money(30))
        #expect(try evaluate("a * 3", data) == .money(30))
        #expect(Value.money(123456).text == "1234.56")
        #expect(Value.parseMoney("$1,250.5") == 125050)
        #expect(Value.parseMoney("12.345") == nil)
    }

    @Test("Syntax errors say where", arguments: [
        ("a ==", "expected a value, found the end of the expression", 4),
        ("a = b", "use '==' to compare; a single '=' is not an operator", 2),
        ("\"open", "this string has no closing double quote", 0),
        ("(a and b", "expected ')' to close '(', found the end of the expression", 8),
        ("a b", "unexpected 'b' after a complete expression", 2),
        ("x | ", "expected a filter name after '|', found the end of the expression", 4),
    ])
    func syntaxErrors(source: String, message: String, offset: Int) {
        #expect(throws: ExpressionError.self) { try Expression(source) }
        do {
            _ = try Expression(source)
        } catch {
            #expect(error.message == message)
            #expect(error.range.lowerBound == offset)
        }
    }

    @Test("Type errors", arguments: [
        ("hearing.date + 3", "cannot use '+' on a date and a number"),
        ("order.type == \"exparte\"", "\"exparte\" is not one of the values \"ex parte\", \"full\""),
        ("hearing.date > 5", "cannot order a date and a number with '>'"),
        ("client.nmae == \"x\"", "unknown field 'client.nmae' (did you mean 'client.name'?)"),
        ("client.name | shout", "unknown filter 'shout'"),
        ("3 days - hearing.date", "a period goes after the date: write 'date - period'"),
        ("losses.item", "'losses.item': a list of record has no field 'item'"),
    ])
    func typeErrors(source: String, message: String) throws {
        #expect(try typeErrorsOf(source) == [message])
    }

    @Test func wellTypedExpressions() throws {
        for source in ["hearing.date - 3 court days", "reported + 72 hours", "client.has_children and order.type == \"full\"", "client.name | upper", "award + award", "len(losses) > 0"] {
            #expect(try typeErrorsOf(source) == [], "\(source)")
        }
        #expect(try Expression("reported + 72 hours").check(in: TypeScope(fields: fields)).type == .dateTime)
        #expect(try Expression("hearing.date - 3 court days").check(in: TypeScope(fields: fields)).type == .date)
    }

    @Test func filters() throws {
        #expect(try evaluate("name | upper", ["name": .string("Dana")]) == .string("DANA"))
        #expect(try evaluate("missing | default(\"none\")") == .string("none"))
        #expect(try evaluate("[\"a\", \"b\"] | join(\" and \")") == .string("a and b"))
        #expect(try evaluate("\"the court\" | title") == .string("The Court"))
    }
}
