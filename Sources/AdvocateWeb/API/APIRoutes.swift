internal import Advocate
internal import AdvocateGlossary
internal import Foundation
internal import Hummingbird

/// The JSON API under `/api/`: the same operations as the pages, for scripts, with the same
/// access checks and audit log (they all go through `CaseService` with the caller as actor).
///
/// Scripts authenticate with `Authorization: Bearer TOKEN` (`advocate users token NAME`). A
/// browser's session cookie works too, and then every change needs the `X-CSRF-Token` header.
/// Every operation is described in `openapi.yaml`; a test checks the two agree.
struct APIRoutes {
    let app: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/api/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
        router.get("/api/me") { _, context in try me(context) }
        router.get("/api/agenda") { request, context in try agenda(request, context) }
        router.get("/api/cases") { request, context in try cases(request, context) }
        router.post("/api/cases") { request, context in try await openCase(request, context) }
        router.get("/api/cases/{id}") { _, context in try show(context) }
        router.get("/api/cases/{id}/history") { _, context in try history(context) }
        router.post("/api/cases/{id}/events/{event}") { request, context in try await send(request, context) }
        router.post("/api/cases/{id}/steps/{key}/done") { _, context in try complete(context) }
        router.post("/api/cases/{id}/assign") { request, context in try await assign(request, context) }
        router.get("/api/cases/{id}/documents") { _, context in try documents(context) }
        router.post("/api/cases/{id}/documents") { request, context in try await makeDocument(request, context) }
        router.get("/api/cases/{id}/documents/{sequence}") { _, context in try download(context) }
        router.get("/api/workflows") { _, context in try workflows(context) }
        router.get("/api/workflows/{id}") { _, context in try workflow(context) }
        router.get("/api/glossary") { request, context in try glossarySearch(request, context) }
        router.get("/api/glossary/{slug}") { _, context in try glossaryTerm(context) }
        router.get("/api/audit") { request, context in try audit(request, context) }
        router.get("/api/accounts") { _, context in try accounts(context) }
        router.post("/api/accounts") { request, context in try await addAccount(request, context) }
        router.post("/api/accounts/{id}/role") { request, context in try await setRole(request, context) }
        router.post("/api/accounts/{id}/disable") { _, context in try setDisabled(true, context) }
        router.post("/api/accounts/{id}/enable") { _, context in try setDisabled(false, context) }
    }

    // MARK: Requests and responses

    private func session(_ context: WebContext) throws -> SignedIn {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        return session
    }

    static func json(_ object: Any, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: JSONShapes.encode(object))))
    }

    /// The request body as a JSON object; an empty body is an empty object.
    static func body(_ request: Request, _ context: WebContext) async throws -> [String: Any] {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        if buffer.readableBytes == 0 { return [:] }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        } catch {
            // Only the line and column from the parser's note: the note itself may quote the body.
            let note = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            let position = note.range(of: #"line [0-9]+, column [0-9]+"#, options: .regularExpression).map { " (at \(note[$0]))" } ?? ""
            throw AdvocateError("the request body is not valid JSON" + position, kind: .invalid)
        }
        guard let object = parsed as? [String: Any] else { throw AdvocateError("the request body must be a JSON object", kind: .invalid) }
        return object
    }

    static func fields(_ body: [String: Any], _ key: String = "fields") throws -> [String: Any] {
        guard let value = body[key] else { return [:] }
        guard let fields = value as? [String: Any] else { throw AdvocateError("'\(key)' must be an object of field names and values", kind: .invalid) }
        return fields
    }

    // MARK: Operations

    func me(_ context: WebContext) throws -> Response {
        let account = try session(context).account
        return APIRoutes.json(["id": account.id, "name": account.name, "role": account.role.rawValue, "language": account.language])
    }

    /// A whole number from the query, or nil when it is not given; anything else is refused (422)
    /// with what is accepted, not a silent default.
    static func number(_ text: String?, _ name: String, in range: ClosedRange<Int>) throws(AdvocateError) -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), range.contains(value) else {
            let accepted = range.upperBound == Int.max ? "\(range.lowerBound) or more" : "from \(range.lowerBound) to \(range.upperBound)"
            throw AdvocateError("'\(name)' must be a whole number \(accepted)", kind: .invalid)
        }
        return value
    }

    func agenda(_ request: Request, _ context: WebContext) throws -> Response {
        let query = request.uri.queryParameters
        let from = try query["from"].map { text in
            guard let date = CivilDate(iso: String(text)) else { throw AdvocateError("'from' must be a date written YYYY-MM-DD", kind: .invalid) }
            return date
        } ?? app.service.today()
        let days = try APIRoutes.number(query["days"].map(String.init), "days", in: 1...3660) ?? 7
        let overdueOnly = query["overdue"] == "only"
        let entries = try app.service.agenda(from: from, days: days, overdue: true, overdueOnly: overdueOnly, actor: try session(context).actor)
        return APIRoutes.json(["from": from.iso, "days": days, "entries": entries.map(JSONShapes.agenda)])
    }

    func cases(_ request: Request, _ context: WebContext) throws -> Response {
        let list = CaseListQuery(request.uri.queryParameters)
        let (cases, total) = try app.service.caseSummaries(list.filter(today: app.service.today()), actor: try session(context).actor)
        return APIRoutes.json(["total": total, "page": list.page, "page_size": CaseListQuery.pageSize, "cases": cases.map(JSONShapes.summary)])
    }

    func openCase(_ request: Request, _ context: WebContext) async throws -> Response {
        let actor = try session(context).actor
        let body = try await APIRoutes.body(request, context)
        guard let workflow = body["workflow"] as? String, !workflow.isEmpty else { throw AdvocateError("'workflow' is required: the id of a workflow", kind: .invalid) }
        let outcome = try app.service.open(workflow: workflow, json: try APIRoutes.fields(body), actor: actor)
        var response = APIRoutes.json(JSONShapes.outcome(outcome), status: .created)
        response.headers[.location] = "/api/cases/\(outcome.caseId)"
        return response
    }

    func show(_ context: WebContext) throws -> Response {
        let details = try app.service.details(try context.parameters.require("id"), actor: try session(context).actor)
        // A script never sees a safe address: unlocking is for a person, on the case page.
        return APIRoutes.json(JSONShapes.details(details, unlockSafeAddress: false))
    }

    func history(_ context: WebContext) throws -> Response {
        let journal = try app.service.history(try context.parameters.require("id"), actor: try session(context).actor)
        return APIRoutes.json(["entries": journal.map(JSONShapes.journal)])
    }

    func send(_ request: Request, _ context: WebContext) async throws -> Response {
        let actor = try session(context).actor
        let id = try context.parameters.require("id")
        let event = try context.parameters.require("event")
        let body = try await APIRoutes.body(request, context)
        let outcome = try app.service.send(id, event: event, json: try APIRoutes.fields(body), actor: actor)
        return APIRoutes.json(JSONShapes.outcome(outcome))
    }

    func complete(_ context: WebContext) throws -> Response {
        let key = try context.parameters.require("key")
        let outcome = try app.service.complete(try context.parameters.require("id"), step: key.removingPercentEncoding ?? key, actor: try session(context).actor)
        return APIRoutes.json(JSONShapes.outcome(outcome))
    }

    func assign(_ request: Request, _ context: WebContext) async throws -> Response {
        let actor = try session(context).actor
        let id = try context.parameters.require("id")
        let body = try await APIRoutes.body(request, context)
        guard body.keys.contains("advocate") else { throw AdvocateError("'advocate' is required: an account name, or null for nobody", kind: .invalid) }
        let name = body["advocate"] as? String
        if body["advocate"] is NSNull == false, name == nil { throw AdvocateError("'advocate' must be an account name or null", kind: .invalid) }
        try app.service.assign(id, to: name, actor: actor)
        return APIRoutes.json(["id": id, "advocate": name.map { $0 as Any } ?? NSNull()])
    }

    func documents(_ context: WebContext) throws -> Response {
        let list = try app.service.documents(try context.parameters.require("id"), actor: try session(context).actor)
        return APIRoutes.json(["documents": list.map(JSONShapes.document)])
    }

    func makeDocument(_ request: Request, _ context: WebContext) async throws -> Response {
        let actor = try session(context).actor
        let id = try context.parameters.require("id")
        let body = try await APIRoutes.body(request, context)
        guard let form = body["form"] as? String, !form.isEmpty else { throw AdvocateError("'form' is required: the name of a template in Forms/", kind: .invalid) }
        let template = try app.service.forms.template(named: form)
        let format: DocumentFormat
        if let name = body["format"] as? String {
            guard let chosen = DocumentFormat(rawValue: name) else { throw AdvocateError("'format' must be docx, odt, html or pdf", kind: .invalid) }
            format = chosen
        } else {
            format = DocumentFormat(rawValue: template.format.rawValue)!
        }
        let language = body["language"] as? String ?? "en"
        guard ["en", "es"].contains(language) else { throw AdvocateError("'language' must be en or es", kind: .invalid) }
        let asked = DocumentRequest(form: template.name, format: format, explainTerms: body["explain_terms"] as? Bool ?? false, language: language)
        let document = try await app.offPool { [app] in try app.service.makeDocument(id, asked, actor: actor) }
        var response = APIRoutes.json(JSONShapes.document(document), status: .created)
        response.headers[.location] = "/api/cases/\(id)/documents/\(document.sequence)"
        return response
    }

    func download(_ context: WebContext) throws -> Response {
        try DocumentDownload.response(app: app, context: context)
    }

    func workflows(_ context: WebContext) throws -> Response {
        _ = try session(context)
        return APIRoutes.json(["workflows": app.service.workspace.latestWorkflows.map { JSONShapes.workflow($0.definition) }])
    }

    func workflow(_ context: WebContext) throws -> Response {
        _ = try session(context)
        let id = try context.parameters.require("id")
        guard let loaded = app.service.workspace.workflow(id) else { throw AdvocateError("no workflow '\(id)'", kind: .notFound) }
        let definition = loaded.definition
        var object = JSONShapes.workflow(definition)
        object["summary"] = definition.summary
        object["fields"] = definition.fields.map { ["name": $0.name, "label": $0.label, "type": "\($0.type)", "required": $0.required, "personal": $0.personal, "safe_address": $0.safeAddress] }
        object["events"] = definition.events.keys.sorted().map { name in
            ["name": name, "fields": definition.events[name]!.payload.map { ["name": $0.field, "required": $0.required] }] as [String: Any]
        }
        object["states"] = definition.tracks.flatMap { track in
            track.states.map { ["track": track.name, "name": $0.name, "title": $0.title, "terminal": $0.terminal] as [String: Any] }
        }
        return APIRoutes.json(object)
    }

    func glossarySearch(_ request: Request, _ context: WebContext) throws -> Response {
        _ = try session(context)
        let query = request.uri.queryParameters["q"].map(String.init) ?? ""
        let language: Glossary.Language = request.uri.queryParameters["lang"] == "es" ? .es : .en
        let glossary = app.service.workspace.glossary
        let hits: [(entry: GlossaryEntry, score: Double)] =
            query.isEmpty ? glossary.entries.map { ($0, 1.0) } : glossary.search(query, language: language, limit: 20).map { ($0.entry, Double($0.score)) }
        return APIRoutes.json([
            "terms": hits.map { hit in
                var object = JSONShapes.glossary(hit.entry)
                object["slug"] = GlossaryRoutes.slug(hit.entry)
                object["score"] = hit.score
                return object
            }
        ])
    }

    func glossaryTerm(_ context: WebContext) throws -> Response {
        _ = try session(context)
        let slug = try context.parameters.require("slug")
        guard let entry = app.service.workspace.glossary.entries.first(where: { GlossaryRoutes.slug($0) == slug }) else {
            throw AdvocateError("no glossary term '\(slug)'", kind: .notFound)
        }
        var object = JSONShapes.glossary(entry)
        object["slug"] = slug
        return APIRoutes.json(object)
    }

    func audit(_ request: Request, _ context: WebContext) throws -> Response {
        let query = request.uri.queryParameters
        let limit = try APIRoutes.number(query["limit"].map(String.init), "limit", in: 1...5000) ?? 100
        let before = try APIRoutes.number(query["before"].map(String.init), "before", in: 1...Int.max)
        let records = try app.service.auditLog(try session(context).actor, caseId: query["case"].map(String.init), limit: limit, before: before)
        return APIRoutes.json([
            "records": records.map { r in
                [
                    "sequence": r.sequence, "at": r.at, "account": r.accountName, "account_id": r.accountId ?? NSNull(), "channel": r.channel, "action": r.action,
                    "case": r.caseId ?? NSNull(), "detail": r.detail,
                ] as [String: Any]
            }
        ])
    }
}

/// `openapi.yaml`, read once from the bundle.
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"), let data = FileManager.default.contents(atPath: url.path) else { return [] }
        return [UInt8](data)
    }()
}

// MARK: Accounts (admins)

extension APIRoutes {
    static func account(_ account: Account) -> [String: Any] {
        ["id": account.id, "name": account.name, "role": account.role.rawValue, "language": account.language, "disabled": account.disabled]
    }

    func accounts(_ context: WebContext) throws -> Response {
        let list = try app.service.accounts(actor: try session(context).actor)
        return APIRoutes.json(["accounts": list.map(APIRoutes.account)])
    }

    func addAccount(_ request: Request, _ context: WebContext) async throws -> Response {
        let actor = try session(context).actor
        try app.service.requireAccountManager(actor)
        let body = try await APIRoutes.body(request, context)
        guard let name = body["name"] as? String else { throw AdvocateError("'name' is required", kind: .invalid) }
        guard let role = (body["role"] as? String).flatMap(AccountRole.init) else { throw AdvocateError("'role' must be advocate, supervisor or admin", kind: .invalid) }
        let language = body["language"] as? String ?? "en"
        guard let password = body["password"] as? String else { throw AdvocateError("'password' is required", kind: .invalid) }
        if let problem = Passwords.problem(with: password, name: name) { throw AdvocateError("password refused: \(problem)", kind: .invalid) }
        if let problem = CaseService.problem(withAccountName: name) { throw AdvocateError(problem, kind: .invalid) }
        let hash = try await AccountRoutes.hash(password)
        let account = try app.service.addAccount(name: name, role: role, language: language, passwordHash: hash, actor: actor)
        return APIRoutes.json(APIRoutes.account(account), status: .created)
    }

    func setRole(_ request: Request, _ context: WebContext) async throws -> Response {
        let actor = try session(context).actor
        let id = try context.parameters.require("id")
        let body = try await APIRoutes.body(request, context)
        guard let role = (body["role"] as? String).flatMap(AccountRole.init) else { throw AdvocateError("'role' must be advocate, supervisor or admin", kind: .invalid) }
        try app.service.setRole(accountId: id, role, actor: actor)
        return APIRoutes.json(APIRoutes.account(try app.service.account(id: id, actor: actor)))
    }

    func setDisabled(_ disabled: Bool, _ context: WebContext) throws -> Response {
        let actor = try session(context).actor
        let id = try context.parameters.require("id")
        try app.service.setDisabled(accountId: id, disabled, actor: actor)
        return APIRoutes.json(APIRoutes.account(try app.service.account(id: id, actor: actor)))
    }
}
