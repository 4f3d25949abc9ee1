/// A parsed expression: guards (`client.has_children and order.type == "ex parte"`), due dates
/// (`hearing.date - 3 court days`) and template tags all use this one language.
public struct Expression: Sendable, CustomStringConvertible {
    /// Held in one shared box: workflows hand expressions around on every input, and copying
    /// one reference costs far less than copying the text, the tree and the paths.
    private final class Parts: Sendable {
        let source: String
        let root: Node
        /// The tree as it runs: lists of constants made once (`x in ["es", "spanish"]`), not on
        /// every evaluation. The checker keeps reading `root`, whose lists carry element types.
        let runnable: Node
        let dependencies: FieldPaths
        let readsClock: Bool
        let fieldOffset: FieldOffset?
        let fieldTest: FieldTest?

        init(source: String, root: Node, runnable: Node? = nil) {
            self.source = source
            self.root = root
            self.runnable = runnable ?? root.foldingConstantLists()
            fieldOffset = FieldOffset(self.runnable)
            fieldTest = FieldTest(self.runnable)
            let paths = Set(root.paths.map(\.path))
            dependencies = FieldPaths(paths)
            readsClock = paths.contains("today") || paths.contains("now")
        }
    }

    private let parts: Parts

    /// The text it was parsed from.
    public var source: String { parts.source }
    var root: Node { parts.root }
    var runnable: Node { parts.runnable }
    /// The fields it reads, and whether it reads the clock (`today`, `now`): a value computed from
    /// it can only change when one of these does.
    var dependencies: FieldPaths { parts.dependencies }
    var readsClock: Bool { parts.readsClock }
    /// Set when the bound expression is `field ± period`, `field`, or the same from `today` or
    /// `now`, so a runner can count it directly.
    var fieldOffset: FieldOffset? { parts.fieldOffset }
    /// Set when the bound expression is a guard made of plain field tests, so a runner can test it directly.
    var fieldTest: FieldTest? { parts.fieldTest }

    /// Parses `source`, or throws an ``ExpressionError`` with the offset of the problem.
    public init(_ source: String) throws(ExpressionError) {
        var parser = Parser(source)
        self.init(source: source, root: try parser.parseAll())
    }

    init(source: String, root: Node) {
        parts = Parts(source: source, root: root)
    }

    private init(parts: Parts) {
        self.parts = parts
    }

    /// The same expression, made to read case data laid out on `layout` by position and to call
    /// its filters without looking them up by name. Only data laid out on `layout` is read by
    /// position; other data is read by name, as before.
    func bound(to layout: FieldLayout, filters: FilterLibrary) -> Expression {
        Expression(parts: Parts(source: source, root: root, runnable: runnable.bound(to: layout, filters: filters)))
    }

    public var description: String { source }

    /// Every dotted path the expression reads, with its offset, for field inventories and checks.
    public var paths: [(path: String, range: Range<Int>)] { root.paths }
}

/// A bound `field ± period` (`hearing.date - 3 court days`) or plain `field`, the shapes of
/// nearly every due date and timer, or the same counted from the clock (`today + 7 days`), as
/// payload defaults are. When the field holds a date, evaluating the expression gives that date
/// or counts exactly this period from it; a runner that sees the date there does the same
/// without walking the tree.
struct FieldOffset: Sendable {
    enum Start: Sendable {
        case field(position: Int)
        /// `today` or `now`, where no field has that name.
        case clock(FieldReference.Clock)
    }

    /// Not retained: the bound tree beside it holds the layout, so copying this out of an
    /// expression retains and releases nothing. A copy must not outlive its expression.
    unowned(unsafe) let layout: FieldLayout
    let start: Start
    let direction: Direction
    /// nil for a plain field.
    let period: Period?
    /// Whether the expression is null when its field is unset: no record field can stand in for
    /// it and it does not also name the clock.
    let nullWhenUnset: Bool

    init?(_ node: Node) {
        let base: Node
        switch node.kind {
        case .dateOffset(let field, let op, let period): (base, direction, self.period) = (field, op == .plus ? .forward : .backward, period)
        default: (base, direction, period) = (node, .forward, nil)
        }
        guard case .field(let reference) = base.kind else { return nil }
        nullWhenUnset = reference.readsOnlyItsSlot
        if let position = reference.position {
            start = .field(position: position)
        } else if let clock = reference.clock, reference.prefixes.isEmpty {
            start = .clock(clock)
        } else {
            return nil
        }
        layout = reference.layout
    }
}

/// A bound guard made only of field tests joined by `and`: `field`, `not field`,
/// `field == literal` and `field != literal` (`null` included), the shapes of nearly every
/// condition in a workflow. Testing it gives exactly what evaluating it and asking whether the
/// result is truthy gives, without walking the tree.
struct FieldTest: Sendable {
    enum Check: Sendable {
        case truthy, falsy
        case equals(Value), differs(Value)
    }

    /// Not retained: the bound tree beside it holds the layout, so copying this out of an
    /// expression retains no layout. A copy must not outlive its expression.
    unowned(unsafe) let layout: FieldLayout
    /// Each must hold.
    let clauses: [(position: Int, check: Check)]

    init?(_ node: Node) {
        var clauses: [(position: Int, check: Check)] = []
        var layout: FieldLayout?
        func add(_ node: Node) -> Bool {
            let field: Node, check: Check
            switch node.kind {
            case .binary(.and, let a, let b): return add(a) && add(b)
            case .not(let operand): (field, check) = (operand, .falsy)
            case .binary(let op, let a, let b) where op == .equal || op == .notEqual:
                let literal: Value
                switch (a.kind, b.kind) {
                case (.field, .literal(let value)): (field, literal) = (a, value)
                case (.literal(let value), .field): (field, literal) = (b, value)
                default: return false
                }
                check = op == .equal ? .equals(literal) : .differs(literal)
            default: (field, check) = (node, .truthy)
            }
            // A field that may read into a record, or stand for the clock when unset, is left to evaluation.
            guard case .field(let reference) = field.kind, reference.readsOnlyItsSlot, let position = reference.position,
                layout == nil || layout === reference.layout
            else { return false }
            layout = reference.layout
            clauses.append((position, check))
            return true
        }
        guard add(node), let layout else { return nil }
        self.layout = layout
        self.clauses = clauses
    }

    /// Whether every clause holds for `data`, which must be laid out on ``layout`` and hold nothing by name.
    func holds(in data: CaseData) -> Bool {
        for clause in clauses {
            let value = data[position: clause.position] ?? .null
            let holds =
                switch clause.check {
                case .truthy: value.isTruthy
                case .falsy: !value.isTruthy
                case .equals(let literal): Value.loosely(value, equals: literal)
                case .differs(let literal): !Value.loosely(value, equals: literal)
                }
            if !holds { return false }
        }
        return true
    }
}

/// A problem in an expression, located by Unicode-scalar offsets into its source.
public struct ExpressionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var range: Range<Int>

    public init(_ message: String, at range: Range<Int>) {
        self.message = message
        self.range = range
    }

    public var description: String { message }
}

struct Node: Sendable {
    var kind: Kind
    var range: Range<Int>

    indirect enum Kind: Sendable {
        case literal(Value)
        case path(Path)
        case list([Node])
        case not(Node)
        case negate(Node)
        case binary(BinaryOperator, Node, Node)
        case call(String, [Node])
        case filter(Node, name: String, arguments: [Node])
        /// A path bound to a layout's positions (only in a runnable tree).
        case field(FieldReference)
        /// A filter found in its library once, when the tree was bound (only in a runnable tree).
        ///
        /// `constants` holds the arguments' values when all are literals (`default("standard")`),
        /// so evaluating passes them as they are instead of building the list each time.
        case boundFilter(Node, Filter, arguments: [Node], constants: [Value]?)
        /// A date plus or minus a fixed period (`hearing.date - 3 court days`), the shape nearly
        /// every due date and timer has: counted without going through general arithmetic (only in
        /// a runnable tree).
        case dateOffset(Node, BinaryOperator, Period)
    }

    /// Every dotted path under this node, with its offset.
    var paths: [(path: String, range: Range<Int>)] {
        var result: [(String, Range<Int>)] = []
        visit { node in
            if case .path(let path) = node.kind { result.append((path.joined, node.range)) }
            if case .field(let reference) = node.kind { result.append((reference.path.joined, node.range)) }
        }
        return result
    }

    /// The same tree with each list of literals replaced by one literal list.
    func foldingConstantLists() -> Node {
        func fold(_ node: Node) -> Node { node.foldingConstantLists() }
        switch kind {
        case .literal, .path, .field:
            return self
        case .list(let items):
            let folded = items.map(fold)
            guard let values = Node.literals(folded) else { return Node(kind: .list(folded), range: range) }
            return Node(kind: .literal(.list(values)), range: range)
        case .not(let n): return Node(kind: .not(fold(n)), range: range)
        case .negate(let n): return Node(kind: .negate(fold(n)), range: range)
        case .binary(let op, let a, let b): return Node(kind: .binary(op, fold(a), fold(b)), range: range)
        case .call(let name, let args): return Node(kind: .call(name, args.map(fold)), range: range)
        case .filter(let n, let name, let args): return Node(kind: .filter(fold(n), name: name, arguments: args.map(fold)), range: range)
        case .boundFilter(let n, let filter, let args, _):
            let folded = args.map(fold)
            return Node(kind: .boundFilter(fold(n), filter, arguments: folded, constants: Node.literals(folded)), range: range)
        case .dateOffset(let n, let op, let period): return Node(kind: .dateOffset(fold(n), op, period), range: range)
        }
    }

    /// The values of `nodes` when every one is a literal (none: an empty list); nil otherwise.
    static func literals(_ nodes: [Node]) -> [Value]? {
        var values: [Value] = []
        for node in nodes {
            guard case .literal(let value) = node.kind else { return nil }
            values.append(value)
        }
        return values
    }

    /// The same tree with paths bound to `layout` and filters to `filters` (see ``Expression/bound(to:filters:)``).
    func bound(to layout: FieldLayout, filters: FilterLibrary) -> Node {
        func bind(_ node: Node) -> Node { node.bound(to: layout, filters: filters) }
        switch kind {
        case .literal, .field, .boundFilter, .dateOffset:
            return self
        case .path(let path):
            let reference = FieldReference(path, layout)
            guard reference.position != nil || !reference.prefixes.isEmpty || reference.clock != nil else { return self }
            return Node(kind: .field(reference), range: range)
        case .list(let items): return Node(kind: .list(items.map(bind)), range: range)
        case .not(let n): return Node(kind: .not(bind(n)), range: range)
        case .negate(let n): return Node(kind: .negate(bind(n)), range: range)
        case .binary(let op, let a, let b):
            if op == .plus || op == .minus, case .literal(.period(let period)) = b.kind {
                return Node(kind: .dateOffset(bind(a), op, period), range: range)
            }
            return Node(kind: .binary(op, bind(a), bind(b)), range: range)
        case .call(let name, let args): return Node(kind: .call(name, args.map(bind)), range: range)
        case .filter(let n, let name, let args):
            guard let filter = filters[name] else { return Node(kind: .filter(bind(n), name: name, arguments: args.map(bind)), range: range) }
            let bound = args.map(bind)
            return Node(kind: .boundFilter(bind(n), filter, arguments: bound, constants: Node.literals(bound)), range: range)
        }
    }

    func visit(_ body: (Node) -> Void) {
        body(self)
        switch kind {
        case .literal, .path, .field: break
        case .list(let items): items.forEach { $0.visit(body) }
        case .not(let n), .negate(let n), .dateOffset(let n, _, _): n.visit(body)
        case .binary(_, let a, let b): a.visit(body); b.visit(body)
        case .call(_, let args): args.forEach { $0.visit(body) }
        case .filter(let n, _, let args), .boundFilter(let n, _, let args, _): n.visit(body); args.forEach { $0.visit(body) }
        }
    }
}

/// A dotted path such as `hearing.date`, kept whole because case data is keyed by the full path.
/// A class, so evaluating a path lends one reference rather than copying its three parts.
final class Path: Sendable {
    let segments: [String]
    let joined: String
    /// The shorter paths it starts with, longest first (`a.b` and `a` for `a.b.c`): a stored
    /// record may be found under one. Joined once here, not on every lookup.
    let prefixes: [String]

    init(_ segments: [String]) {
        self.segments = segments
        self.joined = segments.joined(separator: ".")
        self.prefixes = (1..<max(segments.count, 1)).reversed().map { segments[0..<$0].joined(separator: ".") }
    }
}

/// A path as a runnable tree reads it from data laid out on one ``FieldLayout``: the position of
/// the field it names, or of the longest field its start names (a record it reads into).
final class FieldReference: Sendable {
    let path: Path
    let layout: FieldLayout
    let position: Int?
    /// The record fields the path may read into, longest first, each with where the member names
    /// start in its segments.
    let prefixes: [(position: Int, members: Int)]
    /// For `today` and `now`: which the path reads when no field of that name is set.
    let clock: Clock?

    enum Clock: Sendable { case today, now }

    /// Whether reading the path reads only its own slot: unset, it is null, with no record field
    /// to read into and no clock to stand in for it.
    var readsOnlyItsSlot: Bool { position != nil && prefixes.isEmpty && clock == nil }

    init(_ path: Path, _ layout: FieldLayout) {
        self.path = path
        self.layout = layout
        position = layout.position(path.joined)
        prefixes = path.prefixes.enumerated().compactMap { index, name in
            layout.position(name).map { ($0, path.segments.count - 1 - index) }
        }
        clock = switch path.joined {
        case "today": .today
        case "now": .now
        default: nil
        }
    }
}

enum BinaryOperator: String, Sendable {
    case or, and
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case isIn = "in", notIn = "not in"
    case plus = "+", minus = "-", times = "*", divide = "/"
}


/// The dotted paths something reads, matched against changed fields: a record field changes with
/// any of its members, and a member with its record.
struct FieldPaths: Sendable {
    let paths: Set<String>
    /// Every proper prefix of a read path (`hearing` for `hearing.date`).
    let prefixes: Set<String>

    init(_ paths: Set<String>) {
        self.paths = paths
        var prefixes: Set<String> = []
        for path in paths {
            var end = path.endIndex
            while let dot = path[..<end].lastIndex(of: ".") {
                prefixes.insert(String(path[..<dot]))
                end = dot
            }
        }
        self.prefixes = prefixes
    }

    /// Whether changing any of `fields` can change what is read.
    func overlap(_ fields: Set<String>) -> Bool {
        for field in fields {
            if paths.contains(field) || prefixes.contains(field) { return true }
            // Scan bytes, not characters: field names are ASCII and this runs on every input.
            let bytes = field.utf8
            var index = bytes.startIndex
            while index != bytes.endIndex {
                if bytes[index] == UInt8(ascii: "."), paths.contains(String(field[..<index])) { return true }
                bytes.formIndex(after: &index)
            }
        }
        return false
    }
}
