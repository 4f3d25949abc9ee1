/// A recursive-descent parser. Precedence, loosest first: `or`, `and`, `not`, comparisons and
/// `in`, `+ -`, `* /`, unary minus, then member access, calls and `| filter`.
struct Parser {
    private var tokens: [Token] = []
    private var position = 0
    private let source: String
    private var lexError: ExpressionError?

    init(_ source: String) {
        self.source = source
        var lexer = Lexer(source)
        do { tokens = try lexer.tokens() } catch { lexError = error }
    }

    mutating func parseAll() throws(ExpressionError) -> Node {
        if let lexError { throw lexError }
        guard peek.kind != .end else { throw ExpressionError("the expression is empty", at: 0..<0) }
        let node = try parseOr()
        guard peek.kind == .end else { throw ExpressionError("unexpected \(describe(peek)) after a complete expression", at: peek.range) }
        return node
    }

    private var peek: Token { tokens[position] }

    private mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isKeyword(_ word: String, at offset: Int = 0) -> Bool {
        let i = min(position + offset, tokens.count - 1)
        return tokens[i].kind == .identifier(word)
    }

    private func isSymbol(_ symbol: String) -> Bool { peek.kind == .symbol(symbol) }

    private mutating func expect(_ symbol: String, _ context: String) throws(ExpressionError) -> Token {
        guard isSymbol(symbol) else { throw ExpressionError("expected '\(symbol)' \(context), found \(describe(peek))", at: peek.range) }
        return advance()
    }

    private func describe(_ token: Token) -> String {
        switch token.kind {
        case .end: return "the end of the expression"
        case .identifier(let s): return "'\(s)'"
        case .number(let n, _): return "'\(Value.format(number: n))'"
        case .string(let s): return "\"\(s)\""
        case .symbol(let s): return "'\(s)'"
        }
    }

    private mutating func parseOr() throws(ExpressionError) -> Node {
        var left = try parseAnd()
        while isKeyword("or") {
            _ = advance()
            let right = try parseAnd()
            left = Node(kind: .binary(.or, left, right), range: left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    private mutating func parseAnd() throws(ExpressionError) -> Node {
        var left = try parseNot()
        while isKeyword("and") {
            _ = advance()
            let right = try parseNot()
            left = Node(kind: .binary(.and, left, right), range: left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    private mutating func parseNot() throws(ExpressionError) -> Node {
        if isKeyword("not") {
            let start = advance().range.lowerBound
            let operand = try parseNot()
            return Node(kind: .not(operand), range: start..<operand.range.upperBound)
        }
        return try parseComparison()
    }

    private mutating func parseComparison() throws(ExpressionError) -> Node {
        let left = try parseAdditive()
        var op: BinaryOperator?
        if case .symbol(let s) = peek.kind, let o = BinaryOperator(rawValue: s), [.equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual].contains(o) {
            op = o
            _ = advance()
        } else if isKeyword("in") {
            op = .isIn
            _ = advance()
        } else if isKeyword("not"), isKeyword("in", at: 1) {
            op = .notIn
            _ = advance()
            _ = advance()
        }
        guard let op else { return left }
        let right = try parseAdditive()
        return Node(kind: .binary(op, left, right), range: left.range.lowerBound..<right.range.upperBound)
    }

    private mutating func parseAdditive() throws(ExpressionError) -> Node {
        var left = try parseMultiplicative()
        while isSymbol("+") || isSymbol("-") {
            let op: BinaryOperator = advance().kind == .symbol("+") ? .plus : .minus
            let right = try parseMultiplicative()
            left = Node(kind: .binary(op, left, right), range: left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    private mutating func parseMultiplicative() throws(ExpressionError) -> Node {
        var left = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let op: BinaryOperator = advance().kind == .symbol("*") ? .times : .divide
            let right = try parseUnary()
            left = Node(kind: .binary(op, left, right), range: left.range.lowerBound..<right.range.upperBound)
        }
        return left
    }

    private mutating func parseUnary() throws(ExpressionError) -> Node {
        if isSymbol("-") {
            let start = advance().range.lowerBound
            let operand = try parseUnary()
            return Node(kind: .negate(operand), range: start..<operand.range.upperBound)
        }
        return try parsePostfix()
    }

    private mutating func parsePostfix() throws(ExpressionError) -> Node {
        var node = try parsePrimary()
        while isSymbol("|") {
            _ = advance()
            guard case .identifier(let name) = peek.kind else {
                throw ExpressionError("expected a filter name after '|', found \(describe(peek))", at: peek.range)
            }
            var end = advance().range.upperBound
            var arguments: [Node] = []
            if isSymbol("(") {
                (arguments, end) = try parseArguments()
            }
            node = Node(kind: .filter(node, name: name, arguments: arguments), range: node.range.lowerBound..<end)
        }
        return node
    }

    private mutating func parseArguments() throws(ExpressionError) -> ([Node], Int) {
        _ = try expect("(", "to open the arguments")
        var arguments: [Node] = []
        if !isSymbol(")") {
            repeat {
                if isSymbol(",") { _ = advance() }
                arguments.append(try parseOr())
            } while isSymbol(",")
        }
        let close = try expect(")", "to close the arguments")
        return (arguments, close.range.upperBound)
    }

    private mutating func parsePrimary() throws(ExpressionError) -> Node {
        let token = advance()
        switch token.kind {
        case .number(let value, let isInteger):
            if let (unit, end) = periodUnit(), isInteger {
                return Node(kind: .literal(.period(Period(Int(value), unit))), range: token.range.lowerBound..<end)
            }
            return Node(kind: .literal(.number(value)), range: token.range)
        case .string(let s):
            return Node(kind: .literal(.string(s)), range: token.range)
        case .identifier(let word):
            switch word {
            case "true": return Node(kind: .literal(.bool(true)), range: token.range)
            case "false": return Node(kind: .literal(.bool(false)), range: token.range)
            case "null", "none": return Node(kind: .literal(.null), range: token.range)
            case "and", "or", "not", "in":
                throw ExpressionError("expected a value, found the keyword '\(word)'", at: token.range)
            default: break
            }
            if isSymbol("(") {
                let (arguments, end) = try parseArguments()
                return Node(kind: .call(word, arguments), range: token.range.lowerBound..<end)
            }
            var segments = [word]
            var end = token.range.upperBound
            while isSymbol(".") {
                _ = advance()
                guard case .identifier(let member) = peek.kind else {
                    throw ExpressionError("expected a field name after '.', found \(describe(peek))", at: peek.range)
                }
                segments.append(member)
                end = advance().range.upperBound
            }
            return Node(kind: .path(Path(segments)), range: token.range.lowerBound..<end)
        case .symbol("("):
            let inner = try parseOr()
            let close = try expect(")", "to close '('")
            return Node(kind: inner.kind, range: token.range.lowerBound..<close.range.upperBound)
        case .symbol("["):
            var items: [Node] = []
            if !isSymbol("]") {
                repeat {
                    if isSymbol(",") { _ = advance() }
                    items.append(try parseOr())
                } while isSymbol(",")
            }
            let close = try expect("]", "to close the list")
            return Node(kind: .list(items), range: token.range.lowerBound..<close.range.upperBound)
        default:
            throw ExpressionError("expected a value, found \(describe(token))", at: token.range)
        }
    }

    /// Reads a period unit after a whole number: `days`, `court days`, `business days`, `hours`, `weeks`, `months`, `years`.
    private mutating func periodUnit() -> (Period.Unit, Int)? {
        guard case .identifier(let word) = peek.kind else { return nil }
        let simple: [String: Period.Unit] = [
            "day": .days, "days": .days, "hour": .hours, "hours": .hours, "week": .weeks, "weeks": .weeks,
            "month": .months, "months": .months, "year": .years, "years": .years,
        ]
        if let unit = simple[word] { return (unit, advance().range.upperBound) }
        if word == "court" || word == "business" || word == "calendar" {
            let next = tokens[min(position + 1, tokens.count - 1)]
            if next.kind == .identifier("day") || next.kind == .identifier("days") {
                _ = advance()
                return (word == "calendar" ? .days : .courtDays, advance().range.upperBound)
            }
        }
        return nil
    }
}
