internal import Advocate
internal import Foundation
internal import AdvocateStore
internal import AdvocateCore

/// Form controls for typed workflow fields, and reading them back with a message per field.
enum FieldForm {
    /// Template data for one control. `value` is what was typed (re-shown after an error).
    /// `form` tells apart the controls of several forms on one page (each event's), so no two share an id.
    /// `words` gives the label, the help and an enum's choices in the page's language.
    static func control(_ field: FieldDefinition, required: Bool, value: String?, error: String?, text: UIText, words: WorkflowWords, form: String? = nil)
        -> [String: Any]
    {
        let id = controlId(field, form: form)
        var control: [String: Any] = [
            "id": id, "name": field.name, "label": words.label(ofField: field.name), "help": words.help(ofField: field.name), "hasHelp": !words.help(ofField: field.name).isEmpty, "required": required, "value": value ?? "",
            "hasError": error != nil, "error": error ?? "", "personal": field.personal, "safeAddress": field.safeAddress,
        ]
        switch field.kind {
        case .text, .list: control["textarea"] = true
        case .enum:
            if case .enumeration(let options) = field.type {
                control["select"] = true
                control["options"] = options.map { ["value": $0, "label": words.label(ofChoice: $0, field: field.name), "selected": $0 == value] as [String: Any] }
            }
        case .bool:
            control["select"] = true
            // The template gives an optional field its empty choice; a required one gets it here,
            // so that nothing is chosen for the person.
            let empty: [[String: Any]] = required ? [["value": "", "label": "", "selected": (value ?? "").isEmpty]] : []
            control["options"] = empty + [["value": "yes", "label": text["yes"], "selected": value == "yes"], ["value": "no", "label": text["no"], "selected": value == "no"]]
        case .date: control["inputType"] = "date"
        case .datetime: control["inputType"] = "datetime-local"
        case .number, .money:
            control["inputType"] = "text"
            control["inputMode"] = "decimal"
        case .string: control["inputType"] = field.name.hasSuffix("phone") ? "tel" : "text"
        }
        if control["inputType"] == nil, control["textarea"] == nil, control["select"] == nil { control["inputType"] = "text" }
        return control
    }

    /// The control's HTML id: `f-` and the field name with dots as dashes.
    static func controlId(_ field: FieldDefinition, form: String? = nil) -> String {
        "f-" + (form.map { $0 + "-" } ?? "") + field.name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    /// Typed values for the given fields, or a message for each field that is wrong.
    static func read(_ form: FormFields, fields: [(field: FieldDefinition, required: Bool)], text: UIText) -> (values: [String: Value], errors: [String: String]) {
        var values: [String: Value] = [:]
        var errors: [String: String] = [:]
        for (field, required) in fields {
            let raw = form[field.name] ?? ""
            if raw.trimmingCharacters(in: .whitespaces).isEmpty {
                if required { errors[field.name] = text["required_field"] }
                continue
            }
            do {
                values[field.name] = try FieldInput.parse(raw, as: field.type, field: field.label)
            } catch {
                errors[field.name] = error.description
            }
        }
        return (values, errors)
    }

    /// A value as a person reads it.
    static func display(_ value: Value, field: FieldDefinition?, text: UIText, language: UILanguage, words: WorkflowWords? = nil) -> String {
        switch value {
        case .string(let s) where field?.kind == .enum: return words.map { $0.label(ofChoice: s, field: field!.name) } ?? s
        case .bool(let b): return b ? text["yes"] : text["no"]
        case .date(let d): return Dates.long(d, language: language)
        case .dateTime(let t): return Dates.long(t, language: language)
        case .money: return "$" + value.text
        default: return value.text
        }
    }

    /// The value as the form control expects it back.
    static func formValue(_ value: Value) -> String {
        switch value {
        case .bool(let b): return b ? "yes" : "no"
        case .null: return ""
        default: return value.text
        }
    }
}

/// Dates written out for people, in English or Spanish.
enum Dates {
    static let monthsEnglish = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let monthsSpanish = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
    static let weekdaysEnglish = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    static let weekdaysSpanish = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]

    /// "Thursday, December 3, 2026" or "jueves, 3 de diciembre de 2026".
    static func long(_ date: CivilDate, language: UILanguage) -> String {
        let (year, month, day) = date.parts
        switch language {
        case .en: return "\(weekday(date, language: language)), \(monthsEnglish[month - 1]) \(day), \(year)"
        case .es: return "\(weekday(date, language: language)), \(day) de \(monthsSpanish[month - 1]) de \(year)"
        }
    }

    /// "Thursday" or "jueves".
    static func weekday(_ date: CivilDate, language: UILanguage) -> String {
        // Weekday counts from Sunday; the names here count from Monday.
        (language == .es ? weekdaysSpanish : weekdaysEnglish)[(date.weekday.rawValue + 6) % 7]
    }

    /// "Thursday, December 3, 2026, 09:00".
    static func long(_ time: LocalDateTime, language: UILanguage) -> String {
        long(time.date, language: language) + ", " + Dates.time(time.minuteOfDay)
    }

    /// A due date, with its time when it has one.
    static func long(_ due: DueDate, language: UILanguage) -> String {
        due.hasTime ? long(due.moment, language: language) : long(due.date, language: language)
    }

    static func time(_ minuteOfDay: Int) -> String {
        let hour = minuteOfDay / 60, minute = minuteOfDay % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
