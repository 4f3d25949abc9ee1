internal import AdvocateAssembly
internal import AdvocateXML
internal import Foundation

/// The text of a filled document as headings, paragraphs, list items and tables, for showing
/// on a page before it is downloaded. Only the text is kept: no markup from the document
/// reaches the page, so a template cannot inject anything into it.
public struct DocumentPreview: Sendable, Equatable {
    public enum Block: Sendable, Equatable {
        case heading(level: Int, text: String)
        case paragraph(String)
        case listItem(String)
        case table([[String]])
    }

    public var blocks: [Block]

    /// Reads the text of `bytes`, a filled document in `format`.
    public init(bytes: [UInt8], format: FormTemplate.Format, name: String) throws(AdvocateError) {
        switch format {
        case .docx:
            let package = try OfficePackage(data: Data(bytes), name: name)
            let body = try DocumentPreview.tree(package, part: "word/document.xml")
            blocks = WordText().blocks(body)
        case .odt:
            let package = try OfficePackage(data: Data(bytes), name: name)
            let body = try DocumentPreview.tree(package, part: "content.xml")
            blocks = OpenDocumentText().blocks(body)
        case .html:
            let document: HTMLDocument
            do { document = try HTMLDocument(bytes: bytes) } catch { throw AdvocateError("\(name): the filled page cannot be read as HTML") }
            blocks = document.tree().map { WebText().blocks($0.root) } ?? []
        }
        blocks = blocks.filter { block in
            if case .paragraph(let text) = block { return !text.trimmingCharacters(in: .whitespaces).isEmpty }
            return true
        }
    }

    private static func tree(_ package: OfficePackage, part: String) throws(AdvocateError) -> XMLTreeElement {
        guard let data = package.data(part) else { throw AdvocateError("\(package.name) has no \(part)") }
        do {
            guard let tree = try XMLDocument(bytes: [UInt8](data), name: part).tree() else { throw AdvocateError("\(package.name): \(part) is empty") }
            return tree.root
        } catch let error as AdvocateError {
            throw error
        } catch {
            throw AdvocateError("\(package.name): \(part) is not well-formed XML")
        }
    }
}

/// WordprocessingML: paragraphs (`w:p`) with their style, tables, and text only from `w:t`
/// (field codes and deleted text are not what the reader sees).
private struct WordText {
    func blocks(_ element: XMLTreeElement) -> [DocumentPreview.Block] {
        var blocks: [DocumentPreview.Block] = []
        for child in element.elements {
            switch child.name {
            case "w:p": blocks.append(paragraph(child))
            case "w:tbl":
                let rows = child.elements.filter { $0.name == "w:tr" }.map { row in
                    row.elements.filter { $0.name == "w:tc" }.map { cell in
                        cell.elements.filter { $0.name == "w:p" }.map(text).joined(separator: "\n")
                    }
                }
                blocks.append(.table(rows))
            case "w:sectPr", "w:pPr", "w:rPr": continue
            default: blocks += self.blocks(child)
            }
        }
        return blocks
    }

    private func paragraph(_ p: XMLTreeElement) -> DocumentPreview.Block {
        let properties = p.elements.first { $0.name == "w:pPr" }
        let style = properties?.elements.first { $0.name == "w:pStyle" }?.attribute("w:val") ?? ""
        let content = text(p)
        if style.lowercased() == "title" { return .heading(level: 1, text: content) }
        if style.lowercased().hasPrefix("heading"), let level = Int(style.filter(\.isNumber)) { return .heading(level: min(max(level, 1), 6), text: content) }
        if properties?.elements.contains(where: { $0.name == "w:numPr" }) == true { return .listItem(content) }
        return .paragraph(content)
    }

    private func text(_ element: XMLTreeElement) -> String {
        var out = ""
        for child in element.elements {
            switch child.name {
            case "w:t":
                for case .text(let text) in child.children { out += text }
            case "w:tab": out += " "
            case "w:br", "w:cr": out += "\n"
            case "w:instrText", "w:delText", "w:pPr", "w:rPr": continue
            default: out += text(child)
            }
        }
        return out
    }
}

/// OpenDocument text: headings with their outline level, paragraphs, lists and tables.
private struct OpenDocumentText {
    func blocks(_ element: XMLTreeElement) -> [DocumentPreview.Block] {
        var blocks: [DocumentPreview.Block] = []
        for child in element.elements {
            switch child.name {
            case "text:h":
                let level = Int(child.attribute("text:outline-level") ?? "1") ?? 1
                blocks.append(.heading(level: min(max(level, 1), 6), text: text(child)))
            case "text:p": blocks.append(.paragraph(text(child)))
            case "text:list-item": blocks += self.blocks(child).map { if case .paragraph(let t) = $0 { .listItem(t) } else { $0 } }
            case "table:table":
                let rows = tableRows(child, row: "table:table-row", groups: ["table:table-header-rows", "table:table-rows", "table:table-row-group"]).map { row in
                    row.elements.filter { $0.name == "table:table-cell" }.map { cell in
                        cell.elements.filter { $0.name == "text:p" || $0.name == "text:h" }.map(text).joined(separator: "\n")
                    }
                }
                blocks.append(.table(rows))
            case "office:automatic-styles", "office:font-face-decls", "text:sequence-decls", "office:forms": continue
            default: blocks += self.blocks(child)
            }
        }
        return blocks
    }

    private func text(_ element: XMLTreeElement) -> String {
        var out = ""
        for child in element.children {
            switch child {
            case .text(let text): out += text
            case .element(let e):
                switch e.name {
                case "text:s": out += String(repeating: " ", count: min(max(Int(e.attribute("text:c") ?? "1") ?? 1, 0), 100))
                case "text:tab": out += " "
                case "text:line-break": out += "\n"
                case "text:note", "office:annotation": continue
                default: out += text(e)
                }
            case .verbatim: continue
            }
        }
        return out
    }
}

/// HTML: headings, paragraphs, list items and tables; whitespace collapsed as a browser would.
private struct WebText {
    /// Elements that hold blocks; any other element that holds no block reads as inline text.
    static let containers: Set<String> = [
        "html", "body", "main", "div", "section", "article", "header", "footer", "nav", "aside", "ul", "ol", "dl", "form", "fieldset", "figure", "details",
    ]
    static let paragraphs: Set<String> = ["p", "address", "blockquote", "pre", "dt", "dd", "figcaption", "caption", "summary", "legend"]
    static let skipped: Set<String> = ["head", "script", "style", "template", "noscript"]

    /// The blocks of `element` in document order. Text written straight into a container, before,
    /// between or after its blocks, reads as paragraphs of its own rather than being dropped.
    func blocks(_ element: XMLTreeElement) -> [DocumentPreview.Block] {
        var blocks: [DocumentPreview.Block] = []
        var run = ""
        func endRun() {
            let text = WebText.normalized(run)
            if !text.isEmpty { blocks.append(.paragraph(text)) }
            run = ""
        }
        for child in element.children {
            switch child {
            case .text(let text): run += text
            case .verbatim: continue
            case .element(let child):
                let name = child.name.lowercased()
                if WebText.skipped.contains(name) { continue }
                if name == "br" {
                    run += "\n"
                } else if let level = ["h1", "h2", "h3", "h4", "h5", "h6"].firstIndex(of: name) {
                    endRun()
                    blocks.append(.heading(level: level + 1, text: text(child)))
                } else if WebText.paragraphs.contains(name) {
                    endRun()
                    blocks.append(.paragraph(text(child)))
                } else if name == "li" {
                    endRun()
                    blocks.append(.listItem(text(child)))
                } else if name == "table" {
                    endRun()
                    blocks.append(
                        .table(tableRows(child, row: "tr", groups: ["thead", "tbody", "tfoot"], caseInsensitive: true).map { row in row.elements.filter { ["td", "th"].contains($0.name.lowercased()) }.map(text) }))
                } else if name == "hr" {
                    endRun()
                } else if WebText.containers.contains(name) || holdsBlocks(child) {
                    endRun()
                    blocks += self.blocks(child)
                } else {
                    run += rawText(child)
                }
            }
        }
        endRun()
        return blocks
    }

    private func holdsBlocks(_ element: XMLTreeElement) -> Bool {
        element.elements.contains { child in
            let name = child.name.lowercased()
            return WebText.containers.contains(name) || WebText.paragraphs.contains(name) || ["h1", "h2", "h3", "h4", "h5", "h6", "li", "table"].contains(name)
                || holdsBlocks(child)
        }
    }

    private func text(_ element: XMLTreeElement) -> String { WebText.normalized(rawText(element)) }

    private func rawText(_ element: XMLTreeElement) -> String {
        var out = ""
        for child in element.children {
            switch child {
            case .text(let text): out += text
            case .element(let e):
                let name = e.name.lowercased()
                if name == "br" { out += "\n" } else if !WebText.skipped.contains(name) { out += rawText(e) }
            case .verbatim: continue
            }
        }
        return out
    }

    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }).joined(separator: " ")
    }
}

/// A table's rows, in order, through the groups that may hold them (a header, a body).
private func tableRows(_ table: XMLTreeElement, row: String, groups: Set<String>, caseInsensitive: Bool = false) -> [XMLTreeElement] {
    table.elements.flatMap { element -> [XMLTreeElement] in
        let name = caseInsensitive ? element.name.lowercased() : element.name
        if name == row { return [element] }
        return groups.contains(name) ? tableRows(element, row: row, groups: groups, caseInsensitive: caseInsensitive) : []
    }
}
