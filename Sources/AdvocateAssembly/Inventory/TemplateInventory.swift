public import AdvocateCore

/// A variable a template reads, and where.
public struct VariableUse: Sendable, Hashable {
    /// The dotted path (`hearing.date`).
    public var name: String
    public var location: TemplateLocation
}

extension Block {
    /// Every expression under these blocks, with the loops around it.
    static func sites(_ blocks: [Block], loops: [(variable: String, sequence: Expression)] = [], leaf: (Leaf, [(variable: String, sequence: Expression)], inout [ExpressionSite]) -> Void, into sites: inout [ExpressionSite]) {
        for block in blocks {
            switch block {
            case .leaf(let value):
                leaf(value, loops, &sites)
            case .conditional(let branches, let otherwise):
                for branch in branches {
                    sites.append(ExpressionSite(expression: branch.condition, location: branch.location, loops: loops))
                    Block.sites(branch.body, loops: loops, leaf: leaf, into: &sites)
                }
                Block.sites(otherwise, loops: loops, leaf: leaf, into: &sites)
            case .loop(let variable, let sequence, let body, let otherwise, let location):
                sites.append(ExpressionSite(expression: sequence, location: location, loops: loops))
                Block.sites(body, loops: loops + [(variable, sequence)], leaf: leaf, into: &sites)
                Block.sites(otherwise, loops: loops, leaf: leaf, into: &sites)
            }
        }
    }
}

/// What a compiled template reads, and the checks over it.
public protocol TemplateExpressions {
    /// Every expression, with its location and the loops around it.
    var expressionSites: [ExpressionSite] { get }
}

/// An expression in a template with the loops around it (outermost first), for listing and
/// type-checking what the template reads.
public struct ExpressionSite: Sendable {
    public var expression: Expression
    public var location: TemplateLocation
    public var loops: [(variable: String, sequence: Expression)]
}

extension TextTemplate: TemplateExpressions {
    public var expressionSites: [ExpressionSite] {
        var sites: [ExpressionSite] = []
        Block.sites(blocks, leaf: { leaf, loops, sites in
            if case .value(let expression, let location) = leaf { sites.append(ExpressionSite(expression: expression, location: location, loops: loops)) }
        }, into: &sites)
        return sites
    }
}

extension OfficeTemplate: TemplateExpressions {
    public var expressionSites: [ExpressionSite] {
        var sites: [ExpressionSite] = []
        for part in parts { OfficeTemplate.sites(part.blocks, loops: [], into: &sites) }
        return sites
    }

    static func sites(_ blocks: [Block<PartLeaf>], loops: [(variable: String, sequence: Expression)], into sites: inout [ExpressionSite]) {
        Block.sites(blocks, loops: loops, leaf: { leaf, loops, sites in
            switch leaf {
            case .value(let expression, let location): sites.append(ExpressionSite(expression: expression, location: location, loops: loops))
            case .paragraph(let paragraph):
                Block.sites(paragraph.body, loops: loops, leaf: { inner, loops, sites in
                    switch inner {
                    case .value(let expression, _, let location): sites.append(ExpressionSite(expression: expression, location: location, loops: loops))
                    case .box(let blocks, _): OfficeTemplate.sites(blocks, loops: loops, into: &sites)
                    case .text, .raw: break
                    }
                }, into: &sites)
            case .bytes, .numbering, .restart, .paragraphRequiredFrom, .paragraphRequiredTo: break
            }
        }, into: &sites)
    }
}

extension TemplateExpressions {
    /// Every case variable read (loop variables and `loop` excluded), with each place it is read.
    public var variables: [VariableUse] {
        var uses: [VariableUse] = []
        for site in expressionSites {
            let locals = Set(site.loops.map(\.variable) + (site.loops.isEmpty ? [] : ["loop"]))
            for path in site.expression.paths {
                let first = path.path.split(separator: ".").first.map(String.init) ?? path.path
                if locals.contains(first) || path.path == "today" || path.path == "now" { continue }
                uses.append(VariableUse(name: path.path, location: site.location.advanced(by: path.range.lowerBound)))
            }
        }
        return uses
    }

    /// Type errors, unknown filters and variables not among `fields`, each with its location.
    public func check(fields: [String: ValueType], filters: FilterLibrary) -> [TemplateProblem] {
        var problems: [TemplateProblem] = []
        var seen: Set<String> = []
        for site in expressionSites {
            var scope = TypeScope(fields: fields, filters: filters)
            for loop in site.loops {
                let (type, _) = loop.sequence.check(in: scope)
                if case .list(let element) = type { scope.locals[loop.variable] = element } else { scope.locals[loop.variable] = .any }
                scope.locals["loop"] = .record(["index": .number, "index0": .number, "first": .bool, "last": .bool, "length": .number, "revindex": .number])
            }
            for error in site.expression.check(in: scope).errors {
                let problem = TemplateProblem(error.message, at: site.location.advanced(by: error.range.lowerBound))
                if seen.insert(problem.description).inserted { problems.append(problem) }
            }
        }
        return problems
    }
}
