public import AdvocateCore
internal import Yams

/// Data to fill a form with, from a JSON or YAML file (JSON is read as YAML, which contains it):
/// mappings become records, sequences lists, and plain scalars numbers, booleans, dates
/// (`2026-12-14`), date-times (`2026-12-14T09:30`) or text.
public enum DataFile {
    /// The top-level mapping's values by key; a problem throws a located diagnostic.
    public static func load(path: String) throws(Diagnostic) -> [String: Value] {
        let file = try SourceFile.read(path)
        let root = try file.composeYAML()
        guard case .mapping(let mapping) = root else {
            throw file.diagnostic("the data must be a mapping of names to values (like client: {name: …})", at: root.mark)
        }
        var values: [String: Value] = [:]
        for (key, node) in mapping {
            guard case .scalar(let name) = key else { throw file.diagnostic("names must be plain text", at: key.mark) }
            values[name.string] = try value(node, file)
        }
        return values
    }

    static func value(_ node: Node, _ file: SourceFile) throws(Diagnostic) -> Value {
        switch node {
        case .mapping(let mapping):
            var record: [String: Value] = [:]
            for (key, child) in mapping {
                guard case .scalar(let name) = key else { throw file.diagnostic("names must be plain text", at: key.mark) }
                record[name.string] = try value(child, file)
            }
            return .record(record)
        case .sequence(let sequence):
            var items: [Value] = []
            for child in sequence { items.append(try value(child, file)) }
            return .list(items)
        case .scalar(let scalar):
            let text = scalar.string
            guard scalar.style == .plain else { return .string(text) }
            switch text {
            case "", "~", "null", "Null", "NULL": return .null
            case "true", "True", "TRUE": return .bool(true)
            case "false", "False", "FALSE": return .bool(false)
            default: break
            }
            if let date = CivilDate(iso: text) { return .date(date) }
            if let moment = LocalDateTime(iso: text) { return .dateTime(moment) }
            if let number = Double(text), text.first.map({ $0.isNumber || $0 == "-" || $0 == "+" || $0 == "." }) ?? false { return .number(number) }
            return .string(text)
        case .alias:
            throw file.diagnostic("aliases are not allowed in data files", at: node.mark)
        }
    }
}
