internal import Advocate
internal import AdvocateCore
internal import AdvocateStore
internal import Hummingbird

/// The agenda: overdue, today and the coming week across my cases, court dates first each day.
struct AgendaRoutes {
    let app: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/agenda") { _, context in try agenda(context: context) }
    }

    func agenda(context: WebContext) throws -> Response {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        let text = UIText.for(context.language)
        let today = app.service.today()
        let key = PageCache.Key(page: "agenda", session: session.tokenHash, role: session.account.role.rawValue, language: context.language.rawValue, day: today, revision: try app.service.caseRevision())
        return Pages.response(
            try app.pageCache.page(key) {
                let content = try agendaContent(today: today, session: session, context: context, text: text)
                return try app.pages.body(content: content, title: text["agenda"], context: context, current: "agenda")
            })
    }

    private func agendaContent(today: CivilDate, session: SignedIn, context: WebContext, text: UIText) throws -> String {
        let entries = try app.service.agenda(from: today, days: 7, overdue: true, actor: session.actor)
        let overdue = entries.filter(\.overdue)
        let todays = entries.filter { !$0.overdue && $0.row.due?.date == today }
        let week = entries.filter { !$0.overdue && ($0.row.due?.date ?? today) > today }
        func section(_ id: String, _ items: [CaseService.AgendaEntry], empty: String) -> [String: Any] {
            [
                "id": id, "heading": text[id + "_heading"], "itemsHTML": itemsHTML(items, today: today, language: context.language, text: text), "hasItems": !items.isEmpty,
                "empty": text[empty], "count": items.count,
            ]
        }
        let sections = [section("overdue", overdue, empty: "nothing_overdue"), section("today", todays, empty: "nothing_today"), section("week", week, empty: "nothing_week")]
        return try app.pages.content("agenda", data: ["sections": sections, "today": Dates.long(today, language: context.language)], context: context)
    }

    /// The agenda's items as HTML. An advocate's week can hold hundreds of items, and Mustache
    /// looks each value up through its context stack; this loop writes the same markup as the
    /// rest of the page, every value escaped, in a fraction of the time.
    func itemsHTML(_ entries: [CaseService.AgendaEntry], today: CivilDate, language: UILanguage, text: UIText) -> String {
        var out = ""
        out.reserveCapacity(entries.count * 400)
        var wordsByWorkflow: [String: WorkflowWords] = [:]
        for entry in entries {
            let due = entry.row.due
            let court = entry.row.kind == "court-date"
            let caseId = XMLText.escape(entry.row.caseId)
            out += "<li class=\"agenda-item"
            if entry.overdue { out += " overdue" }
            if court { out += " court" }
            if due?.date == today { out += " today" }
            out += "\">"
            // An overdue court date keeps its court badge: missing a hearing is the worst kind of overdue.
            if entry.overdue { out += "<span class=\"badge badge-overdue\">\(XMLText.escape(text["overdue"]))</span> " }
            if court { out += "<span class=\"badge badge-court\">\(XMLText.escape(text["court_date"]))</span> " }
            if wordsByWorkflow[entry.workflowId] == nil, let loaded = app.service.workspace.workflow(entry.workflowId) {
                wordsByWorkflow[entry.workflowId] = app.service.workspace.words(for: loaded.definition, language: language.rawValue)
            }
            let words = wordsByWorkflow[entry.workflowId]
            let row = entry.row
            let title =
                court ? words?.label(ofField: String(row.key.dropFirst("court:".count)), fallback: row.title)
                : AgendaItem.Kind(rawValue: row.kind).flatMap { kind in words?.title(of: kind, key: row.key, stored: row.title) }
            out += "<a href=\"/cases/\(caseId)\">\(XMLText.escape(title ?? row.title))</a> · \(caseId) · \(XMLText.escape(words?.title ?? entry.workflowId))"
            out += "<p><span class=\"due\"><time datetime=\"\(due?.iso ?? "")\">\(XMLText.escape(due.map { Dates.long($0, language: language) } ?? ""))</time></span> · \(XMLText.escape(entry.row.who))</p>"
            let reasons = due?.reasons ?? []
            if !reasons.isEmpty { out += "<p class=\"reasons\">\(XMLText.escape(reasons.joined(separator: "; ")))</p>" }
            out += "</li>\n"
        }
        return out
    }
}
