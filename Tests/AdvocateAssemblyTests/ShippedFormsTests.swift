import Foundation
import Testing
import TestSupport
import AdvocateXML
@testable import Advocate

/// Every template in Forms/ fills with its fixture data, matches its golden text, keeps special
/// and Spanish characters intact, and opens in LibreOffice.
struct ShippedFormsTests {
    static let library = FormLibrary(workspace: TestSupport.workspace)
    static let forms = library.paths.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
    static let fixtures = TestSupport.root + "/Tests/Fixtures/forms"

    static func filled(_ form: String) throws -> (template: FormTemplate, bytes: [UInt8]) {
        let template = try library.template(form)
        let data = try DataFile.load(path: "\(fixtures)/\(form).yaml")
        let environment = library.environment(data: data, now: LocalDateTime(iso: "2026-11-22T09:00")!)
        return (template, try template.fill(environment))
    }

    static func clientName(_ form: String) throws -> String {
        let data = try DataFile.load(path: "\(fixtures)/\(form).yaml")
        return Environment(data: data, calendar: .usFederal, now: LocalDateTime(iso: "2026-11-22T09:00")!).value(at: "client.name").text
    }

    /// The document's text, one paragraph per line.
    static func text(_ bytes: [UInt8], format: FormTemplate.Format) throws -> String {
        switch format {
        case .html: return String(decoding: bytes, as: UTF8.self)
        case .docx, .odt:
            let package = try OfficePackage(data: Data(bytes), name: "out")
            let part = format == .docx ? "word/document.xml" : "content.xml"
            let document = try XMLDocument(bytes: [UInt8](package.data(part)!))
            var lines: [String] = []
            func walk(_ element: XMLElement) {
                for child in element.children {
                    if child.name == "p" || child.name == "h" { lines.append(child.text) } else { walk(child) }
                }
            }
            walk(document.root!)
            return lines.joined(separator: "\n") + "\n"
        }
    }

    @Test func shipsTheFormatsTheIssueAsksFor() {
        let formats = Self.library.paths.map { ($0 as NSString).pathExtension }
        #expect(formats.filter { $0 == "docx" }.count >= 4)
        #expect(formats.filter { $0 == "odt" }.count >= 2)
        #expect(formats.filter { $0 == "html" }.count >= 2)
    }

    @Test(arguments: forms)
    func fillsWithFixtureDataAndMatchesGolden(form: String) throws {
        let (template, bytes) = try Self.filled(form)
        #expect(Self.library.check(template).isEmpty)
        if template.format != .html {
            // Every part we wrote parses as XML again.
            let package = try OfficePackage(data: Data(bytes), name: form)
            for part in package.parts where part.path.hasSuffix(".xml") {
                #expect(throws: Never.self) { _ = try XMLDocument(bytes: [UInt8](part.data), name: part.path) }
            }
        }
        let text = try Self.text(bytes, format: template.format)
        #expect(!text.contains("{{") && !text.contains("{%"))
        #expect(text.unicodeScalars.contains { $0.value > 0x7F }, "accented fixture text comes through")
        let golden = "\(Self.fixtures)/golden/\(form).txt"
        if ProcessInfo.processInfo.environment["ADVOCATE_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(atPath: Self.fixtures + "/golden", withIntermediateDirectories: true)
            try text.write(toFile: golden, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        #expect(text == expected, "golden text differs; rerun with ADVOCATE_UPDATE_GOLDEN=1 after checking the change")
    }

    @Test func specialCharactersComeThroughIntact() throws {
        let (template, bytes) = try Self.filled("protective-order-petition")
        let text = try Self.text(bytes, format: template.format)
        #expect(text.contains("Rosa & Sons <Tires> on \"Main\""))
        #expect(text.contains("Ana María Núñez"))
    }

    @Test(.enabled(if: OfficeConverter.office() != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext"), "needs LibreOffice and pdftotext"),
        arguments: forms)
    func opensInLibreOffice(form: String) throws {
        let (template, bytes) = try Self.filled(form)
        let pdf = try OfficeConverter.convert(bytes, format: template.format)
        let folder = TestSupport.temporaryFolder("advocate-pdf")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data(pdf).write(to: URL(fileURLWithPath: folder + "/out.pdf"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = [folder + "/out.pdf", folder + "/out.txt"]
        try process.run()
        process.waitUntilExit()
        let text = try String(contentsOfFile: folder + "/out.txt", encoding: .utf8)
        // What the filled document says shows on the page: the client's name where it prints it
        // (a referral without consent leaves it out), else its first line.
        let filled = try Self.text(bytes, format: template.format)
        let name = try Self.clientName(form)
        let expected = filled.contains(name) ? name : String(filled.split(separator: "\n").first { $0.count > 8 } ?? "")
        #expect(!expected.isEmpty && text.contains(expected.prefix(40)), "\(expected)")
        #expect(!text.contains("{{"))
    }
}
