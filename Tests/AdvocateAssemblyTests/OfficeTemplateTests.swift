import Foundation
import Testing
import TestSupport
import AdvocateXML
@testable import Advocate

/// DOCX templates built from Word's own markup: tags split across runs, paragraph and row
/// tags, restarting lists, and hostile packages.
struct OfficeTemplateTests {
    static let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\""
    static let now = LocalDateTime(iso: "2026-11-22T09:00")!

    /// A DOCX file with `body` as the content of `w:body`, and optional extra parts.
    static func docx(_ body: String, extra: [(String, String)] = []) throws -> String {
        let document = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document \(w)><w:body>\(body)<w:sectPr/></w:body></w:document>"
        let types = "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"
        let parts = [("[Content_Types].xml", types), ("word/document.xml", document)] + extra
        let entries = try parts.map { try ZIPEntry(path: $0.0, bytes: Array($0.1.utf8), deflate: true) }
        let path = TestSupport.temporaryFolder("advocate-docx") + "/template.docx"
        try Data(ZIPWriter.archive(entries)).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func fill(_ path: String, _ data: [String: Value]) throws -> (xml: String, text: [String], package: OfficePackage) {
        let template = try FormTemplate(path: path)
        #expect(template.problems.isEmpty, "\(template.problems)")
        let environment = Environment(data: data, calendar: .usFederal, now: now, filters: .assembly())
        let bytes = try template.fill(environment)
        let package = try OfficePackage(data: Data(bytes), name: "out.docx")
        let xml = String(decoding: package.data("word/document.xml")!, as: UTF8.self)
        return (xml, paragraphs(xml), package)
    }

    /// Each paragraph's text, with Word's breaks and tabs as characters.
    static func paragraphs(_ xml: String) -> [String] {
        let document = try! XMLDocument(bytes: Array(xml.utf8))
        return document.root!.descendants(named: "p").map { p in
            var text = ""
            func walk(_ e: XMLElement) {
                for child in e.children {
                    switch child.name {
                    case "t": text += child.text
                    case "br": text += "\n"
                    case "tab": text += "\t"
                    default: walk(child)
                    }
                }
            }
            walk(p)
            return text
        }
    }

    static func p(_ runs: String) -> String { "<w:p><w:pPr><w:pStyle w:val=\"Body\"/></w:pPr>\(runs)</w:p>" }
    static func r(_ text: String, bold: Bool = false) -> String {
        "<w:r>\(bold ? "<w:rPr><w:b/></w:rPr>" : "")<w:t xml:space=\"preserve\">\(text)</w:t></w:r>"
    }

    @Test func tagsSplitAcrossRunsKeepTheFormattingWhereTheyStart() throws {
        // Word splits "{{ client.name }}" with a bold change, spell-check marks and a lone brace.
        let body = Self.p(
            Self.r("Dear ") + Self.r("{", bold: true) + "<w:proofErr w:type=\"spellStart\"/>" + Self.r("{ client.", bold: true) + "<w:proofErr w:type=\"spellEnd\"/>"
                + Self.r("name }}") + Self.r(", your hearing is on {{ hearing.date | date }}."))
        let out = try Self.fill(try Self.docx(body), ["client": .record(["name": .string("Ana María Núñez & <Co>")]), "hearing.date": .date(TestSupport.date("2026-12-14"))])
        #expect(out.text == ["Dear Ana María Núñez & <Co>, your hearing is on December 14, 2026."])
        #expect(out.xml.contains("<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">Ana María Núñez &amp; &lt;Co&gt;</w:t></w:r>"))
        #expect(!out.xml.contains("proofErr"))
    }

    @Test func paragraphRowAndInlineBlocks() throws {
        let body = Self.p(Self.r("{%p if client.has_children %}")) + Self.p(Self.r("Children live with me.")) + Self.p(Self.r("{%p endif %}"))
            + Self.p(Self.r("Notes: {{ notes }}"))
            + "<w:tbl><w:tr><w:tc>\(Self.p(Self.r("Name")))</w:tc><w:tc>\(Self.p(Self.r("Saw")))</w:tc></w:tr>"
            + "<w:tr><w:tc>\(Self.p(Self.r("{%tr for w in witnesses %}")))</w:tc></w:tr>"
            + "<w:tr><w:tc>\(Self.p(Self.r("{{ loop.index }}. {{ w.name }}")))</w:tc><w:tc>\(Self.p(Self.r("{{ w.saw }}")))</w:tc></w:tr>"
            + "<w:tr><w:tc>\(Self.p(Self.r("{%tr endfor %}")))</w:tc></w:tr></w:tbl>"
            + Self.p(Self.r("{% for n in names %}{{ n }}{% if not loop.last %}, {% endif %}{% endfor %}"))
        let path = try Self.docx(body)
        let witnesses: Value = .list([.record(["name": .string("José"), "saw": .string("A & B")]), .record(["name": .string("Lena"), "saw": .string("C")])])
        let data: [String: Value] = ["client.has_children": .bool(false), "notes": .string("line one\nline two"), "witnesses": witnesses, "names": .list([.string("a"), .string("b")])]
        let out = try Self.fill(path, data)
        #expect(out.text == ["Notes: line one\nline two", "Name", "Saw", "1. José", "A & B", "2. Lena", "C", "a, b"])
        #expect(out.xml.components(separatedBy: "<w:tr>").count - 1 == 3)
        var yes = data
        yes["client.has_children"] = .bool(true)
        #expect(try Self.fill(path, yes).text.first == "Children live with me.")
    }

    @Test func textThatWouldBeLostIsRejectedWithItsParagraph() throws {
        let body = Self.p(Self.r("Intro")) + Self.p(Self.r("I also ask {%p if x %}")) + Self.p(Self.r("{%p endif %}"))
        let template = try FormTemplate(path: try Self.docx(body))
        let problem = try #require(template.problems.first)
        #expect(problem.message.contains("the text “Ialsoask” would be lost"))
        #expect(problem.location.short == "paragraph 2 of the body")
        #expect(problem.location.context == "I also ask {%p if x %}")
        #expect(problem.location.column == 12)
        #expect(throws: AdvocateError.self) { try template.fill(Environment(data: [:], calendar: .usFederal, now: Self.now)) }
    }

    @Test func rowTagsMustBeInRowsAndBlocksMustClose() throws {
        let body = Self.p(Self.r("{%tr for x in xs %}")) + Self.p(Self.r("{% if a %}open"))
        let messages = try FormTemplate(path: try Self.docx(body)).problems.map(\.message)
        #expect(messages.contains("a {%tr … %} tag must be in a table row"))
        #expect(messages.contains("this 'if' has no 'endif' in the same paragraph"))
    }

    @Test func restartedListsCountFromOneInEachPass() throws {
        let numbering = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:numbering \(Self.w)><w:abstractNum w:abstractNumId="0"/><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>\
            <w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>
            """
        let item = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr></w:pPr>\(Self.r("{{ i }}"))</w:p>"
        let body = Self.p(Self.r("{%p for c in children %}")) + Self.p(Self.r("{{ c.name }}")) + Self.p(Self.r("{%p for i in c.items %}")) + item
            + Self.p(Self.r("{%p endfor %}")) + Self.p(Self.r("{%p endfor %}"))
        let children: Value = .list([
            .record(["name": .string("Ana"), "items": .list([.string("a1"), .string("a2")])]), .record(["name": .string("Beto"), "items": .list([.string("b1")])]),
        ])
        let out = try Self.fill(try Self.docx(body, extra: [("word/numbering.xml", numbering)]), ["children": children])
        #expect(out.text == ["Ana", "a1", "a2", "Beto", "b1"])
        let ids = out.xml.components(separatedBy: "<w:numId w:val=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(ids.count == 3)
        #expect(ids[0] == ids[1])
        #expect(ids[1] != ids[2])
        let numberingOut = String(decoding: out.package.data("word/numbering.xml")!, as: UTF8.self)
        for id in Set(ids) { #expect(numberingOut.contains("<w:num w:numId=\"\(id)\">") || id == "2") }
        #expect(numberingOut.contains("<w:startOverride w:val=\"1\"/>"))
    }

    @Test func hostileXMLIsRefused() throws {
        let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><w:document \(Self.w)><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>"
        let entries = try [("word/document.xml", laughs)].map { try ZIPEntry(path: $0.0, bytes: Array($0.1.utf8), deflate: true) }
        let path = TestSupport.temporaryFolder("advocate-docx") + "/laughs.docx"
        try Data(ZIPWriter.archive(entries)).write(to: URL(fileURLWithPath: path))
        let template = try FormTemplate(path: path)
        #expect(template.problems.first?.message.contains("declares a DTD") == true)
        #expect(!template.isUsable)
    }

    @Test func hostilePackagesAreRefused() throws {
        let folder = TestSupport.temporaryFolder("advocate-docx")
        // Not a ZIP at all.
        try Data("PK this is not a zip".utf8).write(to: URL(fileURLWithPath: folder + "/junk.docx"))
        #expect(throws: AdvocateError.self) { try FormTemplate(path: folder + "/junk.docx") }
        // A ZIP that escapes its folder.
        let slip = try ZIPEntry(path: "../../evil.xml", bytes: Array("<x/>".utf8), deflate: true)
        try Data(ZIPWriter.archive([slip])).write(to: URL(fileURLWithPath: folder + "/slip.docx"))
        #expect { try FormTemplate(path: folder + "/slip.docx") } throws: { ($0 as? AdvocateError)?.description.contains("leaves the package") == true }
        // A ZIP bomb: 32 MiB of zeros in a few kilobytes.
        let bomb = try ZIPEntry(path: "word/document.xml", bytes: [UInt8](repeating: 0x20, count: 32 << 20), deflate: true)
        try Data(ZIPWriter.archive([bomb])).write(to: URL(fileURLWithPath: folder + "/bomb.docx"))
        #expect { try FormTemplate(path: folder + "/bomb.docx") } throws: { ($0 as? AdvocateError)?.description.contains("ZIP bomb") == true }
        // A ZIP that is not a Word document.
        let other = try ZIPEntry(path: "content.txt", bytes: Array("hello".utf8), deflate: true)
        try Data(ZIPWriter.archive([other])).write(to: URL(fileURLWithPath: folder + "/other.docx"))
        #expect { try FormTemplate(path: folder + "/other.docx") } throws: { ($0 as? AdvocateError)?.description.contains("not a Word document") == true }
    }
}

extension OfficeTemplateTests {
    @Test func cellLoopsRepeatCells() throws {
        let cell = { (text: String) in "<w:tc>\(Self.p(Self.r(text)))</w:tc>" }
        let body = "<w:tbl><w:tr>\(cell("Day"))\(cell("{%tc for d in days %}"))\(cell("{{ d }}"))\(cell("{%tc endfor %}"))</w:tr></w:tbl>"
        let out = try Self.fill(try Self.docx(body), ["days": .list([.string("Mon"), .string("Tue"), .string("Wed")])])
        #expect(out.text == ["Day", "Mon", "Tue", "Wed"])
        #expect(out.xml.components(separatedBy: "<w:tc>").count - 1 == 4)
    }

    @Test func blocksMayNotCrossStructures() throws {
        // An `if` opened in a table cell and closed in the body would break the document.
        let body = "<w:tbl><w:tr><w:tc>\(Self.p(Self.r("{%p if x %}")))</w:tc></w:tr></w:tbl>" + Self.p(Self.r("{%p endif %}"))
        let messages = try FormTemplate(path: try Self.docx(body)).problems.map(\.message)
        #expect(messages.contains("this 'if' has no 'endif' in the same table cell"))
        #expect(messages.contains("'endif' with no open block in this document body"))
    }

    @Test func documentPropertiesAndHeadersAreFilled() throws {
        let core = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Letter for {{ name }}</dc:title></cp:coreProperties>"
        let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:hdr \(Self.w)>\(Self.p(Self.r("Case {{ number }}")))</w:hdr>"
        let path = try Self.docx(Self.p(Self.r("Body")), extra: [("docProps/core.xml", core), ("word/header1.xml", header)])
        let out = try Self.fill(path, ["name": .string("Ana & Beto"), "number": .string("PO-7")])
        #expect(String(decoding: try #require(out.package.data("docProps/core.xml")), as: UTF8.self).contains("<dc:title>Letter for Ana &amp; Beto</dc:title>"))
        #expect(Self.paragraphs(String(decoding: try #require(out.package.data("word/header1.xml")), as: UTF8.self)) == ["Case PO-7"])
    }
}

/// What real Word files hold around tags: bookmarks, page-break hints, curly quotes, nested
/// tables, cells emptied by a condition, and hostile numbering.
extension OfficeTemplateTests {
    @Test func invisibleMarkupNeitherCountsAsTextNorBreaksTags() throws {
        // A page-break hint and a bookmark in the paragraph of a {%p %} tag are not text it would lose.
        let body = Self.p("<w:bookmarkStart w:id=\"0\" w:name=\"_GoBack\"/><w:r><w:lastRenderedPageBreak/><w:t>{%p if x %}</w:t></w:r><w:bookmarkEnd w:id=\"0\"/>")
            + Self.p(Self.r("Shown"))
            + Self.p(Self.r("{% endif") + "<w:bookmarkStart w:id=\"1\" w:name=\"mark\"/>" + Self.r(" %}"))
            + Self.p(Self.r("Say {{ word | default(“none”) }} ") + "<w:bookmarkStart w:id=\"2\" w:name=\"kept\"/>" + Self.r("here"))
        let out = try Self.fill(try Self.docx(body), ["x": .bool(true)])
        #expect(out.text == ["Shown", "Say none here"])
        #expect(out.xml.contains("w:name=\"kept\""))
    }

    @Test func aCellEmptiedByAConditionKeepsAParagraph() throws {
        let body = "<w:tbl><w:tr><w:tc>\(Self.p(Self.r("{%p if x %}")))\(Self.p(Self.r("Yes")))\(Self.p(Self.r("{%p endif %}")))</w:tc></w:tr></w:tbl>"
        let out = try Self.fill(try Self.docx(body), ["x": .bool(false)])
        #expect(out.xml.contains("<w:tc><w:p/></w:tc>"))
    }

    @Test func rowLoopsInATableNestedInACell() throws {
        let inner = "<w:tbl><w:tr><w:tc>\(Self.p(Self.r("{%tr for w in ws %}")))</w:tc></w:tr><w:tr><w:tc>\(Self.p(Self.r("{{ w }}")))</w:tc></w:tr><w:tr><w:tc>\(Self.p(Self.r("{%tr endfor %}")))</w:tc></w:tr></w:tbl>"
        let body = "<w:tbl><w:tr><w:tc>\(Self.p(Self.r("Outer")))\(inner)<w:p/></w:tc></w:tr></w:tbl>"
        let out = try Self.fill(try Self.docx(body), ["ws": .list([.string("a"), .string("b")])])
        #expect(out.text.filter { !$0.isEmpty } == ["Outer", "a", "b"])
    }

    @Test func staticItemsOfARestartedListRestartToo() throws {
        let numbering = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:numbering \(Self.w)><w:abstractNum w:abstractNumId="0"/><w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num><w:numIdMacAtCleanup w:val="2"/></w:numbering>
            """
        let item = { (text: String) in "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"2\"/></w:numPr></w:pPr>\(Self.r(text))</w:p>" }
        let body = Self.p(Self.r("{%p for c in children %}")) + Self.p(Self.r("{{ c }}")) + item("Call 911") + item("Go somewhere safe") + Self.p(Self.r("{%p endfor %}"))
        let out = try Self.fill(try Self.docx(body, extra: [("word/numbering.xml", numbering)]), ["children": .list([.string("Ana"), .string("Beto")])])
        let ids = out.xml.components(separatedBy: "<w:numId w:val=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(ids.count == 4 && ids[0] == ids[1] && ids[2] == ids[3] && ids[0] != ids[2])
        let numberingOut = String(decoding: try #require(out.package.data("word/numbering.xml")), as: UTF8.self)
        // New lists go after the last w:num, before w:numIdMacAtCleanup, as the schema wants.
        #expect(numberingOut.range(of: "<w:num w:numId=\"\(ids[2])\">")!.lowerBound < numberingOut.range(of: "<w:numIdMacAtCleanup")!.lowerBound)
    }

    @Test func hostileNumberingDoesNotCrash() throws {
        let numbering = "<?xml version=\"1.0\"?><w:numbering \(Self.w)><w:num w:numId=\"2\"><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/></w:lvlOverride></w:num></w:numbering>"
        let body = "<w:p><w:pPr><w:numPr><w:numId w:val=\"\(String(repeating: "9", count: 40))\"/></w:numPr></w:pPr>\(Self.r("{{ x }}"))</w:p>"
        let out = try Self.fill(try Self.docx(body, extra: [("word/numbering.xml", numbering)]), ["x": .string("ok")])
        #expect(out.text == ["ok"])
    }

    @Test func aPartWithOnlyCommentsLosesThem() throws {
        let header = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:hdr \(Self.w)>\(Self.p(Self.r("Page header{# reviewed #}")))</w:hdr>"
        let out = try Self.fill(try Self.docx(Self.p(Self.r("Body")), extra: [("word/header1.xml", header)]), [:])
        #expect(Self.paragraphs(String(decoding: try #require(out.package.data("word/header1.xml")), as: UTF8.self)) == ["Page header"])
    }
}

extension OfficeTemplateTests {
    @Test func textBoxesAreFilledToo() throws {
        let box = "<w:r><w:pict xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:shape><v:textbox><w:txbxContent>"
            + Self.p(Self.r("Case {{ number }}")) + Self.p(Self.r("{%p if urgent %}")) + Self.p(Self.r("URGENT")) + Self.p(Self.r("{%p endif %}"))
            + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
        let body = Self.p(Self.r("Before ") + box + Self.r(" after {{ name }}"))
        let path = try Self.docx(body)
        let out = try Self.fill(path, ["number": .string("PO-7 & 8"), "urgent": .bool(false), "name": .string("Ana")])
        // The outer paragraph's text includes its text box's, as a reader of the XML sees it.
        #expect(out.text == ["Before Case PO-7 & 8 after Ana", "Case PO-7 & 8"])
        #expect(out.xml.contains("<w:txbxContent><w:p><w:pPr><w:pStyle w:val=\"Body\"/></w:pPr><w:r><w:t xml:space=\"preserve\">Case PO-7 &amp; 8</w:t></w:r></w:p></w:txbxContent>"))
        #expect(try FormTemplate(path: path).variables.map(\.name).sorted() == ["name", "number", "urgent"])
    }
}
