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

@Suite("The term matcher")
struct TermMatcherTests {
    /// The obvious algorithm: at each word start, the longest key that ends at a word end.
    func naive(_ text: String, keys: [String]) -> [Range<Int>] {
        let bytes = Array(text.utf8)
        var result: [Range<Int>] = []
        var i = 0
        func boundary(_ j: Int) -> Bool { j <= 0 || j >= bytes.count || bytes[j - 1] == 0x20 || bytes[j] == 0x20 }
        while i < bytes.count {
            let atStart = i == 0 || bytes[i - 1] == 0x20
            let best = keys.filter { key in
                let k = Array(key.utf8)
                return atStart && i + k.count <= bytes.count && Array(bytes[i..<i + k.count]) == k && (i + k.count == bytes.count || bytes[i + k.count] == 0x20)
            }.max { $0.utf8.count < $1.utf8.count }
            if let best, boundary(i) {
                result.append(i..<i + best.utf8.count)
                i += best.utf8.count
            } else {
                i += 1
            }
        }
        return result
    }

    @Test("Streaming selection agrees with the obvious algorithm", arguments: 1...200)
    func agreesWithNaive(seed: Int) {
        let keys = ["no contact order", "order", "contact", "bail", "bail bond", "bond", "no", "contact order", "a b c", "b c d", "c"]
        let matcher = TermMatcher(keys: keys.enumerated().map { ($1, $0) })
        var rng = SystemRandomNumberGenerator()
        var generator = SeededWords(seed: UInt64(seed))
        let words = ["no", "contact", "order", "bail", "bond", "a", "b", "c", "d", "court", "orders"]
        let text = (0..<Int.random(in: 1...30, using: &rng)).map { _ in words[generator.next(words.count)] }.joined(separator: " ")
        #expect(matcher.matches(in: text).map(\.range) == naive(text, keys: keys), "\(text)")
    }

    @Test("Agrees on a text long enough to be folded and scanned in several chunks")
    func agreesAcrossChunks() {
        let keys = ["no contact order", "order", "contact", "bail", "bail bond", "bond", "no", "contact order", "a b c", "b c d", "c"]
        let matcher = TermMatcher(keys: keys.enumerated().map { ($1, $0) })
        var generator = SeededWords(seed: 7)
        let words = ["no", "contact", "order", "bail", "bond", "a", "b", "c", "d", "court", "orders", "restitution"]
        let text = (0..<40_000).map { _ in words[generator.next(words.count)] }.joined(separator: " ")
        #expect(text.utf8.count > 3 * 32_768)
        #expect(matcher.matches(in: text).map(\.range) == naive(text, keys: keys))
    }

    @Test("Maps matches back to the original text across chunks, through case, accents and extra spaces")
    func mapsBackAcrossChunks() {
        let matcher = TermMatcher(keys: [("contact order", 0), ("cafe", 1)])
        let text = String(repeating: "Call the Contact  Order line at the Café —   it’s open. ", count: 3_000)
        let bytes = Array(text.utf8)
        let found = matcher.matches(in: text).map { String(decoding: bytes[$0.range], as: UTF8.self) }
        #expect(found.count == 6_000)
        #expect(Set(found) == ["Contact  Order", "Café"])
    }
}

struct SeededWords {
    var state: UInt64
    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 }
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}
