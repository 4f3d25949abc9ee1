public import AdvocateCore

/// A block tag's meaning: `{% if %}`, `{% elif %}`, `{% else %}`, `{% endif %}`, `{% for %}`, `{% endfor %}`.
///
/// `offset` is where the expression starts, in scalars from the start of the tag, so problems in
/// it can be located exactly.
enum Statement: Sendable {
    case `if`(Expression, offset: Int)
    case elif(Expression, offset: Int)
    case `else`
    case endif
    case `for`(variable: String, sequence: Expression, offset: Int)
    case endfor

    var keyword: String {
        switch self {
        case .if: return "if"
        case .elif: return "elif"
        case .else: return "else"
        case .endif: return "endif"
        case .for: return "for"
        case .endfor: return "endfor"
        }
    }

    static let keywords = ["if", "elif", "else", "endif", "for", "endfor"]

    /// Parses a statement tag's body; problems are located by scalar offset in the scanned text.
    static func parse(_ tag: Tag) throws(SyntaxProblem) -> Statement {
        let body = tag.body
        let scalars = Array(body.unicodeScalars)
        var wordEnd = 0
        while wordEnd < scalars.count, !scalars[wordEnd].properties.isWhitespace { wordEnd += 1 }
        var word = ""
        word.unicodeScalars.append(contentsOf: scalars[0..<wordEnd])
        var restStart = wordEnd
        while restStart < scalars.count, scalars[restStart].properties.isWhitespace { restStart += 1 }
        var rest = ""
        rest.unicodeScalars.append(contentsOf: scalars[restStart...])
        let restOffset = tag.bodyOffset + restStart

        func expression(_ text: String, at offset: Int) throws(SyntaxProblem) -> Expression {
            guard !text.isEmpty else { throw SyntaxProblem(message: "'\(word)' needs a condition", offset: tag.bodyOffset) }
            do { return try Expression(text) } catch {
                throw SyntaxProblem(message: error.message, offset: offset + error.range.lowerBound)
            }
        }
        func bare(_ statement: Statement) throws(SyntaxProblem) -> Statement {
            guard rest.isEmpty else { throw SyntaxProblem(message: "'\(word)' takes nothing after it", offset: restOffset) }
            return statement
        }

        switch word {
        case "if": return .if(try expression(rest, at: restOffset), offset: restOffset - tag.range.lowerBound)
        case "elif": return .elif(try expression(rest, at: restOffset), offset: restOffset - tag.range.lowerBound)
        case "else": return try bare(.else)
        case "endif": return try bare(.endif)
        case "endfor": return try bare(.endfor)
        case "for":
            // for NAME in EXPRESSION
            let parts = rest.split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: { $0.isWhitespace })
            guard parts.count == 3, parts[1] == "in" else {
                throw SyntaxProblem(message: "write a loop as 'for item in list'", offset: restOffset)
            }
            let name = String(parts[0])
            guard name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || $0 == "_" || ("0"..."9").contains($0) }),
                name.unicodeScalars.first.map({ !("0"..."9").contains($0) }) ?? false
            else {
                throw SyntaxProblem(message: "'\(name)' cannot name a loop variable (use letters, digits and _)", offset: restOffset)
            }
            let sequenceText = String(parts[2])
            let sequenceOffset = restOffset + rest.unicodeScalars.count - sequenceText.unicodeScalars.count
            return .for(variable: name, sequence: try expression(sequenceText, at: sequenceOffset), offset: sequenceOffset - tag.range.lowerBound)
        default:
            let hint = suggestion(word, Statement.keywords)
            throw SyntaxProblem(
                message: "unknown tag '\(word)'\(hint.isEmpty ? " (tags: \(Statement.keywords.joined(separator: ", ")))" : hint)",
                offset: tag.bodyOffset)
        }
    }
}
