internal import Yams
public import AdvocateCore

/// Reads a jurisdiction's calendar file (`Workflows/calendars/NAME.yaml`): its state holidays and
/// court closures, on top of the federal holidays.
public enum CalendarLoader {
    static let keys = ["name", "title", "time_zone", "federal_holidays", "holidays"]
    static let holidayKeys = ["name", "kind", "month", "day", "observed", "weekday", "nth", "offset", "dates", "from", "until"]

    public static func load(path: String) throws(Diagnostics) -> CourtCalendar {
        let file: SourceFile
        do { file = try SourceFile.read(path) } catch { throw Diagnostics([error]) }
        let root: Node
        do { root = try file.composeYAML() } catch { throw Diagnostics([error]) }
        var reader = YAMLReader(file: file)
        let calendar = read(root, &reader)
        guard let calendar, !reader.diagnostics.contains(where: { $0.severity == .error }) else { throw Diagnostics(reader.diagnostics) }
        return calendar
    }

    private static func read(_ root: Node, _ reader: inout YAMLReader) -> CourtCalendar? {
        guard let top = reader.mapping(root, allowed: keys, required: ["name"], what: "the calendar") else { return nil }
        let name = reader.string(top["name"], "name") ?? ""
        let fileName = String(reader.file.path.split(separator: "/").last ?? "").split(separator: ".").first.map(String.init) ?? ""
        if name != fileName { reader.error("the calendar's name '\(name)' must match its file name '\(fileName)'", top["name"]) }
        var holidays = reader.bool(top["federal_holidays"], "federal_holidays") ?? true ? Holiday.usFederal : []
        if let list = top["holidays"] {
            guard case .sequence(let items) = list else {
                reader.error("holidays must be a list", list)
                return nil
            }
            for item in items {
                if let holiday = readHoliday(item, &reader) { holidays.append(holiday) }
            }
        }
        return CourtCalendar(name: name, title: reader.string(top["title"], "title"), timeZone: reader.string(top["time_zone"], "time_zone"), holidays: holidays)
    }

    private static func readHoliday(_ node: Node, _ reader: inout YAMLReader) -> Holiday? {
        guard let spec = reader.mapping(node, allowed: holidayKeys, required: ["name"], what: "a holiday") else { return nil }
        let name = reader.string(spec["name"], "name") ?? ""
        let kindText = reader.string(spec["kind"], "kind") ?? "legal"
        guard let kind = Holiday.Kind(rawValue: kindText) else {
            reader.error("kind must be legal, forward-only or closure", spec["kind"])
            return nil
        }
        let rule: HolidayRule
        if let datesNode = spec["dates"] {
            var dates: [CivilDate] = []
            for (text, itemNode) in reader.strings(datesNode, "dates") {
                guard let date = CivilDate(iso: text) else {
                    reader.error("'\(text)' is not a date (use YYYY-MM-DD)", itemNode)
                    continue
                }
                dates.append(date)
            }
            rule = .dates(dates)
        } else {
            guard let month = reader.int(spec["month"], "month"), (1...12).contains(month) else {
                reader.error("a holiday needs 'dates', or a 'month' from 1 to 12 with a 'day' or a 'weekday' and 'nth'", node)
                return nil
            }
            if let day = reader.int(spec["day"], "day") {
                guard CivilDate(year: 2024, month: month, day: day) != nil else {
                    reader.error("month \(month) has no day \(day)", spec["day"])
                    return nil
                }
                rule = .fixed(month: month, day: day, observed: reader.bool(spec["observed"], "observed") ?? true)
            } else {
                guard let weekdayName = reader.string(spec["weekday"], "weekday"), let weekday = Weekday(name: weekdayName) else {
                    reader.error("a holiday needs a 'day' of the month, or a 'weekday' (monday ... sunday) and 'nth'", spec["weekday"] ?? node)
                    return nil
                }
                let nthText = spec["nth"]?.scalarString ?? "1"
                guard let nth = nthText == "last" ? -1 : Int(nthText), nth == -1 || (1...5).contains(nth) else {
                    reader.error("nth must be 1 to 5 or 'last'", spec["nth"])
                    return nil
                }
                rule = .nthWeekday(month: month, weekday: weekday, nth: nth, offset: reader.int(spec["offset"], "offset") ?? 0)
            }
        }
        let from = reader.int(spec["from"], "from") ?? 1900
        let until = reader.int(spec["until"], "until") ?? 9999
        guard from <= until else {
            reader.error("'from' is after 'until'", spec["from"])
            return nil
        }
        return Holiday(name: name, rule: rule, kind: kind, years: from...until)
    }
}
