public import AdvocateCore

/// Template structure over leaves of some kind: XML operations, pieces of a paragraph, or text.
indirect enum Block<Leaf: Sendable>: Sendable {
    case leaf(Leaf)
    case conditional(branches: [Branch], otherwise: [Block])
    /// `location` is the sequence expression's; `otherwise` runs when the list is empty (`{% else %}`).
    case loop(variable: String, sequence: Expression, body: [Block], otherwise: [Block], location: TemplateLocation)

    struct Branch: Sendable {
        var condition: Expression
        var location: TemplateLocation
        var body: [Block]
    }
}

/// A leaf or a block tag, in template order, before nesting.
enum BlockItem<Leaf: Sendable> {
    case leaf(Leaf)
    case statement(Statement, TemplateLocation)
    /// Structure already nested (the inside of an element).
    case block(Block<Leaf>)
}

/// Nests a flat run of leaves and block tags into ``Block``s, reporting every unmatched tag.
enum BlockBuilder {
    private struct Frame<Leaf: Sendable> {
        enum Kind { case conditional, loop(String, Expression, TemplateLocation) }
        var kind: Kind
        var opened: TemplateLocation
        var branches: [Block<Leaf>.Branch] = []
        var otherwise: [Block<Leaf>]? = nil
        var current: [Block<Leaf>] = []
        var currentCondition: (Expression, TemplateLocation)?
        /// A loop's body, once its `else` has begun.
        var loopBody: [Block<Leaf>]? = nil
    }

    /// `scope` names what the tags must stay inside, for messages ("paragraph", "table row").
    static func build<Leaf>(_ items: [BlockItem<Leaf>], scope: String, problems: inout [TemplateProblem]) -> [Block<Leaf>] {
        var root: [Block<Leaf>] = []
        var stack: [Frame<Leaf>] = []

        func append(_ block: Block<Leaf>) {
            if stack.isEmpty { root.append(block) } else { stack[stack.count - 1].current.append(block) }
        }
        func closeBranch(_ frame: inout Frame<Leaf>) {
            if let (condition, location) = frame.currentCondition {
                frame.branches.append(.init(condition: condition, location: location, body: frame.current))
            } else {
                frame.otherwise = frame.current
            }
            frame.current = []
        }

        for item in items {
            switch item {
            case .leaf(let leaf):
                append(.leaf(leaf))
            case .block(let block):
                append(block)
            case .statement(let statement, let location):
                switch statement {
                case .if(let condition, let offset):
                    stack.append(Frame(kind: .conditional, opened: location, currentCondition: (condition, location.advanced(by: offset))))
                case .for(let variable, let sequence, let offset):
                    stack.append(Frame(kind: .loop(variable, sequence, location.advanced(by: offset)), opened: location))
                case .elif(let condition, let offset):
                    guard var frame = stack.last, case .conditional = frame.kind else {
                        problems.append(TemplateProblem("'elif' with no open 'if' in this \(scope)", at: location))
                        continue
                    }
                    guard frame.otherwise == nil, frame.currentCondition != nil else {
                        problems.append(TemplateProblem("'elif' after 'else': the 'else' must come last", at: location))
                        continue
                    }
                    closeBranch(&frame)
                    frame.currentCondition = (condition, location.advanced(by: offset))
                    stack[stack.count - 1] = frame
                case .else:
                    guard var frame = stack.last else {
                        problems.append(TemplateProblem("'else' with no open 'if' or 'for' in this \(scope)", at: location))
                        continue
                    }
                    if case .loop = frame.kind {
                        // `{% for %} … {% else %} … {% endfor %}`: what to write for an empty list.
                        guard frame.loopBody == nil else {
                            problems.append(TemplateProblem("a second 'else' in the same 'for'", at: location))
                            continue
                        }
                        frame.loopBody = frame.current
                        frame.current = []
                        stack[stack.count - 1] = frame
                        continue
                    }
                    guard frame.currentCondition != nil else {
                        problems.append(TemplateProblem("a second 'else' in the same 'if'", at: location))
                        continue
                    }
                    closeBranch(&frame)
                    frame.currentCondition = nil
                    stack[stack.count - 1] = frame
                case .endif:
                    guard var frame = stack.last, case .conditional = frame.kind else {
                        problems.append(TemplateProblem(unmatched("endif", stack.last, scope), at: location))
                        continue
                    }
                    stack.removeLast()
                    closeBranch(&frame)
                    append(.conditional(branches: frame.branches, otherwise: frame.otherwise ?? []))
                case .endfor:
                    guard let frame = stack.last, case .loop(let variable, let sequence, let sequenceLocation) = frame.kind else {
                        problems.append(TemplateProblem(unmatched("endfor", stack.last, scope), at: location))
                        continue
                    }
                    stack.removeLast()
                    let (body, otherwise) = frame.loopBody.map { ($0, frame.current) } ?? (frame.current, [])
                    append(.loop(variable: variable, sequence: sequence, body: body, otherwise: otherwise, location: sequenceLocation))
                }
            }
        }
        for frame in stack.reversed() {
            let (keyword, closer) = if case .loop = frame.kind { ("for", "endfor") } else { ("if", "endif") }
            problems.append(TemplateProblem("this '\(keyword)' has no '\(closer)' in the same \(scope)", at: frame.opened))
        }
        return root
    }

    private static func unmatched<Leaf>(_ keyword: String, _ open: Frame<Leaf>?, _ scope: String) -> String {
        guard let open else { return "'\(keyword)' with no open block in this \(scope)" }
        if case .loop = open.kind { return "'\(keyword)' where 'endfor' was expected (the 'for' opened at \(open.opened.short))" }
        return "'\(keyword)' where 'endif' was expected (the 'if' opened at \(open.opened.short))"
    }
}

/// Where something is in a template: a line of a text template, or a paragraph of an office part.
public struct TemplateLocation: Sendable, Hashable {
    /// The part of an office package (`word/header1.xml`); nil for text templates.
    public var part: String?
    /// The line of a text template, or the paragraph's number within its part.
    public var line: Int
    /// 1-based column within that line or paragraph's text.
    public var column: Int
    /// The line or paragraph's text, for showing the problem in context.
    public var context: String
    /// Whether `line` counts paragraphs (office text) rather than lines (XML outside paragraphs).
    public var countsParagraphs: Bool

    public init(part: String? = nil, line: Int, column: Int, context: String, countsParagraphs: Bool = true) {
        self.part = part
        self.line = line
        self.column = column
        self.context = context
        self.countsParagraphs = countsParagraphs && part != nil
    }

    /// "paragraph 12 of the body", "line 2 of the document properties" or "line 3".
    public var short: String {
        guard let part else { return "line \(line)" }
        return "\(countsParagraphs ? "paragraph" : "line") \(line) of \(TemplateLocation.partName(part))"
    }

    /// Friendly names for office parts.
    static func partName(_ part: String) -> String {
        switch part {
        case "word/document.xml", "content.xml": return "the body"
        case "styles.xml": return "the page styles (headers and footers)"
        case "word/footnotes.xml": return "the footnotes"
        case "word/endnotes.xml": return "the endnotes"
        case "docProps/core.xml", "meta.xml": return "the document properties"
        default:
            let name = part.split(separator: "/").last.map(String.init) ?? part
            if name.hasPrefix("header") { return "a header (\(name))" }
            if name.hasPrefix("footer") { return "a footer (\(name))" }
            return name
        }
    }
}

/// A problem in a template, with its location.
public struct TemplateProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }
    public var message: String
    public var location: TemplateLocation
    public var severity: Severity

    public init(_ message: String, at location: TemplateLocation, severity: Severity = .error) {
        self.message = message
        self.location = location
        self.severity = severity
    }

    public var description: String { "\(location.short):\(location.column): \(severity.rawValue): \(message)" }
}
