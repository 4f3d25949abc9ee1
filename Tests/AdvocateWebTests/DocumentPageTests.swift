import Advocate
import AdvocateStore
import AdvocateWeb
import Foundation
import HTTPTypes
import TestSupport
import HummingbirdTesting
import Testing

@Suite("Web app: making documents")
struct DocumentPageTests {
    @Test("choose a form, preview its text, make it, and download it from the case page")
    func makeADocument() async throws {
        let harness = try WebHarness()
        let id = harness.mariasCase
        try await harness.test { browser in
            try await browser.signIn("maria")
            let choose = try await browser.get("/cases/\(id)/documents/new")
            #expect(choose.status == .ok)
            #expect(try PageStructure.problems(choose.body) == [])
            #expect(choose.body.contains("value=\"protective-order-petition\""))

            let preview = try await browser.get("/cases/\(id)/documents/preview?form=protective-order-petition&explain=1&language=es")
            #expect(preview.status == .ok)
            #expect(try PageStructure.problems(preview.body) == [])
            #expect(preview.body.contains("Rosa Fictional"))
            #expect(!preview.body.contains("Quiet Court"), "the safe address stays out unless unlocked")
            #expect(preview.body.contains("Palabras"), "the Spanish words-to-know section was asked for")

            let made = try await browser.post("/cases/\(id)/documents", [("form", "protective-order-petition"), ("format", "docx"), ("language", "en")])
            #expect(made.status == .seeOther)
            let location = try #require(made.location)
            #expect(location.hasPrefix("/cases/\(id)?made="))
            let casePage = try await browser.get(location)
            #expect(casePage.body.contains("The document is ready"))
            let sequence = try #require(Int(location.split(separator: "=").last?.split(separator: "#").first ?? ""))
            let file = try await browser.get("/cases/\(id)/documents/\(sequence)")
            #expect(file.status == .ok)
            #expect(file.headers[.contentType] == DocumentFormat.docx.mediaType)
            #expect(file.body.utf8.starts(with: Array("PK".utf8)))
        }
        let log = try harness.service.auditLog(.commandLine, caseId: id)
        #expect(log.contains { $0.action == "document.create" && $0.accountName == "maria" })
        #expect(log.contains { $0.action == "case.read" && $0.detail.contains("preview") })
        #expect(!log.contains { $0.action == "case.read-with-safe-address" })
    }

    @Test("the safe address goes into a document only after an unlock, and the read says so in the audit log")
    func safeAddressNeedsAnUnlock() async throws {
        let harness = try WebHarness()
        let id = harness.mariasCase
        try await harness.test { browser in
            try await browser.signIn("maria")
            let asked = try await browser.get("/cases/\(id)/documents/preview?form=protective-order-petition&safe_address=1")
            #expect(asked.status == .ok)
            #expect(!asked.body.contains("Quiet Court"), "asking is not enough")
            try await browser.get("/cases/\(id)")
            try await browser.post("/cases/\(id)/unlock", [("reason", "court-filing")])
            let unlocked = try await browser.get("/cases/\(id)/documents/preview?form=protective-order-petition&safe_address=1")
            #expect(unlocked.body.contains("Quiet Court"))
            // Made with the address, the file comes straight back and is not kept with the case.
            let made = try await browser.post("/cases/\(id)/documents", [("form", "protective-order-petition"), ("format", "docx"), ("safe_address", "1")])
            #expect(made.status == .ok)
            #expect(made.headers[.contentDisposition]?.contains("attachment") == true)
        }
        let stored = try harness.service.documents(id)
        #expect(!stored.isEmpty)
        for document in stored {
            let format = try #require(FormTemplate.Format(path: document.fileName))
            let preview = try DocumentPreview(bytes: try harness.service.documentContent(id, sequence: document.sequence), format: format, name: document.fileName)
            #expect(!"\(preview.blocks)".contains("Quiet Court"), "no stored document holds the safe address")
            #expect(!preview.blocks.isEmpty)
        }
        #expect(try harness.service.auditLog(.commandLine, caseId: id).contains { $0.action == "case.read-with-safe-address" })
    }

    @Test("the service itself refuses the safe address to a signed-in person without a live unlock")
    func serviceChecksTheUnlock() throws {
        let harness = try WebHarness()
        let maria = Actor(account: try harness.service.store.read { try $0.account(named: "maria")!.account }, channel: .web)
        let asked = DocumentRequest(form: "protective-order-petition", format: .docx, includeSafeAddress: true)
        #expect(throws: AdvocateError.self) { try harness.service.makeDocumentOnce(harness.mariasCase, asked, actor: maria) }
        var forged = asked
        forged.unlockedBy = "0000not-a-session"
        #expect(throws: AdvocateError.self) { try harness.service.previewDocument(harness.mariasCase, forged, actor: maria) }
        #expect(!(try harness.service.auditLog(.commandLine, caseId: harness.mariasCase).contains { $0.action == "case.read-with-safe-address" }))
        // The command line holds the store and its key: it needs no unlock.
        let (_, bytes) = try harness.service.makeDocumentOnce(harness.mariasCase, asked, actor: .commandLine)
        let preview = try DocumentPreview(bytes: bytes, format: .docx, name: "petition.docx")
        #expect("\(preview.blocks)".contains("Quiet Court"))
    }

    @Test("another advocate's case cannot be previewed or filled, and an unknown form is a clear error")
    func accessAndBadForms() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            let other = try await browser.get("/cases/\(harness.josCase)/documents/preview?form=referral-letter-shelter")
            #expect(other.status == .forbidden)
            #expect(!other.body.contains("Lena"))
            try await browser.get("/cases/\(harness.mariasCase)")
            let otherMake = try await browser.post("/cases/\(harness.josCase)/documents", [("form", "referral-letter-shelter"), ("format", "docx")])
            #expect(otherMake.status == .forbidden)
            let unknown = try await browser.get("/cases/\(harness.mariasCase)/documents/preview?form=no-such-form")
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.body.contains("no form"))
            // A path names a file outside Forms/: refused, whatever it holds.
            let outside = TestSupport.root + "/Forms/court-date-notice-en.html"
            let byPath = try await browser.get("/cases/\(harness.mariasCase)/documents/preview?form=\(Browser.encode(outside))")
            #expect(byPath.status == .unprocessableContent)
        }
        #expect(try harness.service.documents(harness.josCase).isEmpty)
    }

    @Test("a PDF is made with LibreOffice and stored with the case", .enabled(if: OfficeConverter.office() != nil, "needs LibreOffice"))
    func pdfDocument() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            try await browser.get("/cases/\(harness.mariasCase)")
            let made = try await browser.post("/cases/\(harness.mariasCase)/documents", [("form", "safety-plan"), ("format", "pdf")])
            #expect(made.status == .seeOther)
        }
        let document = try #require(try harness.service.documents(harness.mariasCase).last)
        #expect(document.format == "pdf" && document.fileName == "safety-plan.pdf")
        let bytes = try harness.service.documentContent(harness.mariasCase, sequence: document.sequence)
        #expect(bytes.starts(with: Array("%PDF".utf8)))
    }

    @Test("PDFs asked for at once are all made, a few LibreOffice runs at a time", .enabled(if: OfficeConverter.office() != nil, "needs LibreOffice"))
    func pdfsAtOnce() async throws {
        let harness = try WebHarness()
        let token = try harness.token("maria")
        let asked = 2 * OfficeConverter.slotCount + 1
        try await harness.test { browser in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<asked {
                    group.addTask {
                        try await APIClient.send(browser.client, "POST", "/api/cases/\(harness.mariasCase)/documents", token: token, body: ["form": "safety-plan", "format": "pdf"]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: .created, count: asked))
        }
        let pdfs = try harness.service.documents(harness.mariasCase).filter { $0.format == "pdf" }
        #expect(pdfs.count == asked)
    }
}
