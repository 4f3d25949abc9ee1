internal import Advocate
internal import AdvocateCore
internal import AdvocateStore
internal import Foundation
internal import Hummingbird

/// Cases: the list, opening one, its page, sending events, marking steps done, documents, the
/// safe-address unlock and the client's printable page. Every route checks access in the
/// service (`actor`), and every read and write lands in the audit log.
struct CaseRoutes {
    let app: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/cases") { request, context in try list(request, context: context) }
        router.get("/cases/new") { _, context in try chooseWorkflow(context: context) }
        router.get("/cases/new/{workflow}") { _, context in try newCase(context: context) }
        router.post("/cases/new/{workflow}") { _, context in try createCase(context: context) }
        router.get("/cases/{id}") { request, context in
            try await page(context: context, made: request.uri.queryParameters["made"].flatMap { Int(String($0)) })
        }
        router.post("/cases/{id}/events/{event}") { _, context in try sendEvent(context: context) }
        router.post("/cases/{id}/steps/{key}/done") { _, context in try completeStep(context: context) }
        router.post("/cases/{id}/unlock") { _, context in try unlock(context: context) }
        router.post("/cases/{id}/assign") { _, context in try assign(context: context) }
        router.get("/cases/{id}/handout") { _, context in try handout(context: context) }
    }

    private func signedIn(_ context: WebContext) throws -> SignedIn {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        return session
    }

    // MARK: The list

    func list(_ request: Request, context: WebContext) throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        let query = request.uri.queryParameters
        let list = CaseListQuery(query)
        let (workflow, state, advocate, due, page) = (list.workflow, list.state, list.advocate, list.due, list.page)
        let today = app.service.today()
        let pageSize = CaseListQuery.pageSize
        let filter = list.filter(today: today)
        let (cases, total) = try app.service.caseSummaries(filter, actor: session.actor)
        let accounts = try app.service.store.read { try $0.accounts() }
        let names = Dictionary(accounts.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let rows: [[String: Any]] = cases.map { summary in
            let definition = app.service.workspace.workflow(summary.workflowId)?.definition
            let words = definition.map { app.service.workspace.words(for: $0, language: context.language.rawValue) }
            let states = summary.states.keys.sorted().map { trackName in
                let name = summary.states[trackName]!
                guard let words, let track = definition?.track(trackName), let state = track.state(name) else { return name }
                return words.title(ofState: state, in: track)
            }
            return [
                "id": summary.id, "workflow": words?.title ?? summary.workflowId, "states": states.joined(separator: "; "),
                "advocate": summary.advocateId.flatMap { names[$0] } ?? text["unassigned"], "closed": summary.closed,
                "nextDue": summary.nextDueDay.map { Dates.long(CivilDate(dayNumber: $0), language: context.language) } ?? "",
                "overdue": (summary.nextDueDay ?? Int.max) < today.dayNumber,
            ]
        }
        // Stages by workflow, in the page's words: state names are ids, and two workflows may share one.
        var stageMarked = false
        let stateGroups: [[String: Any]] = app.service.workspace.latestWorkflows.map { loaded in
            let words = app.service.workspace.words(for: loaded.definition, language: context.language.rawValue)
            var seen: Set<String> = []
            var options: [[String: Any]] = []
            // Several workflows may have a stage of this id; the filter matches them all, so mark one.
            for track in loaded.definition.tracks {
                for node in track.states where seen.insert(node.name).inserted {
                    let selected = node.name == state && !stageMarked
                    if selected { stageMarked = true }
                    options.append(["name": node.name, "label": words.title(ofState: node, in: track), "selected": selected])
                }
            }
            return ["title": words.title, "states": options]
        }
        var pages: [[String: Any]] = []
        let pageCount = max(1, (total + pageSize - 1) / pageSize)
        if pageCount > 1 {
            for number in max(1, page - 3)...min(pageCount, page + 3) {
                var parameters = query.map { ($0.key, $0.value) }.filter { $0.0 != "page" }.map { "\($0.0)=\(String($0.1).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                parameters.append("page=\(number)")
                pages.append(["number": number, "href": "/cases?" + parameters.joined(separator: "&"), "current": number == page])
            }
        }
        return try app.pages.render(
            "cases", title: text["cases"],
            data: [
                "rows": rows, "total": total, "found": text[total == 1 ? "case_found" : "cases_found"], "hasRows": !rows.isEmpty, "pages": pages, "hasPages": !pages.isEmpty,
                "workflows": app.service.workspace.latestWorkflows.map {
                    ["id": $0.definition.id, "title": app.service.workspace.words(for: $0.definition, language: context.language.rawValue).title, "selected": $0.definition.id == workflow]
                },
                "stateGroups": stateGroups,
                "showAdvocates": session.account.role == .supervisor,
                "advocates": accounts.filter { $0.role == .advocate }.map { ["id": $0.id, "name": $0.name, "selected": $0.id == advocate] },
                "due": ["overdue", "today", "week", "month"].map { ["value": $0, "label": text["due_" + $0], "selected": $0 == due] },
                "canOpen": session.account.role != .admin,
            ],
            context: context, current: "cases")
    }

    // MARK: Opening a case

    func chooseWorkflow(context: WebContext) throws -> Response {
        _ = try signedIn(context)
        let text = UIText.for(context.language)
        let workflows = app.service.workspace.latestWorkflows.map { loaded in
            let words = app.service.workspace.words(for: loaded.definition, language: context.language.rawValue)
            return ["id": loaded.definition.id, "title": words.title, "summary": words.summary]
        }
        return try app.pages.render("choose-workflow", title: text["new_case"], data: ["workflows": workflows], context: context, current: "cases")
    }

    private func workflow(_ context: WebContext) throws -> Workspace.LoadedWorkflow {
        let id = try context.parameters.require("workflow")
        guard let loaded = app.service.workspace.workflow(id) else { throw HTTPError(.notFound, message: UIText.for(context.language)["no_such_workflow"]) }
        return loaded
    }

    func newCase(context: WebContext, values: FormFields = FormFields(), errors: [String: String] = [:], status: HTTPResponse.Status = .ok) throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        if session.account.role == .admin { throw AdvocateError(text["admins_no_cases"], kind: .forbidden) }
        let loaded = try workflow(context)
        let definition = loaded.definition
        let words = app.service.workspace.words(for: definition, language: context.language.rawValue)
        let controls = definition.fields.map { field in
            FieldForm.control(field, required: field.required, value: values[field.name], error: errors[field.name], text: text, words: words)
        }
        let summary = errors.isEmpty ? [] : definition.fields.filter { errors[$0.name] != nil }.map {
            ["id": FieldForm.controlId($0), "label": words.label(ofField: $0.name), "error": errors[$0.name]!]
        }
        return try app.pages.render(
            "new-case", title: text["new_case"] + ": " + words.title,
            data: ["workflow": ["id": definition.id, "title": words.title, "summary": words.summary], "fields": controls, "errors": summary, "hasErrors": !errors.isEmpty],
            context: context, status: status, current: "cases")
    }

    func createCase(context: WebContext) throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        let loaded = try workflow(context)
        let (values, errors) = FieldForm.read(context.form, fields: loaded.definition.fields.map { ($0, $0.required) }, text: text)
        guard errors.isEmpty else { return try newCase(context: context, values: context.form, errors: errors, status: .unprocessableContent) }
        let outcome = try app.service.open(loaded, values: values, actor: session.actor)
        return Response.redirect(to: "/cases/\(outcome.caseId)", type: .normal)
    }

    // MARK: The case page

    func show(
        context: WebContext, eventErrors: (event: String, errors: [String: String], values: FormFields)? = nil, message: String? = nil, made: Int? = nil,
        status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        let id = try context.parameters.require("id")
        let view = try app.service.view(id, actor: session.actor)
        let body = try render(view, session: session, context: context, text: text, eventErrors: eventErrors, message: message, made: made)
        return Pages.response(body, status: status)
    }

    /// The plain case page, kept per session until something in the store changes; the read
    /// is checked and logged every time all the same. A page showing the unlocked safe address
    /// is never kept: the unlock runs out, and the address must not outlive it anywhere.
    /// The case page as a link opens it: the session's kept copy when nothing on it has changed.
    /// A page that says what was just made is built fresh.
    func page(context: WebContext, made: Int?) async throws -> Response {
        let session = try signedIn(context)
        guard made == nil else { return try show(context: context, made: made) }
        return try await keptOrFresh(try context.parameters.require("id"), session: session, context: context, text: UIText.for(context.language))
    }

    private func keptOrFresh(_ id: String, session: SignedIn, context: WebContext, text: UIText) async throws -> Response {
        let today = app.service.today()
        let unlocked = session.hasUnlocked(id, now: app.now)
        func key(_ revision: Int64) -> PageCache.Key {
            PageCache.Key(
                page: "case/" + id, session: session.tokenHash, role: session.account.role.rawValue, language: context.language.rawValue, day: today,
                revision: revision)
        }
        var kept: ByteBuffer?
        let read = try await app.service.view(id, actor: session.actor, revisionMaxAge: app.revisionMaxAge) { revision in
            kept = unlocked ? nil : app.pageCache.kept(key(revision))
            return kept != nil
        }
        switch read {
        case .kept: return Pages.response(kept!)
        case .fresh(let view, let revision):
            let body = try render(view, session: session, context: context, text: text, today: today)
            if !unlocked { app.pageCache.keep(body, for: key(revision)) }
            return Pages.response(body)
        }
    }

    private func render(
        _ view: CaseService.CaseView, session: SignedIn, context: WebContext, text: UIText,
        eventErrors: (event: String, errors: [String: String], values: FormFields)? = nil, message: String? = nil, made: Int? = nil, today: CivilDate? = nil
    ) throws -> ByteBuffer {
        let id = view.details.stored.id
        let page = CasePage(
            details: view.details, documents: view.documents, history: view.history, session: session, app: app, language: context.language, text: text,
            today: today ?? app.service.today())
        var data = page.data(eventErrors: eventErrors)
        var message = message
        // An event sent from a page that was out of date (sent twice, or the case moved on) has
        // no form here to show its error beside: say it at the top.
        if let eventErrors, let error = eventErrors.errors["_"],
            !(data["events"] as? [[String: Any]] ?? []).contains(where: { $0["name"] as? String == eventErrors.event })
        {
            message = error
        }
        data["message"] = message ?? ""
        data["hasMessage"] = message != nil
        // Just made on the documents page: say so, with its link, where the eye lands.
        if let made, let document = view.documents.first(where: { $0.sequence == made }) {
            data["made"] = ["sequence": document.sequence, "name": document.fileName]
        }
        let content = try app.pages.content("case", data: data, context: context)
        return try app.pages.body(content: content, title: text["case"] + " " + id, context: context, current: "cases")
    }

    func sendEvent(context: WebContext) throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        let id = try context.parameters.require("id")
        let event = try context.parameters.require("event")
        let workflow = try app.service.definition(ofCase: id, actor: session.actor)
        guard let definition = workflow.events[event] else { throw AdvocateError(text["no_such_event"], kind: .notFound) }
        let fields = definition.payload.compactMap { payload in workflow.field(payload.field).map { ($0, payload.required && payload.defaultValue == nil) } }
        let (values, errors) = FieldForm.read(context.form, fields: fields, text: text)
        guard errors.isEmpty else { return try show(context: context, eventErrors: (event, errors, context.form), status: .unprocessableContent) }
        // A refused event (not allowed now, a guard, a wrong value) is shown next to its form;
        // anything else (no access, a conflict) becomes the error page.
        let result = Result { () throws(AdvocateError) in try app.service.send(id, event: event, payload: values, actor: session.actor) }
        if case .failure(let error) = result {
            guard error.kind == .invalid else { throw error }
            return try show(context: context, eventErrors: (event, ["_": error.description], context.form), status: .unprocessableContent)
        }
        return Response.redirect(to: "/cases/\(id)#history", type: .normal)
    }

    func completeStep(context: WebContext) throws -> Response {
        let session = try signedIn(context)
        let id = try context.parameters.require("id")
        let key = try context.parameters.require("key")
        let step = key.removingPercentEncoding ?? key
        let result = Result { () throws(AdvocateError) in try app.service.complete(id, step: step, actor: session.actor) }
        if case .failure(let error) = result {
            guard error.kind == .invalid else { throw error }
            // One read, audited once, both to tell why and to show the page.
            let view = try app.service.view(id, actor: session.actor)
            // Only a step that is no longer open gets the plain message; any other refusal is an error.
            guard !view.details.stored.state.items.contains(where: { $0.key == step }) else { throw error }
            // Done already (clicked twice, or by someone else): the page as it is now says so.
            let text = UIText.for(context.language)
            return Pages.response(try render(view, session: session, context: context, text: text, message: text["step_not_open"]), status: .unprocessableContent)
        }
        return Response.redirect(to: "/cases/\(id)#steps", type: .normal)
    }

    /// Shows this case's safe address to this session for a few minutes, with a reason, audited.
    func unlock(context: WebContext) throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        let id = try context.parameters.require("id")
        // A reason from a fixed list: free text could name the client, and the audit log is not sealed.
        guard let reason = context.form["reason"], CasePage.unlockReasons.contains(reason) else {
            return try show(context: context, message: text["unlock_reason_needed"], status: .unprocessableContent)
        }
        try app.service.unlockSafeAddress(id, sessionTokenHash: session.tokenHash, until: app.now + app.configuration.unlockSeconds, reason: reason, actor: session.actor)
        app.sessionCache.forget(session.tokenHash)
        return Response.redirect(to: "/cases/\(id)#facts", type: .normal)
    }

    func assign(context: WebContext) throws -> Response {
        let session = try signedIn(context)
        let id = try context.parameters.require("id")
        let name = context.form["advocate"].flatMap { $0.isEmpty ? nil : $0 }
        try app.service.assign(id, to: name, actor: session.actor)
        return Response.redirect(to: "/cases/\(id)", type: .normal)
    }

    /// A printable page for the client, in her language: where each track stands, what happens
    /// now, and the legal words in it explained.
    func handout(context: WebContext) throws -> Response {
        let session = try signedIn(context)
        let id = try context.parameters.require("id")
        let details = try app.service.details(id, actor: session.actor)
        let clientLanguage: UILanguage = details.stored.state.data["client.language"].map { $0.text.lowercased().hasPrefix("es") || $0.text.lowercased().hasPrefix("span") } == true ? .es : .en
        var handoutContext = context
        handoutContext.session?.account.language = clientLanguage.rawValue
        let text = UIText.for(clientLanguage)
        let data = CasePage.handout(details: details, app: app, language: clientLanguage, text: text)
        return try app.pages.render("handout", title: text["handout_title"], data: data, context: handoutContext)
    }
}
