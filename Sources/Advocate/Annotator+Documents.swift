internal import Foundation
public import AdvocateGlossary
internal import AdvocateXML

extension Annotator {
    /// Elements whose text is never annotated: code, scripts, links, and existing explanations.
    static let untouched: Set<String> = ["script", "style", "code", "pre", "kbd", "samp", "a", "dfn", "abbr", "summary", "details", "textarea", "title", "head"]

    /// The page with the first use of each term wrapped in an accessible explanation:
    /// `<details><summary><dfn>term</dfn></summary><span role="definition">…</span></details>`,
    /// and a "Words to know" list at the end.
    public func annotate(html: String) throws(AdvocateError) -> String {
        let document: HTMLDocument
        do { document = try HTMLDocument(bytes: Array(html.utf8)) } catch { throw AdvocateError("cannot read the page: \(error.description)") }
        var explained: [Int: Int] = [:]
        var order: [GlossaryEntry] = []
        var positions: [String: Int] = [:]
        for (index, entry) in glossary.entries.enumerated() { positions[entry.term] = index }
        document.replaceText(skipping: Annotator.untouched) { text in
            let utf8 = Array(text.utf8)
            var pieces: [HTMLDocument.Piece] = []
            var position = 0
            for (range, entry) in find(text) {
                guard let index = positions[entry.term], explained[index] == nil else { continue }
                order.append(entry)
                explained[index] = order.count
                let id = "advocate-term-\(order.count)"
                pieces.append(.text(String(decoding: utf8[position..<range.lowerBound], as: UTF8.self)))
                let word = String(decoding: utf8[range], as: UTF8.self)
                pieces.append(
                    .element(
                        "details", attributes: [("class", "advocate-term")],
                        children: [
                            .element("summary", attributes: [], children: [.element("dfn", attributes: [("aria-describedby", id)], children: [.text(word)])]),
                            .element("span", attributes: [("id", id), ("role", "definition")], children: [.text(" " + entry.definition(in: language))]),
                        ]))
                position = range.upperBound
            }
            guard !pieces.isEmpty else { return nil }
            pieces.append(.text(String(decoding: utf8[position...], as: UTF8.self)))
            return pieces
        }
        if !order.isEmpty {
            let items: [HTMLDocument.Piece] = order.map { entry in
                .element(
                    "div", attributes: [],
                    children: [
                        .element("dt", attributes: [], children: [.element("dfn", attributes: [], children: [.text(entry.term(in: language))])]),
                        .element("dd", attributes: [], children: [.text(entry.definition(in: language))]),
                    ])
            }
            document.appendToBody(
                .element(
                    "section", attributes: [("class", "advocate-words-to-know"), ("aria-labelledby", "advocate-words-to-know"), ("lang", language.rawValue)],
                    children: [.element("h2", attributes: [("id", "advocate-words-to-know")], children: [.text(heading)]), .element("dl", attributes: [], children: items)]))
        }
        return document.serialized()
    }
}
