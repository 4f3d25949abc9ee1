internal import Advocate
internal import AdvocateGlossary
internal import Foundation
internal import Hummingbird
internal import Synchronization

/// The glossary: search (and search-as-you-type through a small JSON route), a page per term
/// in English and Spanish, and a printable handout.
struct GlossaryRoutes {
    let app: WebServices
    /// Suggestions already written, by language and what was typed. The glossary does not change
    /// while the server runs, and people type the same first letters all day.
    let suggestions = SuggestionCache()

    var glossary: Glossary { app.service.workspace.glossary }

    func register(on router: Router<WebContext>) {
        router.get("/glossary") { request, context in try search(request, context: context) }
        router.get("/glossary/complete") { request, _ in complete(request) }
        router.get("/glossary/handout") { request, context in try handout(request, context: context) }
        router.get("/glossary/{id}") { _, context in try term(context: context) }
    }

    static func slug(_ entry: GlossaryEntry) -> String {
        entry.term.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    private func entry(slug: String) -> GlossaryEntry? {
        glossary.entries.first { GlossaryRoutes.slug($0) == slug }
    }

    func search(_ request: Request, context: WebContext) throws -> Response {
        let text = UIText.for(context.language)
        let query = request.uri.queryParameters["q"].map(String.init) ?? ""
        let language: Glossary.Language = context.language == .es ? .es : .en
        var results: [[String: Any]] = []
        var note = ""
        if !query.trimmingCharacters(in: .whitespaces).isEmpty {
            // A term may be typed in either language (the hint says so); results are shown in the page's.
            let languages: [Glossary.Language] = language == .es ? [.es, .en] : [.en, .es]
            func add(_ entry: GlossaryEntry) {
                if !results.contains(where: { ($0["slug"] as? String) == GlossaryRoutes.slug(entry) }) { results.append(row(entry, language)) }
            }
            var corrected: GlossaryEntry?
            for each in languages {
                switch glossary.lookup(query, language: each) {
                case .found(let entry): add(entry)
                case .corrected(let entry, _): corrected = corrected ?? entry
                case .suggestions, .notFound: break
                }
            }
            // A spelling correction only when the words as typed match nothing in either language.
            if results.isEmpty, let corrected {
                add(corrected)
                note = text["showing_correction"]
            }
            for each in languages {
                for hit in glossary.search(query, language: each, limit: 20) { add(hit.entry) }
            }
        }
        let all = glossary.entries.sorted { $0.term(in: language).lowercased() < $1.term(in: language).lowercased() }.map { row($0, language) }
        return try app.pages.render(
            "glossary", title: text["glossary"],
            data: [
                "query": query, "results": results, "hasQuery": !query.isEmpty, "hasResults": !results.isEmpty, "note": note, "hasNote": !note.isEmpty, "all": all,
                "resultCount": results.count,
            ], context: context, current: "glossary")
    }

    private func row(_ entry: GlossaryEntry, _ language: Glossary.Language) -> [String: Any] {
        ["slug": GlossaryRoutes.slug(entry), "term": entry.term(in: language), "definition": entry.definition(in: language)]
    }

    /// Up to 8 completions, as JSON, for the search box's suggestions.
    func complete(_ request: Request) -> Response {
        let prefix = request.uri.queryParameters["q"].map(String.init) ?? ""
        let language: Glossary.Language = request.uri.queryParameters["lang"] == "es" ? .es : .en
        let body = suggestions.body(for: prefix, language: language) {
            let entries = prefix.isEmpty ? [] : glossary.complete(prefix, language: language, limit: 8)
            // Asked for at every keystroke: written directly rather than through JSONSerialization.
            let items = entries.map { "{\"slug\":\(GlossaryRoutes.jsonString(GlossaryRoutes.slug($0))),\"term\":\(GlossaryRoutes.jsonString($0.term(in: language)))}" }
            return ByteBuffer(string: "[" + items.joined(separator: ",") + "]")
        }
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: body))
    }

    /// `text` as a JSON string literal.
    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20 || scalar == "<" || scalar == ">" || scalar == "&":
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    func term(context: WebContext) throws -> Response {
        let text = UIText.for(context.language)
        guard let entry = entry(slug: try context.parameters.require("id")) else { throw HTTPError(.notFound, message: text["no_such_term"]) }
        let related = entry.related.compactMap { glossary.entry(named: $0) }.map { ["slug": GlossaryRoutes.slug($0), "term": $0.term(in: context.language == .es ? .es : .en)] }
        return try app.pages.render(
            "term", title: entry.term,
            data: [
                "term": entry.term, "definition": entry.definition, "example": entry.example, "aliases": entry.aliases.joined(separator: ", "),
                "hasAliases": !entry.aliases.isEmpty, "es": ["term": entry.spanish.term, "definition": entry.spanish.definition, "example": entry.spanish.example],
                "related": related, "hasRelated": !related.isEmpty,
            ], context: context, current: "glossary")
    }

    func handout(_ request: Request, context: WebContext) throws -> Response {
        let text = UIText.for(context.language)
        let language: Glossary.Language = request.uri.queryParameters["lang"] == "es" ? .es : (request.uri.queryParameters["lang"] == "en" ? .en : (context.language == .es ? .es : .en))
        let categories = glossary.categories.map { category in
            [
                "title": language == .es ? category.titleSpanish : category.title,
                "entries": glossary.entries.filter { $0.category == category.id }.sorted { $0.term(in: language) < $1.term(in: language) }.map {
                    ["term": $0.term(in: language), "definition": $0.definition(in: language), "example": $0.example(in: language)]
                },
            ] as [String: Any]
        }
        return try app.pages.render(
            "glossary-handout", title: text["glossary_handout"], data: ["categories": categories, "lang": language == .es ? "es" : "en"], context: context,
            current: "glossary")
    }
}

/// The workflows, each with its tracks drawn.
struct WorkflowRoutes {
    let app: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/workflows") { _, context in
            let text = UIText.for(context.language)
            let workflows = app.service.workspace.latestWorkflows.map { loaded in
                let words = app.service.workspace.words(for: loaded.definition, language: context.language.rawValue)
                return ["id": loaded.definition.id, "title": words.title, "summary": words.summary, "version": loaded.definition.version] as [String: Any]
            }
            return try app.pages.render("workflows", title: text["workflows"], data: ["workflows": workflows], context: context, current: "workflows")
        }
        router.get("/workflows/{id}") { _, context in
            let text = UIText.for(context.language)
            guard let loaded = app.service.workspace.workflow(try context.parameters.require("id")) else {
                throw HTTPError(.notFound, message: text["no_such_workflow"])
            }
            let definition = loaded.definition
            let words = app.service.workspace.words(for: definition, language: context.language.rawValue)
            let tracks = definition.tracks.map { track in
                [
                    "title": words.title(ofTrack: track), "svg": TrackDiagram.svg(track, words: words, current: nil, visited: [], now: text["diagram_now"]),
                    "states": track.states.map { ["title": words.title(ofState: $0, in: track), "client": words.client($0, in: track), "terminal": $0.terminal] },
                ] as [String: Any]
            }
            return try app.pages.render(
                "workflow", title: words.title,
                data: ["id": definition.id, "title": words.title, "summary": words.summary, "version": definition.version, "tracks": tracks],
                context: context, current: "workflows")
        }
    }
}

/// The audit log, for supervisors: on a page, and as CSV.
struct AuditRoutes {
    let app: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/audit") { request, context in
            guard let session = context.session else { throw HTTPError(.unauthorized) }
            let text = UIText.for(context.language)
            let caseId = request.uri.queryParameters["case"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            let before = request.uri.queryParameters["before"].flatMap { Int(String($0)) }
            let records = try app.service.auditLog(session.actor, caseId: caseId, limit: 100, before: before)
            let rows = records.map { record in
                var row: [String: Any] = [
                    "sequence": record.sequence, "at": record.at, "who": record.accountName, "channel": record.channel, "action": record.action,
                    "detail": record.detail,
                ]
                // Only a row about a case links to one.
                if let caseId = record.caseId { row["rowCase"] = caseId }
                return row
            }
            let next = records.count == 100 ? records.last.map { "/audit?before=\($0.sequence)" + (caseId.map { "&case=\($0)" } ?? "") } : nil
            return try app.pages.render(
                "audit", title: text["audit"], data: ["rows": rows, "caseId": caseId ?? "", "next": next ?? "", "hasNext": next != nil], context: context,
                current: "audit")
        }
        router.get("/audit.csv") { request, context in
            guard let session = context.session else { throw HTTPError(.unauthorized) }
            let caseId = request.uri.queryParameters["case"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            var csv = "sequence,at,account,channel,action,case,detail\n"
            var before: Int?
            repeat {
                let records = try app.service.auditLog(session.actor, caseId: caseId, limit: 5000, before: before)
                for r in records {
                    csv += [String(r.sequence), r.at, r.accountName, r.channel, r.action, r.caseId ?? "", r.detail].map(AuditRoutes.csvField).joined(separator: ",") + "\n"
                }
                before = records.count == 5000 ? records.last?.sequence : nil
            } while before != nil
            try app.service.record(session.actor, "audit.export")
            return Response(
                status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"advocate-audit.csv\""],
                body: .init(byteBuffer: ByteBuffer(string: csv)))
        }
    }

    /// A CSV field, quoted when needed; a leading = + - @ is escaped so spreadsheets do not run it.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) { return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        return value
    }
}

/// The glossary's suggestions as sent, by language and prefix. Short prefixes only (long ones are
/// rare and would let one client fill the memory), and a bounded number of them.
final class SuggestionCache: Sendable {
    private let bodies = Mutex<[String: ByteBuffer]>([:])
    private static let longestPrefix = 32
    private static let limit = 4096

    func body(for prefix: String, language: Glossary.Language, make: () -> ByteBuffer) -> ByteBuffer {
        guard prefix.utf8.count <= Self.longestPrefix else { return make() }
        let key = (language == .es ? "es:" : "en:") + prefix
        if let kept = bodies.withLock({ $0[key] }) { return kept }
        let body = make()
        bodies.withLock { bodies in
            if bodies.count >= Self.limit { bodies.removeAll(keepingCapacity: true) }
            bodies[key] = body
        }
        return body
    }
}
