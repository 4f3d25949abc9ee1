internal import Foundation
public import AdvocateCore

/// Turns `field=value` text from the command line or a form into typed values, by the field's type.
/// Messages name the field and the expected form, never the value given (it may be private).
public enum FieldInput {
    public static func parse(_ text: String, as type: ValueType, field: String) throws(AdvocateError) -> Value {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty, type != .string { return .null }
        switch type {
        case .string, .any: return .string(text)
        case .enumeration(let values):
            guard values.contains(trimmed) else { throw AdvocateError("'\(field)' must be one of: \(values.joined(separator: ", "))") }
            return .string(trimmed)
        case .date:
            guard let date = CivilDate(iso: trimmed) else { throw AdvocateError("'\(field)' must be a date written YYYY-MM-DD") }
            return .date(date)
        case .dateTime:
            // A date alone would be midnight, which is never the time of a hearing: ask for the time.
            guard trimmed.utf8.count > 10, let time = LocalDateTime(iso: trimmed) else {
                throw AdvocateError("'\(field)' must be a date and time written YYYY-MM-DDTHH:MM, such as 2026-12-07T09:00")
            }
            return .dateTime(time)
        case .bool:
            switch trimmed.lowercased() {
            case "true", "yes", "y", "1": return .bool(true)
            case "false", "no", "n", "0": return .bool(false)
            default: throw AdvocateError("'\(field)' must be true or false (or yes or no)")
            }
        case .number:
            guard let number = Double(trimmed), number.isFinite else { throw AdvocateError("'\(field)' must be a number") }
            return .number(number)
        case .money:
            guard let cents = Value.parseMoney(trimmed) else { throw AdvocateError("'\(field)' must be an amount of money such as 1250.00") }
            return .money(cents)
        case .list, .record:
            guard let json = try? JSONSerialization.jsonObject(with: Data(trimmed.utf8), options: [.fragmentsAllowed]) else {
                throw AdvocateError("'\(field)' must be JSON: a list of records such as [{\"item\": \"phone\", \"amount\": \"300\"}]")
            }
            return try fromJSON(json, as: type, field: field)
        case .null, .period: throw AdvocateError("'\(field)' cannot be set")
        }
    }

    /// Whether a decoded JSON value was `true` or `false`. Foundation on Linux lets the numbers 0
    /// and 1 cast to `Bool` as well, so the number's own type decides.
    static func isBoolean(_ json: Any) -> Bool {
        guard let number = json as? NSNumber else { return json is Bool }
        return String(cString: number.objCType) == "c"
    }

    /// Converts a decoded JSON value (from `--data` files or the API) to a typed value.
    public static func fromJSON(_ json: Any, as type: ValueType, field: String) throws(AdvocateError) -> Value {
        if json is NSNull { return .null }
        switch type {
        case .list(let element):
            guard let items = json as? [Any] else { throw AdvocateError("'\(field)' must be a list") }
            var values: [Value] = []
            for (index, item) in items.enumerated() { values.append(try fromJSON(item, as: element, field: "\(field)[\(index)]")) }
            return .list(values)
        case .record(let members):
            guard let object = json as? [String: Any] else { throw AdvocateError("'\(field)' must be a record") }
            var record: [String: Value] = [:]
            for (key, value) in object {
                guard let memberType = members[key] else {
                    throw AdvocateError("'\(field)' has no field '\(key)' (fields: \(members.keys.sorted().joined(separator: ", ")))")
                }
                record[key] = try fromJSON(value, as: memberType, field: "\(field).\(key)")
            }
            return .record(record)
        case .bool:
            if isBoolean(json), let flag = json as? Bool { return .bool(flag) }
        case .number:
            if let number = json as? NSNumber, !isBoolean(json) { return .number(number.doubleValue) }
        case .money:
            if let number = json as? NSNumber, !isBoolean(json) {
                // Beyond any real amount, and beyond what cents in an Int64 can hold.
                guard number.doubleValue.isFinite, abs(number.doubleValue) < 1e13 else { throw AdvocateError("'\(field)' is too large an amount of money") }
                return .money(Int64((number.doubleValue * 100).rounded()))
            }
        default:
            break
        }
        if let text = json as? String { return try parse(text, as: type, field: field) }
        throw AdvocateError("'\(field)' must be a \(type)")
    }
}

extension Value {
    /// The value as plain JSON for `--json` output: dates as ISO text, money as a decimal string.
    public var json: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .number(let n): return n
        case .money: return text
        case .string(let s): return s
        case .date(let d): return d.iso
        case .dateTime(let t): return t.iso
        case .period(let p): return p.description
        case .list(let l): return l.map(\.json)
        case .record(let r): return r.mapValues(\.json)
        }
    }
}
