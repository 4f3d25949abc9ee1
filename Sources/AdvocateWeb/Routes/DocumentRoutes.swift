internal import Advocate
internal import Foundation
internal import Hummingbird

/// Making a document from a case: choose a form, preview its text, then make it in the format
/// wanted (DOCX, ODT or PDF). The document is stored, sealed, with the case and listed on the
/// case page for download; one carrying the unlocked safe address is downloaded at once and not
/// stored. Every read of the case goes through `CaseService` and is audited.
struct DocumentRoutes {
    let app: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/cases/{id}/documents/new") { _, context in try choose(context: context) }
        router.get("/cases/{id}/documents/preview") { request, context in try preview(request, context: context) }
        router.post("/cases/{id}/documents") { _, context in try await make(context: context) }
        router.get("/cases/{id}/documents/{sequence}") { _, context in try DocumentDownload.response(app: app, context: context) }
    }

    private func signedIn(_ context: WebContext) throws -> SignedIn {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        return session
    }

    func choose(context: WebContext) throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        let id = try context.parameters.require("id")
        let definition = try app.service.definition(ofCase: id, actor: session.actor)
        let choices = app.service.formChoices(for: definition)
        func rows(_ list: [CaseService.FormChoice]) -> [[String: Any]] {
            list.enumerated().map { index, choice in
                ["name": choice.name, "format": choice.format.rawValue.uppercased(), "checked": index == 0 && choice.suggested]
            }
        }
        let suggested = rows(choices.filter(\.suggested))
        let others = rows(choices.filter { !$0.suggested })
        return try app.pages.render(
            "documents", title: text["make_document"],
            data: [
                "caseId": id, "suggested": suggested, "hasSuggested": !suggested.isEmpty, "others": others, "hasOthers": !others.isEmpty,
                "languages": UILanguage.allCases.map { ["value": $0.rawValue, "label": text["language_" + $0.rawValue], "selected": $0 == context.language] },
            ],
            context: context, current: "cases")
    }

    /// What was asked for, from the query (preview) or the posted form (make), with its template.
    private func request(
        form: String?, explain: String?, language: String?, format: String? = nil, includeSafeAddress: Bool = false, session: SignedIn
    ) throws -> (
        DocumentRequest, FormTemplate
    ) {
        guard let form, !form.isEmpty else { throw AdvocateError("Choose a form first.", kind: .invalid) }
        let template = try app.service.forms.template(named: form)
        let own = DocumentFormat(rawValue: template.format.rawValue)!
        let chosen = try format.map { name in
            guard let chosen = DocumentFormat(rawValue: name) else { throw AdvocateError("Choose DOCX, ODT or PDF.", kind: .invalid) }
            return chosen
        } ?? own
        let language = UILanguage(rawValue: language ?? "") ?? .en
        let asked = DocumentRequest(form: template.name, format: chosen, explainTerms: explain == "1", language: language.rawValue, includeSafeAddress: includeSafeAddress,
            unlockedBy: includeSafeAddress ? session.tokenHash : nil)
        return (asked, template)
    }

    func preview(_ request: Request, context: WebContext) throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        let id = try context.parameters.require("id")
        let query = request.uri.queryParameters
        // The session may put the safe address into a document only while it has it unlocked.
        let unlocked = session.hasUnlocked(id, now: app.now)
        let include = query["safe_address"] == "1" && unlocked
        let (asked, template) = try self.request(
            form: query["form"].map(String.init), explain: query["explain"].map(String.init), language: query["language"].map(String.init), includeSafeAddress: include,
            session: session)
        let (preview, missing) = try app.service.previewDocument(id, asked, actor: session.actor)
        let outputs = DocumentFormat.choices(for: template.format, withOffice: OfficeConverter.office() != nil)
        let blocks: [[String: Any]] = preview.blocks.map { block in
            switch block {
            case .heading(let level, let content): ["isHeading": true, "text": content, "level": level]
            case .paragraph(let content): ["isParagraph": true, "lines": content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)]
            case .listItem(let content): ["isItem": true, "text": content]
            case .table(let rows): ["isTable": true, "rows": rows.map { ["cells": $0] }]
            }
        }
        return try app.pages.render(
            "document-preview", title: text["preview"] + ": " + asked.form,
            data: [
                "caseId": id, "form": asked.form, "explain": asked.explainTerms, "language": asked.language, "includeSafeAddress": include,
                "mayIncludeSafeAddress": unlocked, "blocks": blocks, "missing": missing.joined(separator: ", "),
                "hasMissing": !missing.isEmpty,
                "formats": outputs.enumerated().map { index, format in ["value": format.rawValue, "label": format.rawValue.uppercased(), "checked": index == 0] },
                "officeMissing": outputs.count == 1 && template.format != .html,
            ],
            context: context, current: "cases")
    }

    func make(context: WebContext) async throws -> Response {
        let session = try signedIn(context)
        let id = try context.parameters.require("id")
        let form = context.form
        let include = form["safe_address"] == "1" && session.hasUnlocked(id, now: app.now)
        let (asked, _) = try request(form: form["form"], explain: form["explain"], language: form["language"], format: form["format"], includeSafeAddress: include, session: session)
        if include {
            // With the safe address, the file goes to this person now and is not kept with the case.
            let (fileName, bytes) = try await app.offPool { [app] in try app.service.makeDocumentOnce(id, asked, actor: session.actor) }
            return DocumentDownload.response(bytes, fileName: "\(id)-\(fileName)", format: asked.format)
        }
        let document = try await app.offPool { [app] in try app.service.makeDocument(id, asked, actor: session.actor) }
        return Response.redirect(to: "/cases/\(id)?made=\(document.sequence)#documents", type: .normal)
    }
}

/// A stored document's bytes as a download (pages and API alike). The read is audited.
enum DocumentDownload {
    static func response(app: WebServices, context: WebContext) throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        let id = try context.parameters.require("id")
        guard let sequence = Int(try context.parameters.require("sequence")) else { throw HTTPError(.notFound) }
        let documents = try app.service.documents(id, actor: session.actor)
        guard let document = documents.first(where: { $0.sequence == sequence }) else { throw AdvocateError("case \(id) has no document \(sequence)", kind: .notFound) }
        let bytes = try app.service.documentContent(id, sequence: sequence, actor: session.actor)
        return response(bytes, fileName: "\(sequence)-\(document.fileName)", format: DocumentFormat(rawValue: document.format))
    }

    static func response(_ bytes: [UInt8], fileName: String, format: DocumentFormat?) -> Response {
        let safeName = fileName.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) }
        return Response(
            status: .ok,
            headers: [.contentType: format?.mediaType ?? "application/octet-stream", .contentDisposition: "attachment; filename=\"\(safeName)\""],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
