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
            guard let date = CivilDate(iso: trimmed) else { throw dateProblem(trimmed, field: field, "a date written YYYY-MM-DD") }
            try checkYear(date, field: field)
            return .date(date)
        case .dateTime:
            // A date alone would be midnight, which is never the time of a hearing: ask for the time.
            guard trimmed.utf8.count > 10, let time = LocalDateTime(iso: trimmed) else {
                throw dateProblem(trimmed, field: field, "a date and time written YYYY-MM-DDTHH:MM, such as 2026-12-07T09:00")
            }
            try checkYear(time.date, field: field)
            return .dateTime(time)
        case .bool:
            switch trimmed.lowercased() {
            case "true", "yes", "y", "1": return .bool(true)
            case "false", "no", "n", "0": return .bool(false)
            default: throw AdvocateError("'\(field)' must be true or false (or yes or no)")
            }
        case .number:
            // Plain decimals only: Double() would also take hex (0x10), "inf" and 1e308.
            guard isPlainDecimal(trimmed), let number = Double(trimmed), abs(number) < 1e12 else {
                throw AdvocateError("'\(field)' must be a number written with digits, such as 3 or 2.5")
            }
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
            if let number = json as? NSNumber, !isBoolean(json) {
                guard number.doubleValue.isFinite, abs(number.doubleValue) < 1e12 else { throw AdvocateError("'\(field)' is too large a number") }
                return .number(number.doubleValue)
            }
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

extension FieldInput {
    /// Why a date was refused: its shape, or (written the right way) a day that does not exist.
    static func dateProblem(_ text: String, field: String, _ expected: String) -> AdvocateError {
        let shaped = text.utf8.count >= 10 && text.utf8.enumerated().allSatisfy { index, byte in
            index >= 10 || ((index == 4 || index == 7) ? byte == UInt8(ascii: "-") : (byte >= 48 && byte <= 57))
        }
        if shaped, CivilDate(iso: text.prefix(10)) == nil {
            return AdvocateError("'\(field)' is not a day on the calendar (check the month and the day)")
        }
        return AdvocateError("'\(field)' must be \(expected)")
    }

    /// Years a case can be about; anything else is a typo (0026, 20026).
    static let years = 1900...2199

    static func checkYear(_ date: CivilDate, field: String) throws(AdvocateError) {
        guard years.contains(date.parts.year) else {
            throw AdvocateError("'\(field)' must be a date between \(years.lowerBound) and \(years.upperBound)")
        }
    }

    static func isPlainDecimal(_ text: String) -> Bool {
        var digits = 0, dots = 0
        for (index, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where index == 0: continue
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            default: return false
            }
        }
        return digits > 0 && dots <= 1
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
