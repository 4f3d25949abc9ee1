public import AdvocateCore

/// Writes case states and journal inputs as JSON directly, in the same shape their `Codable`
/// conformances read back. Encoding through `JSONEncoder` was most of the cost of a write.
public enum StateJSON {
    public static func encode(_ state: CaseState) -> String {
        let out = JSONText()
        out.object {
            out.key("data") { value(out, state.data) }
            out.key("tracks") { out.stringMap(state.tracks) }
            out.key("items") { out.array(state.items) { item(out, $0) } }
            out.key("referrals") { out.array(state.referrals) { referral(out, $0) } }
            out.key("services") { out.array(state.services) { service(out, $0) } }
            out.key("firedTimers") { out.array(state.firedTimers) { out.string($0) } }
            out.key("sequence") { out.integer(state.sequence) }
            if let wake = state.nextWake { out.key("nextWake") { out.string(wake.iso) } }
            out.key("closed") { out.bool(state.closed) }
        }
        return out.text
    }

    public static func encode(_ input: CaseInput) -> String {
        let out = JSONText()
        out.object {
            switch input {
            case .open(let data): out.key("open") { out.object { out.key("data") { value(out, data) } } }
            case .event(let name, let payload):
                out.key("event") {
                    out.object {
                        out.key("name") { out.string(name) }
                        out.key("payload") { value(out, payload) }
                    }
                }
            case .completeStep(let key): out.key("completeStep") { out.object { out.key("key") { out.string(key) } } }
            case .tick: out.key("tick") { out.object {} }
            }
        }
        return out.text
    }

    private static func value(_ out: JSONText, _ map: [String: Value]) {
        out.object {
            for key in map.keys.sorted() { out.key(key) { value(out, map[key]!) } }
        }
    }

    private static func value(_ out: JSONText, _ value: Value) {
        out.object {
            switch value {
            case .null: out.key("null") { out.raw("null") }
            case .bool(let b): out.key("bool") { out.bool(b) }
            case .number(let n): out.key("number") { n.isFinite ? out.raw(String(n)) : out.raw("0") }
            case .money(let m): out.key("money") { out.raw(String(m)) }
            case .string(let s): out.key("string") { out.string(s) }
            case .date(let d): out.key("date") { out.string(d.iso) }
            case .dateTime(let t): out.key("datetime") { out.string(t.iso) }
            case .period(let p): out.key("period") { out.string(p.description) }
            case .list(let items): out.key("list") { out.array(items) { StateJSON.value(out, $0) } }
            case .record(let fields): out.key("record") { StateJSON.value(out, fields) }
            }
        }
    }

    private static func item(_ out: JSONText, _ item: AgendaItem) {
        out.object {
            out.key("key") { out.string(item.key) }
            out.key("kind") { out.string(item.kind.rawValue) }
            out.key("title") { out.string(item.title) }
            out.key("who") { out.string(item.who) }
            if let track = item.track { out.key("track") { out.string(track) } }
            if let state = item.state { out.key("state") { out.string(state) } }
            if let due = item.due {
                out.key("due") {
                    out.object {
                        out.key("moment") { out.string(due.moment.iso) }
                        out.key("hasTime") { out.bool(due.hasTime) }
                        out.key("reasons") { out.array(due.reasons) { out.string($0) } }
                    }
                }
            }
        }
    }

    private static func referral(_ out: JSONText, _ referral: Referral) {
        out.object {
            out.key("id") { out.string(referral.id) }
            out.key("to") { out.string(referral.to) }
            out.key("sent") { out.string(referral.sent.iso) }
            out.key("followUp") { out.string(referral.followUp.description) }
            out.key("nextFollowUp") { out.string(referral.nextFollowUp.iso) }
            out.key("followUps") { out.integer(referral.followUps) }
            if let outcome = referral.outcome { out.key("outcome") { out.string(outcome) } }
        }
    }

    private static func service(_ out: JSONText, _ record: ServiceRecord) {
        out.object {
            out.key("code") { out.string(record.code) }
            out.key("date") { out.string(record.date.iso) }
            out.key("source") { out.string(record.source) }
        }
    }
}

/// A small JSON writer: objects, arrays, and strings escaped as RFC 8259 requires.
final class JSONText {
    var text = ""
    private var needsComma = false

    func object(_ body: () -> Void) {
        text.append("{")
        needsComma = false
        body()
        text.append("}")
        needsComma = true
    }

    func array<T>(_ items: [T], _ each: (T) -> Void) {
        text.append("[")
        needsComma = false
        for item in items {
            separate()
            each(item)
            needsComma = true
        }
        text.append("]")
        needsComma = true
    }

    func key(_ name: String, _ body: () -> Void) {
        separate()
        appendQuoted(name)
        text.append(":")
        needsComma = false
        body()
        needsComma = true
    }

    func stringMap(_ map: [String: String]) {
        object {
            for key in map.keys.sorted() { self.key(key) { string(map[key]!) } }
        }
    }

    func string(_ value: String) {
        separate()
        appendQuoted(value)
        needsComma = true
    }

    func integer(_ value: Int) { raw(String(value)) }
    func bool(_ value: Bool) { raw(value ? "true" : "false") }

    func raw(_ literal: String) {
        separate()
        text.append(literal)
        needsComma = true
    }

    private func separate() {
        if needsComma { text.append(",") }
        needsComma = false
    }

    private func appendQuoted(_ value: String) {
        text.append("\"")
        var plain = true
        for unit in value.utf8 where unit < 0x20 || unit == 0x22 || unit == 0x5C {
            plain = false
            break
        }
        if plain {
            text.append(value)
        } else {
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": text.append("\\\"")
                case "\\": text.append("\\\\")
                case "\n": text.append("\\n")
                case "\r": text.append("\\r")
                case "\t": text.append("\\t")
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        text.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                    } else {
                        text.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        text.append("\"")
    }
}
