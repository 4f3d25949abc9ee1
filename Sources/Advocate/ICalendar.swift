public import Foundation
public import AdvocateStore

/// Writes agenda lines as an iCalendar (RFC 5545) file. UIDs are derived from the case and item,
/// so importing again updates events instead of adding copies.
public enum ICalendar {
    public static func render(_ rows: [AgendaRow], stamp: Date = Date(), host: String = "advocate.local") -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Advocate//Case deadlines//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
        let dtstamp = utc(stamp)
        for row in rows {
            guard let due = row.due else { continue }
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + escape("\(row.caseId)-\(row.key)@\(host)").replacingOccurrences(of: "\\", with: ""))
            lines.append("DTSTAMP:" + dtstamp)
            let (y, m, d) = due.date.parts
            let day = String(format: "%04d%02d%02d", y, m, d)
            if due.hasTime {
                let minute = due.moment.minuteOfDay
                lines.append("DTSTART:" + day + String(format: "T%02d%02d00", minute / 60, minute % 60))
                lines.append("DURATION:PT1H")
            } else {
                let next = due.date.adding(days: 1).parts
                lines.append("DTSTART;VALUE=DATE:" + day)
                lines.append("DTEND;VALUE=DATE:" + String(format: "%04d%02d%02d", next.0, next.1, next.2))
            }
            let prefix = row.kind == "court-date" ? "Court: " : (row.kind == "reminder" ? "Reminder: " : "Due: ")
            lines.append("SUMMARY:" + escape("\(prefix)\(row.title) (\(row.caseId))"))
            if !due.reasons.isEmpty { lines.append("DESCRIPTION:" + escape(due.reasons.joined(separator: "\n"))) }
            lines.append("CATEGORIES:" + escape(row.kind))
            // Court dates warn a day ahead and an hour ahead; other items on the morning they are due.
            let alarms = row.kind == "court-date" ? ["-P1D", "-PT1H"] : [due.hasTime ? "-PT1H" : "PT9H"]
            for trigger in alarms {
                lines += ["BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + escape(prefix + row.title), "TRIGGER:" + trigger, "END:VALARM"]
            }
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    static func utc(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        return formatter.string(from: date)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\r": continue
            default: out.append(c)
            }
        }
        return out
    }

    /// Folds lines longer than 75 octets, as RFC 5545 requires.
    static func fold(_ line: String) -> String {
        var result = ""
        var count = 0
        for c in line {
            let size = String(c).utf8.count
            if count + size > 75 {
                result += "\r\n "
                count = 1
            }
            result.append(c)
            count += size
        }
        return result
    }
}
