internal import AdvocateCore

/// Which structure a tag stands for: a tag with a `p`, `tr`, `tc` or `r` prefix (`{%p if x %}`)
/// removes the whole paragraph, table row, cell or run that holds it, as in docxtpl.
public enum TagLevel: String, Sendable {
    case inline = ""
    case paragraph = "p"
    case row = "tr"
    case cell = "tc"
    case run = "r"
}

/// One `{{ … }}`, `{% … %}` or `{# … #}` found in template text.
struct Tag: Sendable {
    enum Kind: Sendable { case output, statement, comment }

    var kind: Kind
    var level: TagLevel
    /// The text between the delimiters, prefix and trim marks removed.
    var body: String
    /// Scalar offset of `body` in the scanned text.
    var bodyOffset: Int
    /// Scalar range of the whole tag, delimiters included.
    var range: Range<Int>
    /// `{%-` and `-%}`: strip the whitespace before or after the tag.
    var trimBefore: Bool
    var trimAfter: Bool
}

extension Tag {
    /// The expression of a `{{ … }}` tag; a problem is located by scalar offset in the scanned text.
    func expression() throws(SyntaxProblem) -> Expression {
        guard !body.isEmpty else { throw SyntaxProblem(message: "empty {{ }}: put a name or expression inside", offset: range.lowerBound) }
        do { return try Expression(body) } catch {
            throw SyntaxProblem(message: error.message, offset: bodyOffset + error.range.lowerBound)
        }
    }
}

/// Text or a tag, in the order they appear.
enum Segment: Sendable {
    case text(Range<Int>)
    case tag(Tag)
}

/// A syntax problem at a scalar offset of the scanned text.
struct SyntaxProblem: Error {
    var message: String
    var offset: Int
}

extension Segment {
    /// The text range of segment `index` less the whitespace that `{%-` or `-%}` on the tags
    /// beside it strip.
    static func trimmed(_ range: Range<Int>, at index: Int, in segments: [Segment], _ scalars: [Unicode.Scalar]) -> Range<Int> {
        var range = range
        if index > 0, case .tag(let previous) = segments[index - 1], previous.trimAfter {
            while range.lowerBound < range.upperBound, scalars[range.lowerBound].properties.isWhitespace { range = range.lowerBound + 1..<range.upperBound }
        }
        if index + 1 < segments.count, case .tag(let next) = segments[index + 1], next.trimBefore {
            while range.lowerBound < range.upperBound, scalars[range.upperBound - 1].properties.isWhitespace { range = range.lowerBound..<range.upperBound - 1 }
        }
        return range
    }
}

/// Finds tags in template text. Tags may hold quoted strings with braces in them; an opening
/// delimiter with no closing one is an error, located at the opening.
enum TagScanner {
    static func scan(_ s: [Unicode.Scalar]) throws(SyntaxProblem) -> [Segment] {
        var segments: [Segment] = []
        var textStart = 0
        var i = 0
        let n = s.count
        while i + 1 < n {
            guard s[i] == "{", s[i + 1] == "{" || s[i + 1] == "%" || s[i + 1] == "#" else {
                i += 1
                continue
            }
            let opener = s[i + 1]
            let closer: Unicode.Scalar = opener == "{" ? "}" : opener
            let kind: Tag.Kind = opener == "{" ? .output : opener == "%" ? .statement : .comment
            let start = i
            var j = i + 2
            var trimBefore = false
            if j < n, s[j] == "-" {
                trimBefore = true
                j += 1
            }
            var level = TagLevel.inline
            for candidate in [TagLevel.row, .cell, .paragraph, .run] {
                let letters = Array(candidate.rawValue.unicodeScalars)
                if j + letters.count < n, Array(s[j..<j + letters.count]) == letters, s[j + letters.count].properties.isWhitespace {
                    level = candidate
                    j += letters.count
                    break
                }
            }
            // Find the closing delimiter, stepping over quoted strings (not in comments).
            var k = j
            var quote: Unicode.Scalar? = nil
            var end: Int? = nil
            while k + 1 < n {
                let c = TagScanner.straightened(s[k])
                if let q = quote {
                    if c == "\\" { k += 2; continue }
                    if c == q { quote = nil }
                } else if kind != .comment, c == "\"" || c == "'" {
                    quote = c
                } else if c == closer, s[k + 1] == "}" {
                    end = k
                    break
                } else if kind != .comment, c == "{", s[k + 1] == "{" || s[k + 1] == "%" {
                    break
                }
                k += 1
            }
            guard let close = end else {
                let what = kind == .output ? "{{ needs a closing }}" : kind == .statement ? "{% needs a closing %}" : "{# needs a closing #}"
                throw SyntaxProblem(message: "unclosed tag: \(what)", offset: start)
            }
            var bodyEnd = close
            var trimAfter = false
            if bodyEnd > j, s[bodyEnd - 1] == "-" {
                trimAfter = true
                bodyEnd -= 1
            }
            var bodyStart = j
            while bodyStart < bodyEnd, s[bodyStart].properties.isWhitespace { bodyStart += 1 }
            var trimmedEnd = bodyEnd
            while trimmedEnd > bodyStart, s[trimmedEnd - 1].properties.isWhitespace { trimmedEnd -= 1 }
            // Word's AutoFormat curls quotes and objects may sit inside a tag: the expression
            // sees straight quotes and no objects, as in docxtpl.
            var body = ""
            for scalar in s[bodyStart..<trimmedEnd] where scalar != "\u{FFFC}" { body.unicodeScalars.append(straightened(scalar)) }
            if textStart < start { segments.append(.text(textStart..<start)) }
            segments.append(
                .tag(Tag(kind: kind, level: level, body: body, bodyOffset: bodyStart, range: start..<close + 2, trimBefore: trimBefore, trimAfter: trimAfter)))
            i = close + 2
            textStart = i
        }
        if textStart < n { segments.append(.text(textStart..<n)) }
        return segments
    }

    /// Curly quotes as straight ones.
    static func straightened(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "\u{201C}", "\u{201D}", "\u{201E}": return "\""
        case "\u{2018}", "\u{2019}": return "'"
        default: return scalar
        }
    }
}
