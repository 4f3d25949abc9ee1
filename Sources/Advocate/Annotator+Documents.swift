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
        document.replaceText(skipping: Annotator.untouched) { text in
            let utf8 = Array(text.utf8)
            var pieces: [HTMLDocument.Piece] = []
            var position = 0
            for match in matches(in: text) where explained[match.entry] == nil {
                let (range, index, entry) = (match.range, match.entry, glossary.entries[match.entry])
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

extension Annotator {
    static let wordNamespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    /// Reads a DOCX and writes a copy with a "Words to know" section at the end, explaining every
    /// glossary term the document uses. Everything else in the package is kept as it was.
    /// Returns the terms explained.
    @discardableResult
    public func annotate(docx input: String, to output: String) throws(AdvocateError) -> [GlossaryEntry] {
        var package = try OfficePackage(path: input)
        let entries = try annotate(wordPackage: &package)
        try package.write(to: output)
        return entries
    }

    /// A filled DOCX with its "Words to know" section.
    func annotate(docxBytes bytes: [UInt8], name: String) throws(AdvocateError) -> [UInt8] {
        var package = try OfficePackage(data: Data(bytes), name: name)
        try annotate(wordPackage: &package)
        return try package.archived()
    }

    /// A filled ODT with its "Words to know" section: a heading and one paragraph per term at
    /// the end of the text.
    func annotate(odtBytes bytes: [UInt8], name: String) throws(AdvocateError) -> [UInt8] {
        var package = try OfficePackage(data: Data(bytes), name: name)
        guard let xml = package.data("content.xml") else { throw AdvocateError("\(name) is not an OpenDocument text (it has no content.xml)") }
        let document: XMLDocument
        do { document = try XMLDocument(bytes: Array(xml), name: "content.xml") } catch { throw AdvocateError("\(name): content.xml: \(error.description)") }
        guard let root = document.root, let body = root.children.first(where: { $0.name == "body" }), let text = body.children.first(where: { $0.name == "text" }) else {
            throw AdvocateError("\(name) is not an OpenDocument text (content.xml has no office:text)")
        }
        let entries = terms(in: (text.descendants(named: "p") + text.descendants(named: "h")).map(\.text).joined(separator: "\n"))
        guard !entries.isEmpty else { return bytes }
        let heading = text.addChild("h", namespace: Annotator.openDocumentTextNamespace)
        heading.setAttribute("outline-level", "2")
        heading.addText(self.heading)
        for entry in entries {
            let paragraph = text.addChild("p", namespace: Annotator.openDocumentTextNamespace)
            paragraph.addText(entry.term(in: language) + ": " + entry.definition(in: language))
        }
        package.replace("content.xml", with: Data(document.serialized()))
        return try package.archived()
    }

    static let openDocumentTextNamespace = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

    @discardableResult
    func annotate(wordPackage package: inout OfficePackage) throws(AdvocateError) -> [GlossaryEntry] {
        guard let xml = package.data("word/document.xml") else { throw AdvocateError("\(package.name) is not a DOCX document (it has no word/document.xml)") }
        let document: XMLDocument
        do { document = try XMLDocument(bytes: Array(xml), name: "word/document.xml") } catch {
            throw AdvocateError("\(package.name): word/document.xml: \(error.description)")
        }
        guard let root = document.root, root.namespace == Annotator.wordNamespace, let body = root.children.first(where: { $0.name == "body" }) else {
            throw AdvocateError("\(package.name) is not a DOCX document (word/document.xml has no body)")
        }
        let text = body.descendants(named: "p").map { paragraph in paragraph.descendants(named: "t").map(\.text).joined() }.joined(separator: "\n")
        let entries = terms(in: text)
        guard !entries.isEmpty else { return [] }
        let end = body.children.last { $0.name == "sectPr" }
        let heading = body.addChild("p", before: end)
        let headingRun = heading.addChild("r")
        let headingFormat = headingRun.addChild("rPr")
        headingFormat.addChild("b")
        headingFormat.addChild("sz").setAttribute("val", "32")
        headingRun.addChild("t").addText(self.heading)
        for entry in entries {
            let paragraph = body.addChild("p", before: end)
            let termRun = paragraph.addChild("r")
            termRun.addChild("rPr").addChild("b")
            termRun.addChild("t").addText(entry.term(in: language))
            paragraph.addChild("r").addChild("t").addText(": " + entry.definition(in: language), preserveSpace: true)
        }
        package.replace("word/document.xml", with: Data(document.serialized()))
        return entries
    }
}
