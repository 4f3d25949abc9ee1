public import AdvocateCore
public import AdvocateGlossary
public import AdvocateStore
internal import Foundation

/// The JSON shapes of cases, journal entries, documents, agenda entries, workflows and glossary
/// terms: one definition for the command line's `--json` and the web app's `/api/`, so scripts
/// can use either.
///
/// Journal entries name the fields an input set, never their values (history output is often
/// shared), and a confidential safe address stays locked unless asked for.
public enum JSONShapes {
    public static func details(_ details: CaseService.CaseDetails, unlockSafeAddress: Bool) -> [String: Any] {
        let stored = details.stored
        var data: [String: Any] = [:]
        for (key, v) in stored.state.data { data[key] = shown(details.definition.field(key), v, unlock: unlockSafeAddress).json }
        return [
            "id": stored.id, "workflow": stored.workflowId, "version": stored.workflowVersion, "definition_hash": stored.definitionHash,
            "tracks": stored.state.tracks.dictionary, "closed": stored.closed, "data": data, "advocate": stored.advocateId ?? NSNull(),
            "items": stored.state.items.map { item in
                ["key": item.key, "kind": item.kind.rawValue, "title": item.title, "who": item.who, "due": item.due?.iso ?? NSNull(), "reasons": item.due?.reasons ?? []] as [String: Any]
            },
            "referrals": stored.state.referrals.map { ["id": $0.id, "to": $0.to, "sent": $0.sent.iso, "outcome": $0.outcome ?? NSNull(), "follow_ups": $0.followUps] as [String: Any] },
            "services": stored.state.services.map { ["code": $0.code, "date": $0.date.iso, "source": $0.source] },
            // The court dates that still matter to the case; a hearing that has passed stays until the case moves on.
            "court_dates": details.agenda.compactMap { row in
                row.courtDateField.map { ["field": $0, "title": row.title, "date": row.due?.iso ?? NSNull()] as [String: Any] }
            },
        ]
    }

    /// A value as shown to someone who has not unlocked the case's safe address.
    public static func shown(_ field: FieldDefinition?, _ value: Value, unlock: Bool) -> Value {
        if field?.safeAddress == true, !unlock, !value.isNull { return .string("[confidential safe address: locked]") }
        return value
    }

    public static func summary(_ stored: StoredCase) -> [String: Any] {
        ["id": stored.id, "workflow": stored.workflowId, "version": stored.workflowVersion, "tracks": stored.state.tracks.dictionary, "closed": stored.closed, "open_items": stored.state.items.count]
    }

    public static func summary(_ summary: CaseSummary) -> [String: Any] {
        [
            "id": summary.id, "workflow": summary.workflowId, "tracks": summary.states, "closed": summary.closed, "advocate": summary.advocateId ?? NSNull(),
            "opened_at": summary.openedAt, "updated_at": summary.updatedAt, "next_due": summary.nextDueDay.map { CivilDate(dayNumber: $0).iso } ?? NSNull(),
        ]
    }

    public static func journal(_ entry: JournalEntry) -> [String: Any] {
        ["seq": entry.sequence, "at": entry.at.iso, "recorded_at": entry.recordedAt, "input": input(entry.input)]
    }

    public static func input(_ input: CaseInput) -> [String: Any] {
        switch input {
        case .open(let data): return ["kind": "open", "fields": data.keys.sorted()]
        case .event(let name, let payload): return ["kind": "event", "event": name, "fields": payload.keys.sorted()]
        case .completeStep(let key): return ["kind": "done", "step": key]
        case .tick: return ["kind": "tick"]
        }
    }

    public static func document(_ d: StoredDocument) -> [String: Any] {
        ["sequence": d.sequence, "form": d.form, "format": d.format, "file": "\(d.sequence)-\(d.fileName)", "sha256": d.sha256, "bytes": d.size, "missing": d.missing, "created_at": d.createdAt]
    }

    public static func agenda(_ e: CaseService.AgendaEntry) -> [String: Any] {
        [
            "case": e.row.caseId, "workflow": e.workflowId, "key": e.row.key, "kind": e.row.kind, "title": e.row.title, "who": e.row.who,
            "due": e.row.due?.iso ?? NSNull(), "overdue": e.overdue, "reasons": e.row.due?.reasons ?? [],
        ]
    }

    public static func outcome(_ outcome: CaseService.Outcome) -> [String: Any] {
        [
            "id": outcome.caseId, "tracks": outcome.state.tracks.dictionary, "closed": outcome.state.closed, "effects": outcome.effects.map(\.summary),
            "documents": outcome.documents.map(document), "document_problems": outcome.documentProblems,
        ]
    }

    public static func workflow(_ w: WorkflowDefinition) -> [String: Any] {
        ["id": w.id, "version": w.version, "title": w.title, "tracks": w.tracks.map(\.name), "hash": w.contentHash]
    }

    public static func glossary(_ entry: GlossaryEntry) -> [String: Any] {
        [
            "term": entry.term, "aliases": entry.aliases, "category": entry.category, "related": entry.related, "definition": entry.definition,
            "example": entry.example,
            "es": ["term": entry.spanish.term, "aliases": entry.spanish.aliases, "definition": entry.spanish.definition, "example": entry.spanish.example],
        ]
    }

    /// `object` as UTF-8 JSON with sorted keys.
    public static func encode(_ object: Any, pretty: Bool = false) -> [UInt8] {
        let options: JSONSerialization.WritingOptions = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return (try? JSONSerialization.data(withJSONObject: object, options: options)).map { [UInt8]($0) } ?? Array("null".utf8)
    }
}

extension Effect {
    /// One line saying what the effect did, without any case data.
    public var summary: String {
        switch self {
        case .entered(let track, let state): return "\(track) entered \(state)"
        case .scheduled(let key): return "scheduled \(key)"
        case .fill(let form, _, _): return "fill form \(form)"
        case .serviceRecorded(let record): return "service \(record.code) recorded"
        case .referred(let id): return "referral \(id) sent"
        case .followUpDue(let referral): return "follow-up due for \(referral)"
        case .referralClosed(let id, let outcome): return "referral \(id) \(outcome)"
        case .completed(let key): return "completed \(key)"
        case .timerFired(let track, let timer): return "timer \(timer) fired in \(track)"
        case .caseClosed: return "case closed"
        }
    }
}
