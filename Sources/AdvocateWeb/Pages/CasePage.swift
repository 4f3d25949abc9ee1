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
    /// The day overdue marks are counted from (read once per request, with the page's cache key).
    let today: CivilDate

    var state: CaseState { details.stored.state }
    var definition: WorkflowDefinition { details.definition }
    /// The workflow's titles and texts in the page's language.
    let words: WorkflowWords

    init(
        details: CaseService.CaseDetails, documents: [StoredDocument], history: [JournalEntry], session: SignedIn, app: WebServices, language: UILanguage,
        text: UIText, today: CivilDate
    ) {
        self.details = details
        self.documents = documents
        self.history = history
        self.session = session
        self.app = app
        self.language = language
        self.text = text
        self.today = today
        self.words = app.service.workspace.words(for: details.definition, language: language.rawValue)
    }

    /// Why an advocate may show a safe address; the choice goes to the audit log.
    static let unlockReasons = ["court-filing", "safety-planning", "client-request", "emergency"]

    /// Whether this session unlocked this case's safe address and the unlock has not run out.
    var safeAddressUnlocked: Bool {
        session.hasUnlocked(details.stored.id, now: app.now)
    }

    func data(eventErrors: (event: String, errors: [String: String], values: FormFields)?) -> [String: Any] {
        let stored = details.stored
        let facts: [[String: Any]] = definition.fields.compactMap { field in
            guard let value = state.data[field.name], !value.isNull else { return nil }
            let locked = field.safeAddress && !safeAddressUnlocked
            return [
                "label": words.label(ofField: field.name), "value": locked ? "" : FieldForm.display(value, field: field, text: text, language: language, words: words), "locked": locked,
                "personal": field.personal,
            ]
        }
        let hasSafeAddress = definition.fields.contains { $0.safeAddress && !(state.data[$0.name]?.isNull ?? true) }
        let tracks: [[String: Any]] = definition.tracks.map { track in
            let current = state.tracks[track.name]
            let stateDefinition = track.states.first { $0.name == current }
            return [
                "name": track.name, "title": words.title(ofTrack: track), "state": stateDefinition.map { words.title(ofState: $0, in: track) } ?? current ?? "",
                "client": stateDefinition.map { words.client($0, in: track) } ?? "",
                "svg": TrackDiagram.svg(track, words: words, current: current, visited: visitedStates(track), now: text["diagram_now"]),
            ]
        }
        let steps: [[String: Any]] = state.items.sorted { ($0.due?.moment ?? .distantFuture) < ($1.due?.moment ?? .distantFuture) }.map { item in
            let overdue = item.due.map { $0.date < today } ?? false
            let checklist = stepDefinition(item).map { words.checklist(ofStep: $0.id) } ?? []
            return [
                "key": item.key, "keyPath": item.key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? item.key, "title": words.title(of: item), "who": ReasonWords.who(item.who, text: text), "kind": item.kind.rawValue,
                "due": item.due.map { Dates.long($0, language: language) } ?? text["no_date"],
                "dueISO": item.due?.iso ?? "", "reasons": ReasonWords.lines(item.due?.reasons ?? [], language: language), "hasReasons": !(item.due?.reasons.isEmpty ?? true), "overdue": overdue,
                "checklist": checklist, "hasChecklist": !checklist.isEmpty,
            ]
        }
        let events: [[String: Any]] = possibleEvents().map { event in
            let errors = eventErrors?.event == event.name ? eventErrors!.errors : [:]
            let values = eventErrors?.event == event.name ? eventErrors!.values : FormFields()
            let fields = event.payload.compactMap { payload in
                definition.field(payload.field).map { field in
                    FieldForm.control(
                        field, required: payload.required && payload.defaultValue == nil,
                        value: values[field.name] ?? (field.safeAddress ? nil : state.data[field.name].map(FieldForm.formValue)), error: errors[field.name], text: text,
                        words: words, form: event.name)
                }
            }
            return [
                "name": event.name, "title": words.title(ofEvent: event.name), "fields": fields, "hasFields": !fields.isEmpty, "open": !errors.isEmpty, "error": errors["_"] ?? "",
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
            "id": stored.id, "workflow": words.title, "version": stored.workflowVersion, "closed": stored.closed, "facts": facts,
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
        case .open(let data): return text["history_opened"] + " · \(data.count) " + text[data.count == 1 ? "history_detail" : "history_details"]
        case .event(let name, let payload):
            let title = words.title(ofEvent: name)
            let fields = payload.keys.sorted().map { words.label(ofField: $0) }
            return fields.isEmpty ? title : title + " — " + text["history_set"] + " " + fields.joined(separator: ", ")
        case .completeStep(let key): return text["history_done"] + " " + words.title(ofStep: key, fallback: definition.steps[key]?.title ?? key)
        case .tick: return text["history_tick"]
        }
    }

    /// The client's page: where things stand and what happens next, with the legal words explained.
    static func handout(details: CaseService.CaseDetails, app: WebServices, language: UILanguage, text: UIText) -> [String: Any] {
        let state = details.stored.state
        let definition = details.definition
        let words = app.service.workspace.words(for: definition, language: language.rawValue)
        var paragraphs: [[String: Any]] = []
        var allText = words.summary
        for track in definition.tracks {
            guard let current = state.tracks[track.name], let node = track.states.first(where: { $0.name == current }) else { continue }
            let client = words.client(node, in: track)
            paragraphs.append(["title": words.title(ofTrack: track), "text": client])
            allText += "\n" + client
        }
        let dates: [[String: Any]] = state.items.filter { $0.who.contains("client") && $0.due != nil }.map { item in
            ["title": words.title(of: item), "due": Dates.long(item.due!, language: language)]
        }
        var courtDates: [[String: Any]] = []
        for field in definition.fields where field.courtDate && definition.courtDateMatters(field.name, in: state) {
            let label = words.label(ofField: field.name)
            switch state.data[field.name] {
            case .date(let d)?: courtDates.append(["title": label, "due": Dates.long(d, language: language)])
            case .dateTime(let t)?: courtDates.append(["title": label, "due": Dates.long(t, language: language)])
            default: break
            }
        }
        let glossaryLanguage: Glossary.Language = language == .es ? .es : .en
        let annotator = Annotator(glossary: app.service.workspace.glossary, language: glossaryLanguage, matching: [.en, .es])
        let terms = annotator.terms(in: allText).map { entry in
            ["term": entry.term(in: glossaryLanguage), "definition": entry.definition(in: glossaryLanguage)]
        }
        return [
            "workflow": words.title, "summary": words.summary, "paragraphs": paragraphs, "dates": courtDates + dates, "hasDates": !(courtDates + dates).isEmpty,
            "terms": terms, "hasTerms": !terms.isEmpty, "caseId": details.stored.id,
        ]
    }
}

extension LocalDateTime {
    static var distantFuture: LocalDateTime { LocalDateTime(totalMinutes: Int.max / 4) }
}

/// A track drawn as inline SVG: states left to right by distance from the start, the ends in the
/// last column, the current one filled, with arrows for transitions. An arrow to a later column is straight; one within a
/// column bends out to the right; one back to an earlier column is a dashed arc under the boxes.
/// Only presentation attributes and classes, no inline styles, so the page's Content-Security-Policy holds.
enum TrackDiagram {
    static let width = 150, height = 44, gapX = 40, gapY = 18

    /// `words` gives the titles in the page's language; `now` marks the current state for screen readers.
    static func svg(_ track: TrackDefinition, words: WorkflowWords, current: String?, visited: Set<String>, now: String) -> String {
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
        // Ends go in a last column of their own: many states can end a track, and arrows from
        // each of them back to an early column would cross the whole drawing.
        let lastWorking = track.states.filter { !$0.terminal }.compactMap { level[$0.name] }.max() ?? 0
        for state in track.states where state.terminal { level[state.name] = lastWorking + 1 }
        let deepest = (level.values.max() ?? 0) + 1
        for state in track.states where level[state.name] == nil { level[state.name] = deepest }
        var rows: [Int: Int] = [:]
        var position: [String: (x: Int, y: Int)] = [:]
        for state in track.states {
            let column = level[state.name]!
            let row = rows[column, default: 0]
            rows[column] = row + 1
            position[state.name] = (column * (width + gapX) + 10, row * (height + gapY) + 10)
        }
        let boxesBottom = (rows.values.max() ?? 1) * (height + gapY)
        var arcs = 0
        var edges = ""
        let marker = "marker-end=\"url(#arrow-\(XMLText.escape(track.name)))\""
        for state in track.states {
            var seen: Set<String> = []
            for target in targets[state.name] ?? [] where target != state.name && seen.insert(target).inserted {
                guard let from = position[state.name], let to = position[target] else { continue }
                if to.x > from.x {
                    edges += "<path class=\"edge\" d=\"M \(from.x + width) \(from.y + height / 2) L \(to.x) \(to.y + height / 2)\" \(marker)/>"
                } else if to.x == from.x {
                    let bend = from.x + width + gapX / 2
                    edges += "<path class=\"edge\" d=\"M \(from.x + width) \(from.y + height / 2) C \(bend) \(from.y + height / 2), \(bend) \(to.y + height / 2), \(to.x + width) \(to.y + height / 2)\" \(marker)/>"
                } else {
                    // Each arc goes a little lower than the last, so two arcs never draw over each other.
                    arcs += 1
                    let depth = boxesBottom + 6 + arcs * 10
                    edges += "<path class=\"edge back\" d=\"M \(from.x + width / 2) \(from.y + height) C \(from.x + width / 2) \(depth), \(to.x + width / 2) \(depth), \(to.x + width / 2) \(to.y + height)\" \(marker)/>"
                }
            }
        }
        let totalWidth = ((level.values.max() ?? 0) + 1) * (width + gapX) + 10
        let totalHeight = boxesBottom + 10 + arcs * 10
        var out = "<svg class=\"track-diagram\" viewBox=\"0 0 \(totalWidth) \(totalHeight)\" role=\"img\" aria-label=\"\(XMLText.escape(words.title(ofTrack: track)))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<defs><marker id=\"arrow-\(XMLText.escape(track.name))\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#595959\"/></marker></defs>"
        out += edges
        for state in track.states {
            let (x, y) = position[state.name]!
            var classes = "state"
            if state.name == current { classes += " current" } else if visited.contains(state.name) { classes += " done" }
            if state.terminal { classes += " terminal" }
            let title = words.title(ofState: state, in: track)
            let label = title.count > 22 ? String(title.prefix(21)) + "…" : title
            out += "<g class=\"\(classes)\"><title>\(XMLText.escape(title))\(state.name == current ? " (\(XMLText.escape(now)))" : "")</title>"
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
