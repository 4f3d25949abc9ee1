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
        let entries = try app.service.agenda(from: today, days: 7, overdue: true, actor: session.actor)
        func row(_ entry: CaseService.AgendaEntry) -> [String: Any] {
            let due = entry.row.due
            var kindLabel = ""
            if entry.overdue { kindLabel = text["overdue"] } else if entry.row.kind == "court-date" { kindLabel = text["court_date"] }
            return [
                "caseId": entry.row.caseId, "title": entry.row.title, "who": entry.row.who, "workflow": app.workflowTitles[entry.workflowId] ?? entry.workflowId,
                "due": due.map { Dates.long($0, language: context.language) } ?? "",
                "dueISO": due?.iso ?? "", "reasons": due?.reasons.joined(separator: "; ") ?? "", "overdue": entry.overdue, "court": entry.row.kind == "court-date",
                "today": due?.date == today, "badge": kindLabel,
            ]
        }
        let overdue = entries.filter(\.overdue).map(row)
        let todays = entries.filter { !$0.overdue && $0.row.due?.date == today }.map(row)
        let week = entries.filter { !$0.overdue && ($0.row.due?.date ?? today) > today }.map(row)
        let sections: [[String: Any]] = [
            ["id": "overdue", "heading": text["overdue_heading"], "items": overdue, "hasItems": !overdue.isEmpty, "empty": text["nothing_overdue"], "count": overdue.count],
            ["id": "today", "heading": text["today_heading"], "items": todays, "hasItems": !todays.isEmpty, "empty": text["nothing_today"], "count": todays.count],
            ["id": "week", "heading": text["week_heading"], "items": week, "hasItems": !week.isEmpty, "empty": text["nothing_week"], "count": week.count],
        ]
        return try app.pages.render(
            "agenda", title: text["agenda"], data: ["sections": sections, "today": Dates.long(today, language: context.language)], context: context, current: "agenda")
    }
}
