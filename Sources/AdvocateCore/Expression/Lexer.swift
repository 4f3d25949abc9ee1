struct Token: Sendable {
    enum Kind: Equatable, Sendable {
        case identifier(String)
        case number(Double, isInteger: Bool)
        case string(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    var range: Range<Int>
}

/// Splits expression text into tokens; offsets count Unicode scalars.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ source: String) { scalars = Array(source.unicodeScalars) }

    mutating func tokens() throws(ExpressionError) -> [Token] {
        var result: [Token] = []
        while true {
            let token = try next()
            result.append(token)
            if token.kind == .end { return result }
        }
    }

    private mutating func next() throws(ExpressionError) -> Token {
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        let start = index
        guard index < scalars.count else { return Token(kind: .end, range: start..<start) }
        let c = scalars[index]
        if c.properties.isAlphabetic || c == "_" {
            while index < scalars.count, scalars[index].properties.isAlphabetic || scalars[index] == "_" || ("0"..."9").contains(scalars[index]) {
                index += 1
            }
            return Token(kind: .identifier(text(start, index)), range: start..<index)
        }
        if ("0"..."9").contains(c) {
            while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
            var isInteger = true
            if index + 1 < scalars.count, scalars[index] == ".", ("0"..."9").contains(scalars[index + 1]) {
                isInteger = false
                index += 1
                while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
            }
            guard let value = Double(text(start, index)) else { throw ExpressionError("bad number", at: start..<index) }
            return Token(kind: .number(value, isInteger: isInteger), range: start..<index)
        }
        if c == "\"" || c == "'" {
            index += 1
            var value = String.UnicodeScalarView()
            while index < scalars.count, scalars[index] != c {
                if scalars[index] == "\\", index + 1 < scalars.count {
                    index += 1
                    switch scalars[index] {
                    case "n": value.append("\n")
                    case "t": value.append("\t")
                    default: value.append(scalars[index])
                    }
                } else {
                    value.append(scalars[index])
                }
                index += 1
            }
            guard index < scalars.count else {
                throw ExpressionError("this string has no closing \(c == "\"" ? "double" : "single") quote", at: start..<index)
            }
            index += 1
            return Token(kind: .string(String(value)), range: start..<index)
        }
        for symbol in ["==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "(", ")", "[", "]", ",", ".", "|"] {
            let s = Array(symbol.unicodeScalars)
            if index + s.count <= scalars.count, Array(scalars[index..<index + s.count]) == s {
                index += s.count
                return Token(kind: .symbol(symbol), range: start..<index)
            }
        }
        if c == "=" {
            throw ExpressionError("use '==' to compare; a single '=' is not an operator", at: start..<start + 1)
        }
        throw ExpressionError("unexpected character '\(c)'", at: start..<start + 1)
    }

    private func text(_ from: Int, _ to: Int) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[from..<to])
        return String(view)
    }
}
