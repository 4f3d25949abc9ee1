internal import AdvocateCore

/// Why a due date falls where it does, and who does a step, in the page's language.
///
/// A case stores both in English. A Spanish page reads each stored reason back and writes it in
/// Spanish; a line it cannot read (written by an older version, say) is shown as stored.
/// Holiday and closure names stay as the calendar gives them: they are names.
enum ReasonWords {
    static func lines(_ stored: [String], language: UILanguage) -> [String] {
        guard language == .es else { return stored }
        return stored.map { DeadlineReason(english: $0).map(spanish) ?? $0 }
    }

    static func spanish(_ reason: DeadlineReason) -> String {
        switch reason {
        case .counted(let period, let direction, let from, let hasTime):
            let moment = hasTime ? "\(from.date.iso) a las \(Dates.time(from.minuteOfDay))" : from.date.iso
            return "\(spanish(period)) \(direction == .forward ? "después del" : "antes del") \(moment)"
        case .notCounted(let days):
            return "no se contaron: " + days.map { "\($0.date.iso) (\(spanish($0.why)))" }.joined(separator: ", ")
        case .moved(let days, let direction, let end):
            let skipped = days.map { "el \(Dates.weekday($0.date, language: .es)) \($0.date.iso) es \(spanish($0.why))" }
            let moved = direction == .forward ? "el plazo pasa al" : "el plazo se adelanta al"
            return skipped.joined(separator: "; ") + "; \(moved) \(Dates.weekday(end, language: .es)) \(end.iso)"
        case .noAnswer(let period):
            return "\(spanish(period)) después de la remisión, sin respuesta"
        }
    }

    static func spanish(_ period: Period) -> String {
        let one = period.amount == 1
        let unit: String
        switch period.unit {
        case .days: unit = one ? "día" : "días"
        case .courtDays: unit = one ? "día hábil" : "días hábiles"
        case .hours: unit = one ? "hora" : "horas"
        case .weeks: unit = one ? "semana" : "semanas"
        case .months: unit = one ? "mes" : "meses"
        case .years: unit = one ? "año" : "años"
        }
        return "\(period.amount) \(unit)"
    }

    private static func spanish(_ why: DeadlineReason.Closed.Why) -> String {
        switch why {
        case .weekend: return "fin de semana"
        case .closure(let name): return "cierre del tribunal (\(name))"
        case .holiday(let name, let observed): return "día feriado (\(name)\(observed ? ", día observado" : ""))"
        }
    }

    /// Who does a step: the workflows say `advocate` or `client`, and court dates `client and advocate`.
    static func who(_ stored: String, text: UIText) -> String {
        switch stored {
        case "advocate": return text["who_advocate"]
        case "client": return text["who_client"]
        case "client and advocate": return text["who_client_and_advocate"]
        default: return stored
        }
    }
}
