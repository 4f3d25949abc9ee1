public import AdvocateCore

/// Writes case states and journal inputs as JSON directly, in the same shape their `Codable`
/// conformances read back. Encoding through `JSONEncoder` was most of the cost of a write.
public enum StateJSON {
    public static func encode(_ state: CaseState) -> String { encode(state, sealing: nil) }

    public static func encode(_ input: CaseInput) -> String { encode(input, sealing: nil) }

    /// With `sealing`, the values of personal fields are written encrypted, as `{"$sealed":"ID.BASE64"}`.
    static func encode(_ state: CaseState, sealing: Sealing?) -> String {
        let out = JSONText()
        out.object {
            out.key("data") { value(out, state.data.dictionary, sealing) }
            out.key("tracks") { out.stringMap(state.tracks.dictionary) }
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

    static func encode(_ input: CaseInput, sealing: Sealing?) -> String {
        let out = JSONText()
        out.object {
            switch input {
            case .open(let data): out.key("open") { out.object { out.key("data") { value(out, data, sealing) } } }
            case .event(let name, let payload):
                out.key("event") {
                    out.object {
                        out.key("name") { out.string(name) }
                        out.key("payload") { value(out, payload, sealing) }
                    }
                }
            case .completeStep(let key): out.key("completeStep") { out.object { out.key("key") { out.string(key) } } }
            case .tick: out.key("tick") { out.object {} }
            }
        }
        return out.text
    }

    private static func value(_ out: JSONText, _ map: [String: Value], _ sealing: Sealing? = nil) {
        out.object {
            for key in map.keys.sorted() {
                if let sealing, sealing.fields.contains(key) {
                    let plain = JSONText()
                    value(plain, map[key]!)
                    out.key(key) { out.raw(#"{"$sealed":""# + sealing.ring.seal(plain.bytesWritten, context: key) + #""}"#) }
                } else {
                    out.key(key) { value(out, map[key]!) }
                }
            }
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
/// A JSON writer into UTF-8 bytes: appending bytes costs far less than appending to a `String`.
final class JSONText {
    // One writer is used by one encode call on one thread: the run-time exclusivity checks on
    // every append were a tenth of a batch import.
    @exclusivity(unchecked) private var bytes: [UInt8] = []
    @exclusivity(unchecked) private var needsComma = false

    init() { bytes.reserveCapacity(512) }

    /// The JSON written so far.
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var bytesWritten: [UInt8] { bytes }

    func object(_ body: () -> Void) {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body()
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    func array<T>(_ items: [T], _ each: (T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for item in items {
            separate()
            each(item)
            needsComma = true
        }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    func key(_ name: String, _ body: () -> Void) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
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
        bytes.append(contentsOf: literal.utf8)
        needsComma = true
    }

    private func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = false
    }

    private func appendQuoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = value.utf8
        if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for unit in utf8 {
            switch unit {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(unit >> 4)], hex[Int(unit & 15)]])
            default: bytes.append(unit)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
