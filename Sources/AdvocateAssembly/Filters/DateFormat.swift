internal import AdvocateCore

/// The `date` filter: named styles (`short`, `medium`, `long`, `full`, `time`, `iso`) or a
/// pattern (`MMMM d, yyyy`), in English or Spanish.
enum DateFormat {
    static let styles = ["short", "medium", "long", "full", "time", "iso"]

    static let months = [
        "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
    ]
    static let weekdays = [
        "en": ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
        "es": ["domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"],
    ]

    static func apply(_ value: Value, _ arguments: [Value]) throws(EvaluationError) -> Value {
        let moment: LocalDateTime
        var hasTime = false
        switch value {
        case .null: return .null
        case .date(let d): moment = LocalDateTime(date: d)
        case .dateTime(let t): moment = t; hasTime = true
        case .string(let s):
            if let d = CivilDate(iso: s) {
                moment = LocalDateTime(date: d)
            } else if let t = LocalDateTime(iso: s) {
                moment = t
                hasTime = true
            } else {
                throw EvaluationError("date needs a date, not text that does not read as one (dates are written YYYY-MM-DD)")
            }
        default: throw EvaluationError("date needs a date, not a \(value.typeName)")
        }
        let style = arguments.first?.text ?? "long"
        let language = try FilterLibrary.language(arguments.count > 1 ? arguments[1] : nil)
        if styles.contains(style) { return .string(named(style, moment, hasTime: hasTime, language: language)) }
        guard style.contains(where: { "yMdEHhma".contains($0) }) else {
            throw EvaluationError("unknown date style (styles: \(styles.joined(separator: ", ")), or a pattern such as \"MMMM d, yyyy\")")
        }
        return .string(pattern(style, moment, language: language))
    }

    static func named(_ style: String, _ t: LocalDateTime, hasTime: Bool, language: String) -> String {
        let (year, month, day) = t.date.parts
        let monthName = months[language]![month - 1]
        let weekday = weekdays[language]![t.date.weekday.rawValue]
        let spanish = language == "es"
        let date: String
        switch style {
        case "iso": return hasTime ? t.iso : t.date.iso
        case "time": return time(t, language: language)
        case "short": date = spanish ? "\(day)/\(month)/\(year)" : "\(month)/\(day)/\(year)"
        case "medium": date = spanish ? "\(day) \(monthName.prefix(3)) \(year)" : "\(monthName.prefix(3)) \(day), \(year)"
        case "full": date = spanish ? "\(weekday), \(day) de \(monthName) de \(year)" : "\(weekday), \(monthName) \(day), \(year)"
        default: date = spanish ? "\(day) de \(monthName) de \(year)" : "\(monthName) \(day), \(year)"
        }
        guard hasTime else { return date }
        return date + (spanish ? (t.minuteOfDay / 60 == 1 ? " a la " : " a las ") : " at ") + time(t, language: language)
    }

    static func time(_ t: LocalDateTime, language: String) -> String {
        let hour = t.minuteOfDay / 60, minute = t.minuteOfDay % 60
        let mm = (minute < 10 ? "0" : "") + String(minute)
        if language == "es" { return "\(hour):\(mm)" }
        let twelve = hour % 12 == 0 ? 12 : hour % 12
        return "\(twelve):\(mm) \(hour < 12 ? "AM" : "PM")"
    }

    /// Patterns in the usual letters: yyyy yy MMMM MMM MM M dd d EEEE EEE HH H hh h mm a, and 'literal text'.
    static func pattern(_ pattern: String, _ t: LocalDateTime, language: String) -> String {
        let (year, month, day) = t.date.parts
        let hour = t.minuteOfDay / 60, minute = t.minuteOfDay % 60
        let chars = Array(pattern)
        var out = ""
        var i = 0
        func two(_ n: Int) -> String { (n < 10 ? "0" : "") + String(n) }
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                var j = i + 1
                while j < chars.count, chars[j] != "'" { out.append(chars[j]); j += 1 }
                i = j + 1
                continue
            }
            var run = 1
            while i + run < chars.count, chars[i + run] == c { run += 1 }
            switch c {
            case "y": out += run == 2 ? two(year % 100) : String(year)
            case "M":
                let name = months[language]![month - 1]
                out += run >= 4 ? name : run == 3 ? String(name.prefix(3)) : run == 2 ? two(month) : String(month)
            case "d": out += run >= 2 ? two(day) : String(day)
            case "E":
                let name = weekdays[language]![t.date.weekday.rawValue]
                out += run >= 4 ? name : String(name.prefix(3))
            case "H": out += run >= 2 ? two(hour) : String(hour)
            case "h":
                let twelve = hour % 12 == 0 ? 12 : hour % 12
                out += run >= 2 ? two(twelve) : String(twelve)
            case "m": out += two(minute)
            case "a": out += hour < 12 ? "AM" : "PM"
            default: out += String(repeating: c, count: run)
            }
            i += run
        }
        return out
    }
}
