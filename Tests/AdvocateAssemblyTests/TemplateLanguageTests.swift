import AdvocateAssembly
import AdvocateCore
import Testing

/// The template language over text: tags, blocks, loops, escaping, whitespace control and errors.
struct TemplateLanguageTests {
    static let now = LocalDateTime(iso: "2026-11-22T09:00")!

    static func fill(_ source: String, _ data: [String: Value], allowMissing: Bool = false) throws -> String {
        let (template, problems) = TextTemplate.compile(source, escaping: .html)
        #expect(problems.isEmpty, "\(problems)")
        let environment = Environment(data: data, calendar: .usFederal, now: now, filters: .assembly(define: { term, language in
            term == "continuance" ? (language == "es" ? "Aplazar la audiencia." : "Moving the hearing to a later day.") : nil
        }))
        return try template.fill(environment, options: FillOptions(allowMissing: allowMissing))
    }

    @Test func valuesAreEscapedAndLineBreaksKept() throws {
        let out = try Self.fill("<p title=\"{{ name }}\">{{ name }}</p><p>{{ note }}</p>", ["name": .string("Rosa & Sons <Tires> \"Main\""), "note": .string("one\ntwo")])
        #expect(out == "<p title=\"Rosa &amp; Sons &lt;Tires&gt; &quot;Main&quot;\">Rosa &amp; Sons &lt;Tires&gt; &quot;Main&quot;</p><p>one<br>\ntwo</p>")
    }

    @Test func conditionalsAndLoops() throws {
        let source = """
            {% if kids == 0 %}none{% elif kids == 1 %}one{% else %}many{% endif %}|\
            {% for w in witnesses %}{{ loop.index }}.{{ w.name }}{% if loop.first %}(first){% endif %}{% if not loop.last %}, {% endif %}{% endfor %}
            """
        let witnesses: Value = .list([.record(["name": .string("José Peña")]), .record(["name": .string("Lena O'Brien")]), .record(["name": .string("Ana")])])
        #expect(try Self.fill(source, ["kids": .number(2), "witnesses": witnesses]) == "many|1.José Peña(first), 2.Lena O&#39;Brien, 3.Ana")
        #expect(try Self.fill(source, ["kids": .number(0), "witnesses": .list([])]) == "none|")
    }

    @Test func whitespaceControlAndComments() throws {
        #expect(try Self.fill("a   {%- if x -%}   b   {%- endif %} c{# note #}", ["x": .bool(true)]) == "ab c")
    }

    @Test func everyMissingValueIsListed() throws {
        let (template, _) = TextTemplate.compile("{{ client.name }} {{ hearing.date | date }} {{ client.name }} {{ x | default(\"none\") }}", escaping: .html)
        let environment = Environment(data: [:], calendar: .usFederal, now: Self.now, filters: .assembly())
        #expect(throws: FillError.self) { try template.fill(environment) }
        do {
            _ = try template.fill(environment)
        } catch {
            #expect(error.missing == ["client.name", "hearing.date"])
            #expect(error.description.contains("--allow-missing"))
        }
        let marked = try template.fill(environment, options: FillOptions(allowMissing: true))
        #expect(marked == "[missing: client.name] [missing: hearing.date] [missing: client.name] none")
    }

    @Test(arguments: [
        ("{{ name ", "line 1", 1, "unclosed tag: {{ needs a closing }}"),
        ("ok\n{% endif %}", "line 2", 1, "'endif' with no open block in this template"),
        ("{% for x in xs %}\n{% endif %}", "line 2", 1, "'endif' where 'endfor' was expected (the 'for' opened at line 1)"),
        ("{% iff x %}", "line 1", 4, "unknown tag 'iff' (did you mean 'if'?)"),
        ("{% if %}", "line 1", 4, "'if' needs a condition"),
        ("{% for x of xs %}", "line 1", 8, "write a loop as 'for item in list'"),
        ("a\n  {{ a == }}", "line 2", 10, "expected a value, found the end of the expression"),
    ])
    func syntaxErrorsAreLocated(source: String, line: String, column: Int, message: String) {
        let (_, problems) = TextTemplate.compile(source, escaping: .html)
        #expect(problems.first?.location.short == line)
        #expect(problems.first?.location.column == column)
        #expect(problems.first?.message == message)
    }

    @Test func checksReportUnknownFieldsAndFilters() {
        let (template, _) = TextTemplate.compile("{{ client.nmae }} {{ hearing.date | dat }} {% for w in witnesses %}{{ w.name }}{{ w.phone }}{% endfor %}", escaping: .html)
        let fields: [String: ValueType] = ["client.name": .string, "hearing.date": .date, "witnesses": .list(.record(["name": .string]))]
        let messages = template.check(fields: fields, filters: .assembly()).map(\.message)
        #expect(messages.contains("unknown field 'client.nmae' (did you mean 'client.name'?)"))
        #expect(messages.contains { $0.hasPrefix("unknown filter 'dat'") })
        #expect(messages.contains { $0.contains("no field 'phone'") })
        #expect(template.variables.map(\.name) == ["client.nmae", "hearing.date", "witnesses"])
    }

    @Test(arguments: [
        ("{{ d | date }}", "November 22, 2026"),
        ("{{ d | date(\"short\") }}", "11/22/2026"),
        ("{{ d | date(\"medium\") }}", "Nov 22, 2026"),
        ("{{ d | date(\"full\") }}", "Sunday, November 22, 2026"),
        ("{{ d | date(\"long\", \"es\") }}", "22 de noviembre de 2026"),
        ("{{ d | date(\"full\", \"es\") }}", "domingo, 22 de noviembre de 2026"),
        ("{{ d | date(\"EEE d MMM yy\") }}", "Sun 22 Nov 26"),
        ("{{ t | date }}", "December 1, 2026 at 1:30 PM"),
        ("{{ t | date(\"long\", \"es\") }}", "1 de diciembre de 2026 a las 13:30"),
        ("{{ t | date(\"time\") }}", "1:30 PM"),
        ("{{ m | money }}", "$1,250.50"),
        ("{{ 1250.5 | money }}", "$1,250.50"),
        ("{{ m | money(0) }}", "$1,251"),
        ("{{ 1234567 | number }}", "1,234,567"),
        ("{{ 3.14159 | number(2) }}", "3.14"),
        ("{{ 1 | ordinal }} {{ 2 | ordinal }} {{ 3 | ordinal }} {{ 11 | ordinal }} {{ 22 | ordinal }} {{ 113 | ordinal }}", "1st 2nd 3rd 11th 22nd 113th"),
        ("{{ 2 | ordinal(\"es\") }}", "2.º"),
        ("{{ 1 | plural(\"child\", \"children\") }}; {{ 3 | plural(\"child\", \"children\") }}; {{ 2 | plural(\"day\") }}", "1 child; 3 children; 2 days"),
        ("{{ names | and_list }}", "Ana, Beto and Isabel"),
        ("{{ names | and_list(\"es\") }}", "Ana, Beto e Isabel"),
        ("{{ [\"Ana\", \"Beto\"] | comma_and_list(\"es\") }}", "Ana y Beto"),
        ("{{ names | join(\" / \") }}", "Ana / Beto / Isabel"),
        ("{{ \"ana maría\" | title }} {{ \"x\" | upper }} {{ \"ana\" | capitalize }}", "Ana María X Ana"),
        ("{{ \"continuance\" | explain }} {{ \"continuance\" | explain(\"es\") }}", "Moving the hearing to a later day. Aplazar la audiencia."),
    ])
    func filters(source: String, expected: String) throws {
        let data: [String: Value] = [
            "d": .date(CivilDate(iso: "2026-11-22")!), "t": .dateTime(LocalDateTime(iso: "2026-12-01T13:30")!), "m": .money(125_050),
            "names": .list([.string("Ana"), .string("Beto"), .string("Isabel")]),
        ]
        #expect(try Self.fill(source, data) == expected)
    }
}

extension TemplateLanguageTests {
    @Test func loopsWithElseAndMissingLists() throws {
        let source = "{% for w in witnesses %}{{ w }}{% else %}no one{% endfor %}"
        #expect(try Self.fill(source, ["witnesses": .list([])]) == "no one")
        #expect(try Self.fill(source, ["witnesses": .list([.string("Ana")])]) == "Ana")
        let (template, _) = TextTemplate.compile(source, escaping: .html)
        let environment = Environment(data: [:], calendar: .usFederal, now: Self.now, filters: .assembly())
        #expect { try template.fill(environment) } throws: { ($0 as? FillError)?.missing == ["witnesses"] }
    }

    @Test func conditionProblemsPointAtTheExpression() {
        let (template, problems) = TextTemplate.compile("{% if client.nmae %}x{% elif a %}y{% else %}z{% elif b %}{% endif %}", escaping: .html)
        #expect(problems.map(\.message) == ["'elif' after 'else': the 'else' must come last"])
        let checked = template.check(fields: ["client.name": .string, "a": .bool], filters: .assembly())
        #expect(checked.first?.location.column == 7)
    }

    @Test func errorsNeverRepeatCaseData() throws {
        let (template, _) = TextTemplate.compile("{{ secret | explain }} {{ when | date(\"long\", lang) }}", escaping: .html)
        let environment = Environment(
            data: ["secret": .string("Maple Street 12"), "when": .string("tomorrow at Maple"), "lang": .string("Maple")], calendar: .usFederal, now: Self.now,
            filters: .assembly(define: { _, _ in nil }))
        #expect { try template.fill(environment) } throws: { error in
            let text = (error as? FillError)?.description ?? ""
            return !text.isEmpty && !text.contains("Maple")
        }
    }
}
