import Foundation
import Testing
import TestSupport
import Advocate
import AdvocateXML

private let glossary = TestSupport.workspace.glossary

@Suite("Annotating documents")
struct AnnotationTests {
    let english = Annotator(glossary: glossary, language: .en)

    func terms(_ text: String) -> [String] {
        let utf8 = Array(text.utf8)
        return english.find(text).map { String(decoding: utf8[$0.range], as: UTF8.self) }
    }

    @Test func longestMatchAtWordBoundaries() {
        #expect(terms("The no-contact order and the protective order.") == ["no-contact order", "protective order"])
        // "bail" is not found inside "bailiff", which is a term of its own.
        #expect(terms("The bailiff said bail.") == ["bailiff", "bail"])
        #expect(terms("Two continuances, then the case was continued.") .contains("continuances"))
        #expect(terms("ARRAIGNMENT is Monday") == ["ARRAIGNMENT"])
    }

    @Test func notInsideLinksOrAddresses() {
        #expect(terms("See https://court.example/subpoena and www.example.org/bail or write to warrant@court.example") == [])
        #expect(terms("A subpoena (see https://court.example).") == ["subpoena"])
    }

    @Test func spanishIgnoresAccents() {
        let spanish = Annotator(glossary: glossary, language: .es)
        let text = "La citacion y la audiencia."
        let found = spanish.find(text).map { String(decoding: Array(text.utf8)[$0.range], as: UTF8.self) }
        #expect(found == ["citacion", "audiencia"])
    }

    @Test func textGetsFootnotesForTheFirstUseOfEachTerm() {
        let result = english.annotate(text: "The prosecutor asked for a continuance. Another continuance is rare.")
        let subpoena = glossary.entry(named: "prosecutor")!, continuance = glossary.entry(named: "continuance")!
        #expect(result == """
            The prosecutor[1] asked for a continuance[2]. Another continuance is rare.

            Words to know
            [1] prosecutor: \(subpoena.definition)
            [2] continuance: \(continuance.definition)

            """)
        #expect(english.annotate(text: "Nothing legal here.") == "Nothing legal here.")
        #expect(english.annotate(text: "A subpoena.", markdown: true).hasPrefix("A subpoena[^1].\n\n## Words to know\n\n[^1]: **subpoena**: "))
    }

    @Test func htmlKeepsTextAndSkipsCodeAndLinks() throws {
        let page = "<!DOCTYPE html><html lang=\"en\"><body><p>Smith &amp; Sons: the judge set bail.</p><p><a href=\"#\">subpoena</a> <code>warrant</code></p><script>var restitution = 1;</script></body></html>"
        let result = try english.annotate(html: page)
        #expect(result.hasPrefix("<!DOCTYPE html>"))
        #expect(result.contains("<p>Smith &amp; Sons: the <details class=\"advocate-term\"><summary><dfn aria-describedby=\"advocate-term-1\">judge</dfn></summary>"))
        #expect(result.contains("</details> set <details"))
        #expect(result.contains("<a href=\"#\">subpoena</a> <code>warrant</code>"))
        #expect(result.contains("var restitution = 1;"))
        #expect(result.contains("<h2 id=\"advocate-words-to-know\">Words to know</h2>"))
        #expect(!result.contains("advocate-placeholder"))
    }

    @Test func exports() throws {
        let csv = glossary.csv()
        #expect(csv.hasPrefix("term,aliases,category,definition_en,example_en,term_es,aliases_es,definition_es,example_es,related\r\n"))
        #expect(csv.components(separatedBy: "\r\n").count == glossary.entries.count + 2)
        let tbx = try XMLDocument(bytes: Array(glossary.tbx().utf8), name: "glossary.tbx")
        #expect(tbx.root?.name == "tbx")
        let body = tbx.root?.children.first { $0.name == "text" }?.children.first
        #expect(body?.children.count == glossary.entries.count)
        let handout = glossary.handout(language: .es)
        #expect(handout.contains("<html lang=\"es\">"))
        #expect(handout.contains("<h2>El caso penal</h2>"))
    }
}
