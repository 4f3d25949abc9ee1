internal import Yams
internal import AdvocateCore

/// Typed access to a composed YAML tree that records a located diagnostic for every problem,
/// so one pass over a file reports all of them.
struct YAMLReader {
    let file: SourceFile
    var diagnostics: [Diagnostic] = []

    init(file: SourceFile) { self.file = file }

    mutating func error(_ message: String, _ node: Node?) {
        diagnostics.append(file.diagnostic(message, at: node?.mark))
    }

    mutating func warning(_ message: String, _ node: Node?) {
        diagnostics.append(file.diagnostic(message, at: node?.mark, severity: .warning))
    }

    /// The entries of a mapping with string keys, in file order. Unknown keys are reported with a suggestion.
    mutating func mapping(_ node: Node, allowed: [String]? = nil, required: [String] = [], what: String) -> Entries? {
        guard case .mapping(let mapping) = node else {
            error("\(what) must be a mapping of keys to values", node)
            return nil
        }
        var entries = Entries()
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                error("keys in \(what) must be plain names", keyNode)
                continue
            }
            let key = scalar.string
            if let allowed, !allowed.contains(key) {
                error("unknown key '\(key)' in \(what)\(suggestion(key, allowed))", keyNode)
                continue
            }
            entries.list.append((key, keyNode, value))
        }
        for key in required where entries[key] == nil {
            error("\(what) needs '\(key)'", node)
        }
        return entries
    }

    mutating func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            error("\(what) must be text", node)
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Node?, _ what: String) -> Bool? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node, let value = ["true": true, "false": false, "yes": true, "no": false][scalar.string] else {
            error("\(what) must be true or false", node)
            return nil
        }
        return value
    }

    mutating func int(_ node: Node?, _ what: String) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            error("\(what) must be a whole number", node)
            return nil
        }
        return value
    }

    /// A list of strings; a single string is accepted as a list of one.
    mutating func strings(_ node: Node?, _ what: String) -> [(String, Node)] {
        guard let node else { return [] }
        switch node {
        case .scalar(let scalar): return [(scalar.string, node)]
        case .sequence(let sequence):
            return sequence.compactMap { item in string(item, "each item of \(what)").map { ($0, item) } }
        default:
            error("\(what) must be a list of text", node)
            return []
        }
    }

    /// Parses an expression, keeping where it sits so later type errors point into the file.
    mutating func expression(_ node: Node?, _ what: String) -> LocatedExpression? {
        guard let node else { return nil }
        guard case .scalar(let scalar) = node else {
            error("\(what) must be an expression written as text", node)
            return nil
        }
        let site = ExpressionSite(node: scalar)
        do {
            return LocatedExpression(expression: try Expression(scalar.string), site: site)
        } catch {
            report(error.message, at: error.range, in: site, what: what)
            return nil
        }
    }

    mutating func report(_ message: String, at range: Range<Int>, in site: ExpressionSite, what: String) {
        let (line, column) = site.position(of: range.lowerBound)
        diagnostics.append(file.diagnostic("\(what): \(message)", line: line, column: column))
    }
}

/// A mapping's entries in file order, with lookup by key.
struct Entries {
    var list: [(key: String, keyNode: Node, value: Node)] = []

    subscript(key: String) -> Node? { list.first { $0.key == key }?.value }
}

/// Where an expression's text starts in the file, to turn offsets into lines and columns.
struct ExpressionSite {
    var line: Int
    var column: Int
    var style: Node.Scalar.Style

    init(node: Node.Scalar) {
        line = node.mark?.line ?? 1
        column = node.mark?.column ?? 1
        style = node.style
    }

    func position(of offset: Int) -> (Int, Int) {
        switch style {
        case .singleQuoted, .doubleQuoted: return (line, column + 1 + offset)
        case .literal, .folded: return (line + 1, column)
        default: return (line, column + offset)
        }
    }
}

struct LocatedExpression {
    var expression: Expression
    var site: ExpressionSite
}

extension Node {
    var scalarString: String? {
        if case .scalar(let scalar) = self { return scalar.string }
        return nil
    }
}
