public import AdvocateCore

/// How to fill: what to do about values that are missing.
public struct FillOptions: Sendable {
    /// Leave a visible marker for a missing value instead of failing.
    public var allowMissing: Bool

    public init(allowMissing: Bool = false) {
        self.allowMissing = allowMissing
    }
}

/// A fill that could not finish: every value the template needs and the data lacks, or an
/// expression that failed, with its place in the template.
public struct FillError: Error, Sendable, CustomStringConvertible {
    /// Dotted names of every missing value, in the order the template first uses them.
    public var missing: [String]
    public var problems: [TemplateProblem]

    public var description: String {
        if !missing.isEmpty {
            let names = missing.joined(separator: ", ")
            return "missing value\(missing.count == 1 ? "" : "s"): \(names) (provide \(missing.count == 1 ? "it" : "them"), or fill with --allow-missing to leave a visible marker)"
        }
        return problems.map(\.description).joined(separator: "\n")
    }
}

/// Walks template blocks with case data, tracking loops and the values found missing.
struct Renderer {
    var environment: Environment
    let options: FillOptions
    private(set) var missing: [String] = []
    private var missingSet: Set<String> = []
    private(set) var problems: [TemplateProblem] = []

    init(environment: Environment, options: FillOptions) {
        self.environment = environment
        self.options = options
        self.environment.explainsDeadlines = false
    }

    /// The text a `{{ value }}` tag prints; a null value counts as missing and prints a marker.
    mutating func text(of expression: Expression, at location: TemplateLocation) -> String {
        let value: Value
        do { value = try expression.evaluate(in: &environment) } catch {
            problems.append(TemplateProblem(error.message, at: location.advanced(by: error.range.lowerBound)))
            return ""
        }
        if case .null = value { return "[missing: \(noteMissing(expression).joined(separator: ", "))]" }
        return value.text
    }

    /// Records the unset values an expression reads; returns their names.
    @discardableResult
    mutating func noteMissing(_ expression: Expression) -> [String] {
        var names = expression.paths.map(\.path).filter { environment.value(at: $0).isNull }
        if names.isEmpty { names = [expression.source] }
        for name in names where missingSet.insert(name).inserted { missing.append(name) }
        return names
    }

    mutating func test(_ expression: Expression, at location: TemplateLocation) -> Bool {
        do { return try expression.test(in: &environment) } catch {
            problems.append(TemplateProblem(error.message, at: location.advanced(by: error.range.lowerBound)))
            return false
        }
    }

    /// Renders blocks, calling `leaf` for each leaf that conditions and loops let through.
    mutating func render<Leaf>(_ blocks: [Block<Leaf>], _ leaf: (inout Renderer, Leaf) -> Void) {
        for block in blocks {
            switch block {
            case .leaf(let value):
                leaf(&self, value)
            case .conditional(let branches, let otherwise):
                var taken = false
                for branch in branches where test(branch.condition, at: branch.location) {
                    render(branch.body, leaf)
                    taken = true
                    break
                }
                if !taken { render(otherwise, leaf) }
            case .loop(let variable, let sequence, let body, let otherwise, let location):
                let items: [Value]
                do {
                    switch try sequence.evaluate(in: &environment) {
                    case .list(let list): items = list
                    case .null:
                        // An unset list is missing, like an unset value: the table would come out empty.
                        noteMissing(sequence)
                        items = []
                    case let other:
                        problems.append(TemplateProblem("'\(sequence.source)' is a \(other.typeName); a loop needs a list", at: location))
                        continue
                    }
                } catch {
                    problems.append(TemplateProblem(error.message, at: location.advanced(by: error.range.lowerBound)))
                    continue
                }
                if items.isEmpty {
                    render(otherwise, leaf)
                    continue
                }
                let saved = (environment.locals[variable], environment.locals["loop"])
                for (index, item) in items.enumerated() {
                    environment.locals[variable] = item
                    environment.locals["loop"] = .record([
                        "index": .number(Double(index + 1)), "index0": .number(Double(index)), "first": .bool(index == 0),
                        "last": .bool(index == items.count - 1), "length": .number(Double(items.count)),
                        "revindex": .number(Double(items.count - index)),
                    ])
                    render(body, leaf)
                }
                environment.locals[variable] = saved.0
                environment.locals["loop"] = saved.1
            }
        }
    }

    /// Throws when the fill cannot be used: failed expressions, or missing values not allowed.
    func finish() throws(FillError) {
        if !problems.isEmpty { throw FillError(missing: [], problems: problems) }
        if !missing.isEmpty, !options.allowMissing { throw FillError(missing: missing, problems: []) }
    }
}

extension TemplateLocation {
    /// The location `offset` scalars further along the same line (into a tag's expression).
    func advanced(by offset: Int) -> TemplateLocation {
        var copy = self
        copy.column += offset
        return copy
    }
}
