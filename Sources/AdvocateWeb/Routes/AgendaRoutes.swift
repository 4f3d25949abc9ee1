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
        let key = PageCache.Key(page: "agenda", session: session.tokenHash, role: session.account.role.rawValue, language: context.language.rawValue, day: today, revision: try app.service.currentRevision(maxAge: app.revisionMaxAge))
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
        var writer = AgendaWriter(app: app, today: today, language: context.language, text: text)
        func section(_ id: String, _ items: [CaseService.AgendaEntry], _ layout: AgendaWriter.Layout, empty: String) -> [String: Any] {
            [
                "id": id, "heading": text[id + "_heading"], "itemsHTML": writer.html(items, layout), "hasItems": !items.isEmpty,
                "empty": text[empty], "count": items.count,
            ]
        }
        let sections = [
            section("overdue", overdue, .withDates, empty: "nothing_overdue"), section("today", todays, .oneDay, empty: "nothing_today"),
            section("week", week, .underDayHeadings, empty: "nothing_week"),
        ]
        return try app.pages.content("agenda", data: ["sections": sections, "today": Dates.long(today, language: context.language)], context: context)
    }
}

/// Writes the agenda's items as HTML: under a heading per day when asked, then one card per case
/// with its steps, in the order the store gives (court dates first on each day). A case's link,
/// number and workflow appear once per day, not once per step, and a date that a heading gives is
/// not repeated: an advocate's week can hold hundreds of steps across dozens of cases.
///
/// Mustache looks each value up through its context stack; this loop writes the same kind of
/// markup as the rest of the page, every value escaped, in a fraction of the time.
struct AgendaWriter {
    let app: WebServices
    let today: CivilDate
    let language: UILanguage
    let text: UIText
    private var wordsByWorkflow: [String: WorkflowWords?] = [:]

    init(app: WebServices, today: CivilDate, language: UILanguage, text: UIText) {
        self.app = app
        self.today = today
        self.language = language
        self.text = text
    }

    enum Layout {
        /// Steps due on different days, each with its date (overdue ones).
        case withDates
        /// Steps all due on one day that the page already names: times only.
        case oneDay
        /// A heading per day, then that day's cards.
        case underDayHeadings
    }

    mutating func html(_ entries: [CaseService.AgendaEntry], _ layout: Layout) -> String {
        var out = ""
        out.reserveCapacity(entries.count * 200)
        guard layout == .underDayHeadings else {
            cards(entries[...], showDates: layout == .withDates, into: &out)
            return out
        }
        var start = entries.startIndex
        while start < entries.endIndex {
            let day = entries[start].row.due?.date
            let end = entries[start...].firstIndex { $0.row.due?.date != day } ?? entries.endIndex
            if let day {
                out += "<h3 id=\"day-\(day.iso)\">\(XMLText.escape(Dates.long(day, language: language)))</h3>\n"
            }
            cards(entries[start..<end], showDates: day == nil, into: &out)
            start = end
        }
        return out
    }

    /// One list of cards, a card per case in order of its first step.
    private mutating func cards(_ entries: ArraySlice<CaseService.AgendaEntry>, showDates: Bool, into out: inout String) {
        var order: [String] = []
        var byCase: [String: [CaseService.AgendaEntry]] = [:]
        for entry in entries {
            if byCase[entry.row.caseId] == nil { order.append(entry.row.caseId) }
            byCase[entry.row.caseId, default: []].append(entry)
        }
        out += "<ol class=\"agenda\">\n"
        for caseId in order {
            let steps = byCase[caseId] ?? []
            let words = words(for: steps[0].workflowId)
            let id = XMLText.escape(caseId)
            out += "<li class=\"agenda-case\"><p class=\"case-line\"><a href=\"/cases/\(id)\">\(id)</a> · \(XMLText.escape(words?.title ?? steps[0].workflowId))</p>\n<ul>\n"
            for step in steps { item(step, words: words, showDate: showDates, into: &out) }
            out += "</ul></li>\n"
        }
        out += "</ol>\n"
    }

    private func item(_ entry: CaseService.AgendaEntry, words: WorkflowWords?, showDate: Bool, into out: inout String) {
        let row = entry.row
        let due = row.due
        let court = row.kind == "court-date"
        // Hundreds of these: the class names only what sets a step apart.
        var marks: [String] = []
        if entry.overdue { marks.append("overdue") }
        if court { marks.append("court") }
        if due?.date == today { marks.append("today") }
        out += marks.isEmpty ? "<li>" : "<li class=\"\(marks.joined(separator: " "))\">"
        if entry.overdue { out += "<span class=\"badge badge-overdue\">\(XMLText.escape(text["overdue"]))</span> " }
        if court { out += "<span class=\"badge badge-court\">\(XMLText.escape(text["court_date"]))</span> " }
        let title =
            if let field = row.courtDateField {
                words?.label(ofField: field, fallback: row.title)
            } else {
                AgendaItem.Kind(rawValue: row.kind).flatMap { kind in words?.title(of: kind, key: row.key, stored: row.title) }
            }
        out += XMLText.escape(title ?? row.title)
        if let due, showDate || due.hasTime {
            let shown = showDate ? Dates.long(due, language: language) : Dates.time(due.moment.minuteOfDay)
            out += " · <time class=\"due\" datetime=\"\(due.iso)\">\(XMLText.escape(shown))</time>"
        }
        out += " · " + XMLText.escape(ReasonWords.who(row.who, text: text))
        let reasons = ReasonWords.lines(due?.reasons ?? [], language: language)
        if !reasons.isEmpty { out += "<br><span class=\"reasons\">\(XMLText.escape(reasons.joined(separator: "; ")))</span>" }
        out += "</li>\n"
    }

    private mutating func words(for workflowId: String) -> WorkflowWords? {
        if let known = wordsByWorkflow[workflowId] { return known }
        let words = app.service.workspace.workflow(workflowId).map { app.service.workspace.words(for: $0.definition, language: language.rawValue) }
        wordsByWorkflow[workflowId] = words
        return words
    }
}
