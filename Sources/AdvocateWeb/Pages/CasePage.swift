internal import Advocate
internal import AdvocateCore
internal import AdvocateGlossary
internal import AdvocateStore
internal import AdvocateXML
internal import Foundation

/// The data the case page shows: the facts, each track with its diagram, the next steps with
/// the reasons for their dates, the events possible now, the documents and the history.
struct CasePage {
    let details: CaseService.CaseDetails
    let documents: [StoredDocument]
    let history: [JournalEntry]
    let session: SignedIn
    let app: WebServices
    let language: UILanguage
    let text: UIText

    var state: CaseState { details.stored.state }
    var definition: WorkflowDefinition { details.definition }

    /// Why an advocate may show a safe address; the choice goes to the audit log.
    static let unlockReasons = ["court-filing", "safety-planning", "client-request", "emergency"]

    /// Whether this session unlocked this case's safe address and the unlock has not run out.
    var safeAddressUnlocked: Bool {
        session.hasUnlocked(details.stored.id, now: app.now)
    }

    func data(eventErrors: (event: String, errors: [String: String], values: FormFields)?) -> [String: Any] {
        let stored = details.stored
        let today = app.service.today()
        let facts: [[String: Any]] = definition.fields.compactMap { field in
            guard let value = state.data[field.name], !value.isNull else { return nil }
            let locked = field.safeAddress && !safeAddressUnlocked
            return [
                "label": field.label, "value": locked ? "" : FieldForm.display(value, field: field, text: text, language: language), "locked": locked,
                "personal": field.personal,
            ]
        }
        let hasSafeAddress = definition.fields.contains { $0.safeAddress && !(state.data[$0.name]?.isNull ?? true) }
        let tracks: [[String: Any]] = definition.tracks.map { track in
            let current = state.tracks[track.name]
            let stateDefinition = track.states.first { $0.name == current }
            return [
                "name": track.name, "title": track.title, "state": stateDefinition?.title ?? current ?? "", "client": stateDefinition?.client ?? "",
                "svg": TrackDiagram.svg(track, current: current, visited: visitedStates(track)),
            ]
        }
        let steps: [[String: Any]] = state.items.sorted { ($0.due?.moment ?? .distantFuture) < ($1.due?.moment ?? .distantFuture) }.map { item in
            let overdue = item.due.map { $0.date < today } ?? false
            return [
                "key": item.key, "keyPath": item.key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? item.key, "title": item.title, "who": item.who, "kind": item.kind.rawValue,
                "due": item.due.map { Dates.long($0, language: language) } ?? text["no_date"],
                "dueISO": item.due?.iso ?? "", "reasons": item.due?.reasons ?? [], "hasReasons": !(item.due?.reasons.isEmpty ?? true), "overdue": overdue,
                "checklist": stepDefinition(item)?.checklist ?? [], "hasChecklist": !(stepDefinition(item)?.checklist.isEmpty ?? true),
            ]
        }
        let events: [[String: Any]] = possibleEvents().map { event in
            let errors = eventErrors?.event == event.name ? eventErrors!.errors : [:]
            let values = eventErrors?.event == event.name ? eventErrors!.values : FormFields()
            let fields = event.payload.compactMap { payload in
                definition.field(payload.field).map { field in
                    FieldForm.control(
                        field, required: payload.required && payload.defaultValue == nil,
                        value: values[field.name] ?? (field.safeAddress ? nil : state.data[field.name].map(FieldForm.formValue)), error: errors[field.name], text: text)
                }
            }
            return [
                "name": event.name, "title": event.title, "fields": fields, "hasFields": !fields.isEmpty, "open": !errors.isEmpty, "error": errors["_"] ?? "",
                "hasError": errors["_"] != nil,
            ]
        }
        let historyRows: [[String: Any]] = history.reversed().map { entry in
            ["sequence": entry.sequence, "at": Dates.long(entry.at, language: language), "what": describe(entry.input)]
        }
        let documentRows: [[String: Any]] = documents.map { document in
            [
                "sequence": document.sequence, "name": document.fileName, "format": document.format.uppercased(), "size": max(1, document.size / 1024),
                "missing": document.missing.joined(separator: ", "), "hasMissing": !document.missing.isEmpty,
            ]
        }
        var data: [String: Any] = [
            "id": stored.id, "workflow": definition.title, "version": stored.workflowVersion, "closed": stored.closed, "facts": facts,
            "hasSafeAddress": hasSafeAddress, "unlocked": safeAddressUnlocked, "tracks": tracks, "steps": steps, "hasSteps": !steps.isEmpty, "events": events,
            "hasEvents": !events.isEmpty, "history": historyRows, "documents": documentRows, "hasDocuments": !documentRows.isEmpty,
            "isSupervisor": session.account.role == .supervisor,
            "unlockReasons": CasePage.unlockReasons.map { ["value": $0, "label": text["reason_" + $0]] },
        ]
        if session.account.role == .supervisor, let accounts = try? app.service.store.read({ try $0.accounts() }) {
            data["advocates"] = accounts.filter { $0.role == .advocate && !$0.disabled }.map { ["name": $0.name, "selected": $0.id == stored.advocateId] }
        }
        if let advocate = stored.advocateId, let account = try? app.service.store.read({ try $0.account(id: advocate) }) {
            data["advocate"] = account.name
        }
        return data
    }

    private func stepDefinition(_ item: AgendaItem) -> StepDefinition? {
        definition.steps[item.key] ?? definition.steps[item.key.split(separator: ":").last.map(String.init) ?? ""]
    }

    /// States the case has been in, from its history of track positions (entry effects run once).
    private func visitedStates(_ track: TrackDefinition) -> Set<String> {
        guard let current = state.tracks[track.name], let index = track.states.firstIndex(where: { $0.name == current }) else { return [] }
        return Set(track.states[..<index].map(\.name))
    }

    /// Events the current states have a transition for, plus those allowed at any time.
    func possibleEvents() -> [EventDefinition] {
        guard !state.closed else { return [] }
        var names: Set<String> = []
        for track in definition.tracks {
            guard let current = state.tracks[track.name], let node = track.states.first(where: { $0.name == current }), !node.terminal else { continue }
            names.formUnion(node.transitions.keys)
        }
        for (name, event) in definition.events where event.anytime { names.insert(name) }
        return names.sorted().compactMap { definition.events[$0] }
    }

    private func describe(_ input: CaseInput) -> String {
        switch input {
        case .open(let data): return text["history_opened"] + " (\(data.count))"
        case .event(let name, let payload):
            let title = definition.events[name]?.title ?? name
            let fields = payload.keys.sorted().map { definition.field($0)?.label ?? $0 }
            return fields.isEmpty ? title : title + " — " + text["history_set"] + " " + fields.joined(separator: ", ")
        case .completeStep(let key): return text["history_done"] + " " + (definition.steps[key]?.title ?? key)
        case .tick: return text["history_tick"]
        }
    }

    /// The client's page: where things stand and what happens next, with the legal words explained.
    static func handout(details: CaseService.CaseDetails, app: WebServices, language: UILanguage, text: UIText) -> [String: Any] {
        let state = details.stored.state
        let definition = details.definition
        var paragraphs: [[String: Any]] = []
        var allText = definition.summary
        for track in definition.tracks {
            guard let current = state.tracks[track.name], let node = track.states.first(where: { $0.name == current }) else { continue }
            paragraphs.append(["title": track.title, "text": node.client])
            allText += "\n" + node.client
        }
        let dates: [[String: Any]] = state.items.filter { $0.who.contains("client") && $0.due != nil }.map { item in
            ["title": item.title, "due": Dates.long(item.due!, language: language)]
        }
        var courtDates: [[String: Any]] = []
        for field in definition.fields where field.courtDate {
            switch state.data[field.name] {
            case .date(let d)?: courtDates.append(["title": field.label, "due": Dates.long(d, language: language)])
            case .dateTime(let t)?: courtDates.append(["title": field.label, "due": Dates.long(t, language: language)])
            default: break
            }
        }
        let glossaryLanguage: Glossary.Language = language == .es ? .es : .en
        let annotator = Annotator(glossary: app.service.workspace.glossary, language: glossaryLanguage, matching: [.en, .es])
        let terms = annotator.terms(in: allText).map { entry in
            ["term": entry.term(in: glossaryLanguage), "definition": entry.definition(in: glossaryLanguage)]
        }
        return [
            "workflow": definition.title, "summary": definition.summary, "paragraphs": paragraphs, "dates": courtDates + dates, "hasDates": !(courtDates + dates).isEmpty,
            "terms": terms, "hasTerms": !terms.isEmpty, "caseId": details.stored.id,
        ]
    }
}

extension LocalDateTime {
    static var distantFuture: LocalDateTime { LocalDateTime(totalMinutes: Int.max / 4) }
}

/// A track drawn as inline SVG: states left to right by distance from the start, the current
/// one filled, with arrows for transitions. Only presentation attributes and classes, no
/// inline styles, so the page's Content-Security-Policy holds.
enum TrackDiagram {
    static func svg(_ track: TrackDefinition, current: String?, visited: Set<String>) -> String {
        // Columns by breadth-first distance from the start; unreachable states go last.
        var level: [String: Int] = [track.start: 0]
        var queue = [track.start]
        let targets: [String: [String]] = Dictionary(
            uniqueKeysWithValues: track.states.map { state in
                (state.name, state.transitions.values.flatMap { $0.compactMap(\.target) } + state.timers.compactMap(\.target))
            })
        while !queue.isEmpty {
            let name = queue.removeFirst()
            for target in targets[name] ?? [] where level[target] == nil {
                level[target] = level[name]! + 1
                queue.append(target)
            }
        }
        let deepest = (level.values.max() ?? 0) + 1
        for state in track.states where level[state.name] == nil { level[state.name] = deepest }
        var rows: [Int: Int] = [:]
        var position: [String: (x: Int, y: Int)] = [:]
        let width = 150, height = 44, gapX = 40, gapY = 18
        for state in track.states {
            let column = level[state.name]!
            let row = rows[column, default: 0]
            rows[column] = row + 1
            position[state.name] = (column * (width + gapX) + 10, row * (height + gapY) + 10)
        }
        let totalWidth = ((level.values.max() ?? 0) + 1) * (width + gapX) + 10
        let totalHeight = (rows.values.max() ?? 1) * (height + gapY) + 10
        var out = "<svg class=\"track-diagram\" viewBox=\"0 0 \(totalWidth) \(totalHeight)\" role=\"img\" aria-label=\"\(XMLText.escape(track.title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<defs><marker id=\"arrow-\(XMLText.escape(track.name))\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#595959\"/></marker></defs>"
        for state in track.states {
            for target in Set(targets[state.name] ?? []) where target != state.name {
                guard let from = position[state.name], let to = position[target] else { continue }
                let forward = to.x > from.x
                let x1 = forward ? from.x + width : from.x, x2 = forward ? to.x : to.x + width
                out += "<path class=\"edge\" d=\"M \(x1) \(from.y + height / 2) L \(x2) \(to.y + height / 2)\" marker-end=\"url(#arrow-\(XMLText.escape(track.name)))\"/>"
            }
        }
        for state in track.states {
            let (x, y) = position[state.name]!
            var classes = "state"
            if state.name == current { classes += " current" } else if visited.contains(state.name) { classes += " done" }
            if state.terminal { classes += " terminal" }
            let label = state.title.count > 22 ? String(state.title.prefix(21)) + "…" : state.title
            out += "<g class=\"\(classes)\"><title>\(XMLText.escape(state.title))\(state.name == current ? " (now)" : "")</title>"
            out += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(width)\" height=\"\(height)\" rx=\"6\"/>"
            out += "<text x=\"\(x + width / 2)\" y=\"\(y + height / 2 + 4)\" text-anchor=\"middle\">\(XMLText.escape(label))</text></g>"
        }
        return out + "</svg>"
    }
}

enum XMLText {
    /// `text` escaped for XML content or a double-quoted attribute.
    static func escape(_ text: String) -> String {
        var out: [UInt8] = []
        XMLEscape.attribute(text, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
