public import AdvocateCore

/// A template over plain text: HTML and XHTML pages, where tags may sit anywhere (inside
/// attributes too) and every value is escaped, so no data can break the page.
public struct TextTemplate: Sendable {
    public enum Escaping: Sendable {
        /// HTML: `& < > " '` escaped, line breaks become `<br>`.
        case html
        /// XHTML: the same, with line breaks as `<br/>`.
        case xhtml
        /// Plain text, copied as it is.
        case none
    }

    enum Leaf: Sendable {
        case text(String)
        case value(Expression, location: TemplateLocation)
    }

    let blocks: [Block<Leaf>]
    let escaping: Escaping

    /// Compiles `source`; problems carry line and column.
    public static func compile(_ source: String, escaping: Escaping) -> (template: TextTemplate, problems: [TemplateProblem]) {
        let scalars = Array(source.unicodeScalars)
        var lineStarts = [0]
        for (index, scalar) in scalars.enumerated() where scalar == "\n" { lineStarts.append(index + 1) }
        func location(_ offset: Int) -> TemplateLocation {
            var low = 0, high = lineStarts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
            }
            let start = lineStarts[low]
            var end = start
            while end < scalars.count, scalars[end] != "\n" { end += 1 }
            var line = ""
            line.unicodeScalars.append(contentsOf: scalars[start..<end])
            return TemplateLocation(line: low + 1, column: offset - start + 1, context: line)
        }
        var problems: [TemplateProblem] = []
        let segments: [Segment]
        do { segments = try TagScanner.scan(scalars) } catch {
            problems.append(TemplateProblem(error.message, at: location(error.offset)))
            return (TextTemplate(blocks: [], escaping: escaping), problems)
        }
        var items: [BlockItem<Leaf>] = []
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .text(let whole):
                let range = Segment.trimmed(whole, at: index, in: segments, scalars)
                var text = ""
                text.unicodeScalars.append(contentsOf: scalars[range])
                if !text.isEmpty { items.append(.leaf(.text(text))) }
            case .tag(let tag):
                switch tag.kind {
                case .comment: continue
                case .output:
                    do { items.append(.leaf(.value(try tag.expression(), location: location(tag.bodyOffset)))) } catch {
                        problems.append(TemplateProblem(error.message, at: location(error.offset)))
                    }
                case .statement:
                    do { items.append(.statement(try Statement.parse(tag), location(tag.range.lowerBound))) } catch {
                        problems.append(TemplateProblem(error.message, at: location(error.offset)))
                    }
                }
            }
        }
        let blocks = BlockBuilder.build(items, scope: "template", problems: &problems)
        return (TextTemplate(blocks: blocks, escaping: escaping), problems)
    }

    /// Fills the template; throws ``FillError`` for missing values (unless allowed) or failed expressions.
    public func fill(_ environment: Environment, options: FillOptions = FillOptions()) throws(FillError) -> String {
        try fillReportingMissing(environment, options: options).text
    }

    /// Fills the template, and lists the values found missing when ``FillOptions/allowMissing`` lets it finish.
    public func fillReportingMissing(_ environment: Environment, options: FillOptions = FillOptions()) throws(FillError) -> (text: String, missing: [String]) {
        var renderer = Renderer(environment: environment, options: options)
        var out = ""
        let escaping = escaping
        renderer.render(blocks) { renderer, leaf in
            switch leaf {
            case .text(let text): out += text
            case .value(let expression, let location):
                let text = renderer.text(of: expression, at: location)
                switch escaping {
                case .none: out += text
                case .html: TextTemplate.escapeHTML(text, lineBreak: "<br>\n", into: &out)
                case .xhtml: TextTemplate.escapeHTML(text, lineBreak: "<br/>\n", into: &out)
                }
            }
        }
        try renderer.finish()
        return (out, renderer.missing)
    }

    static func escapeHTML(_ text: String, lineBreak: String, into out: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\n": out += lineBreak
            case "\r": continue
            default: out.unicodeScalars.append(scalar)
            }
        }
    }
}
