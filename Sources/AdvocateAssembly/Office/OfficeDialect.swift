public import AdvocateXML

/// The two office vocabularies: which elements are paragraphs, rows and cells, which are runs
/// and wrappers inside a paragraph, and how text is written back.
public enum OfficeDialect: Sendable {
    /// WordprocessingML (DOCX).
    case word
    /// OpenDocument text (ODT).
    case openDocument

    enum Role { case paragraph, row, cell, listItem, other }

    func role(of element: XMLTreeElement) -> Role {
        switch (self, element.name) {
        case (.word, "w:p"), (.openDocument, "text:p"), (.openDocument, "text:h"): return .paragraph
        case (.word, "w:tr"), (.openDocument, "table:table-row"): return .row
        case (.word, "w:tc"), (.openDocument, "table:table-cell"), (.openDocument, "table:covered-table-cell"): return .cell
        case (.openDocument, "text:list-item"): return .listItem
        default: return .other
        }
    }

    /// What to call the children of `element` in messages.
    func scopeName(_ element: XMLTreeElement) -> String {
        switch element.name {
        case "w:body", "office:text": return "document body"
        case "w:tc", "table:table-cell": return "table cell"
        case "w:tr", "table:table-row": return "table row"
        case "w:tbl", "table:table", "table:table-rows", "table:table-header-rows": return "table"
        case "w:hdr", "style:header", "style:header-left", "style:header-first": return "header"
        case "w:ftr", "style:footer", "style:footer-left", "style:footer-first": return "footer"
        case "w:footnote": return "footnote"
        case "text:list", "text:list-item": return "list"
        default: return "<\(element.name)>"
        }
    }

    /// Elements inside a Word paragraph that only wrap runs (links, tracked changes, content controls).
    static let wordWrappers: Set<String> = [
        "w:hyperlink", "w:ins", "w:del", "w:smartTag", "w:customXml", "w:fldSimple", "w:dir", "w:bdo", "w:moveTo", "w:moveFrom",
    ]
    /// OpenDocument elements inside a paragraph that only wrap text (formatting spans, links).
    static let openDocumentWrappers: Set<String> = ["text:span", "text:a", "text:meta", "text:ruby-base"]

    /// Empty text-producing elements: a space run, a tab, a line break.
    func text(for element: XMLTreeElement) -> String? {
        switch (self, element.name) {
        case (.word, "w:tab"): return "\t"
        case (.word, "w:cr"): return "\n"
        case (.word, "w:br"):
            let type = element.attribute("w:type")
            return type == nil || type == "textWrapping" ? "\n" : nil
        case (.openDocument, "text:s"):
            let count = element.attribute("text:c").flatMap(Int.init) ?? 1
            return String(repeating: " ", count: max(1, min(count, 1000)))
        case (.openDocument, "text:tab"): return "\t"
        case (.openDocument, "text:line-break"): return "\n"
        default: return nil
        }
    }

    /// Elements dropped when a paragraph is rebuilt: spell-check marks and layout hints that the
    /// office program recomputes.
    func isDisposable(_ element: XMLTreeElement) -> Bool {
        switch (self, element.name) {
        case (.word, "w:proofErr"), (.word, "w:lastRenderedPageBreak"), (.openDocument, "text:soft-page-break"): return true
        default: return false
        }
    }

    /// Whether non-text content in a paragraph shows on the page (a picture, an equation, a
    /// footnote number), as opposed to invisible markup (bookmarks, comment ranges, field codes,
    /// deleted text), which takes no place in the paragraph's text.
    func isVisible(_ element: XMLTreeElement) -> Bool {
        let invisible: Set<String>
        switch self {
        case .word:
            invisible = [
                "w:bookmarkStart", "w:bookmarkEnd", "w:commentRangeStart", "w:commentRangeEnd", "w:commentReference", "w:annotationRef",
                "w:permStart", "w:permEnd", "w:fldChar", "w:instrText", "w:delText", "w:delInstrText", "w:moveFromRangeStart",
                "w:moveFromRangeEnd", "w:moveToRangeStart", "w:moveToRangeEnd", "w:customXmlInsRangeStart", "w:customXmlInsRangeEnd",
                "w:customXmlDelRangeStart", "w:customXmlDelRangeEnd",
            ]
        case .openDocument:
            invisible = [
                "text:bookmark", "text:bookmark-start", "text:bookmark-end", "text:reference-mark", "text:reference-mark-start",
                "text:reference-mark-end", "office:annotation", "office:annotation-end", "text:change", "text:change-start",
                "text:change-end", "text:toc-mark", "text:alphabetical-index-mark", "text:user-index-mark",
            ]
        }
        return !invisible.contains(element.name)
    }
}
