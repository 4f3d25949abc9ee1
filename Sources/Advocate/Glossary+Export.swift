internal import Foundation
public import AdvocateGlossary
internal import AdvocateXML

extension Glossary {
    /// CSV with a header row: `term, aliases, category, definition_en, example_en, term_es, aliases_es,
    /// definition_es, example_es, related` (aliases and related joined with `;`).
    public func csv() -> String {
        var lines = ["term,aliases,category,definition_en,example_en,term_es,aliases_es,definition_es,example_es,related"]
        for e in entries {
            let fields = [
                e.term, e.aliases.joined(separator: "; "), e.category, e.definition, e.example, e.spanish.term, e.spanish.aliases.joined(separator: "; "),
                e.spanish.definition, e.spanish.example, e.related.joined(separator: "; "),
            ]
            lines.append(fields.map(Glossary.csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// TermBase eXchange (ISO 30042, TBX-Basic style): one concept per entry, an English and a
    /// Spanish language section, each with its term, aliases as admitted terms, and the definition.
    public func tbx() -> String {
        let xml = XMLWriter()
        xml.start("tbx", [("type", "TBX-Basic"), ("style", "dca"), ("xml:lang", "en"), ("xmlns", "urn:iso:std:iso:30042:ed-2")])
        xml.start("tbxHeader")
        xml.start("fileDesc")
        xml.start("sourceDesc")
        xml.element("p", text: "Advocate plain-language legal glossary, English and Spanish")
        xml.end()
        xml.end()
        xml.end()
        xml.start("text")
        xml.start("body")
        for (index, e) in entries.enumerated() {
            xml.start("conceptEntry", [("id", "c\(index + 1)")])
            xml.element("descrip", [("type", "subjectField")], text: e.category)
            for (language, term, aliases, definition) in [("en", e.term, e.aliases, e.definition), ("es", e.spanish.term, e.spanish.aliases, e.spanish.definition)] {
                xml.start("langSec", [("xml:lang", language)])
                xml.element("descrip", [("type", "definition")], text: definition)
                xml.start("termSec")
                xml.element("term", text: term)
                xml.element("termNote", [("type", "administrativeStatus")], text: "preferredTerm-admn-sts")
                xml.end()
                for alias in aliases {
                    xml.start("termSec")
                    xml.element("term", text: alias)
                    xml.element("termNote", [("type", "administrativeStatus")], text: "admittedTerm-admn-sts")
                    xml.end()
                }
                xml.end()
            }
            xml.end()
        }
        xml.end()
        xml.end()
        xml.end()
        return xml.finish()
    }

    /// A printable large-type handout, in one language, grouped by category.
    public func handout(language: Language) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        let title = language == .en ? "Words you may hear in court" : "Palabras que puede oír en la corte"
        var html = """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title)</title>
            <style>
            body { font-family: Georgia, serif; font-size: 20pt; line-height: 1.5; max-width: 40em; margin: 1em auto; padding: 0 1em; color: #111; }
            h1 { font-size: 28pt; } h2 { font-size: 24pt; border-bottom: 2px solid #111; margin-top: 1.5em; }
            dt { font-weight: bold; margin-top: 0.8em; } dd { margin-left: 0; }
            @media print { section { break-inside: avoid-page; } }
            </style>
            </head>
            <body>
            <h1>\(title)</h1>

            """
        for category in categories {
            let items = entries.filter { $0.category == category.id }.sorted { $0.term(in: language).lowercased() < $1.term(in: language).lowercased() }
            guard !items.isEmpty else { continue }
            html += "<section>\n<h2>\(escape(language == .en ? category.title : category.titleSpanish))</h2>\n<dl>\n"
            for e in items {
                html += "<dt>\(escape(e.term(in: language)))</dt>\n<dd>\(escape(e.definition(in: language)))</dd>\n"
            }
            html += "</dl>\n</section>\n"
        }
        return html + "</body>\n</html>\n"
    }
}
