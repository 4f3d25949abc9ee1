import Foundation
import Testing
import TestSupport
@testable import Advocate
import AdvocateXML

@Suite("Annotating DOCX files")
struct DocxAnnotationTests {
    let annotator = Annotator(glossary: TestSupport.workspace.glossary, language: .en)
    let fixture = TestSupport.root + "/Tests/Fixtures/notice.docx"

    @Test func wordsToKnowAreAppendedAndEverythingElseKept() throws {
        let output = TestSupport.temporaryFolder("docx") + "/out.docx"
        let entries = try annotator.annotate(docx: fixture, to: output)
        // "continuance" is split across two runs in the fixture.
        #expect(entries.map(\.term) == ["prosecutor", "continuance", "arraignment", "protective order"])
        let before = try OfficePackage(path: fixture), after = try OfficePackage(path: output)
        #expect(after.parts.map(\.path) == before.parts.map(\.path))
        for part in before.parts where part.path != "word/document.xml" { #expect(after.data(part.path) == part.data, "\(part.path)") }
        let document = try XMLDocument(bytes: Array(try #require(after.data("word/document.xml"))))
        let paragraphs = try #require(document.root).descendants(named: "p").map { $0.descendants(named: "t").map(\.text).joined() }
        #expect(paragraphs.suffix(5).first == "Words to know")
        #expect(paragraphs.last?.hasPrefix("protective order: ") == true)
        // The section properties stay the body's last child.
        #expect(document.root?.children.first { $0.name == "body" }?.children.last?.name == "sectPr")
    }

    @Test func notAZipPackage() throws {
        let folder = TestSupport.temporaryFolder("docx")
        try "just text".write(toFile: folder + "/fake.docx", atomically: true, encoding: .utf8)
        #expect(throws: AdvocateError.self) { try annotator.annotate(docx: folder + "/fake.docx", to: folder + "/out.docx") }
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.docx"))
    }

    @Test("Hostile packages are refused and nothing is written", arguments: ["bomb", "escape", "no document"])
    func hostile(kind: String) throws {
        let folder = TestSupport.temporaryFolder("docx")
        let parts: [(String, Data)]
        switch kind {
        case "bomb": parts = [("word/document.xml", Data(count: 40 << 20))]
        case "escape": parts = [("../../evil.xml", Data("<x/>".utf8)), ("word/document.xml", Data("<x/>".utf8))]
        default: parts = [("word/other.xml", Data("<x/>".utf8))]
        }
        try OfficePackage(name: "hostile.docx", parts: parts).write(to: folder + "/hostile.docx")
        do {
            try annotator.annotate(docx: folder + "/hostile.docx", to: folder + "/out.docx")
            Issue.record("\(kind) was accepted")
        } catch {
            let expected = ["bomb": "looks like a ZIP bomb", "escape": "leaves the package", "no document": "is not a DOCX document"][kind]!
            #expect(error.description.contains(expected), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.docx"))
    }
}
