public import AdvocateCore
public import AdvocateXML

/// One piece of a compiled office part.
enum PartLeaf: Sendable {
    /// Markup and text copied as they are.
    case bytes([UInt8])
    /// A paragraph whose text holds tags.
    case paragraph(InlineParagraph)
    /// A value printed as XML text outside paragraphs (document properties).
    case value(Expression, location: TemplateLocation)
    /// A list numbering id that restarts in each pass of the loop around it.
    case numbering(Int)
    /// Starts these lists again (first in a loop's body).
    case restart([Int])
    /// Around the content of a Word cell, header, footer or note whose paragraphs all sit in
    /// blocks: Word requires at least one paragraph there, so an empty one is added if none was written.
    case paragraphRequiredFrom
    case paragraphRequiredTo
}

/// An XML part of a DOCX or ODT template, compiled once: static markup is serialised ahead of
/// time, so filling only evaluates tags and copies bytes.
public struct CompiledPart: Sendable {
    public let path: String
    let declaration: [UInt8]
    let blocks: [Block<PartLeaf>]
    /// Whether the part holds any tags at all (otherwise it is copied unchanged).
    public let isTemplate: Bool

    func render(_ renderer: inout Renderer, numbering: inout NumberingRestarts) -> [UInt8] {
        var out = declaration
        out.reserveCapacity(declaration.count + 64 << 10)
        CompiledPart.render(blocks, &renderer, numbering: &numbering, into: &out)
        return out
    }

    /// Renders compiled blocks: a part's, or a text box's inside a paragraph.
    static func render(_ blocks: [Block<PartLeaf>], _ renderer: inout Renderer, numbering: inout NumberingRestarts, into out: inout [UInt8]) {
        var required: [Int] = []
        renderer.render(blocks) { renderer, leaf in
            switch leaf {
            case .bytes(let bytes): out.append(contentsOf: bytes)
            case .paragraph(let paragraph): paragraph.render(&renderer, numbering: &numbering, into: &out)
            case .value(let expression, let location):
                XMLEscape.text(renderer.text(of: expression, at: location), into: &out)
            case .numbering(let id):
                out.append(contentsOf: String(numbering.current(id)).utf8)
            case .restart(let ids):
                for id in ids { numbering.restart(id) }
            case .paragraphRequiredFrom:
                required.append(out.count)
            case .paragraphRequiredTo:
                let start = required.popLast() ?? out.count
                if !CompiledPart.holdsParagraph(out[start...]) { out.append(contentsOf: "<w:p/>".utf8) }
            }
        }
    }

    /// Whether written markup starts a Word paragraph (`<w:p>` or `<w:p …>`).
    static func holdsParagraph(_ bytes: ArraySlice<UInt8>) -> Bool {
        paragraphStarts(in: bytes, countingEmpty: true, stopAtFirst: true) > 0
    }

    /// How many Word paragraphs start in `bytes` (`<w:p>`, `<w:p …>`, and with `countingEmpty`
    /// also `<w:p/>`), or whether any does with `stopAtFirst`.
    static func paragraphStarts(in bytes: ArraySlice<UInt8>, countingEmpty: Bool, stopAtFirst: Bool = false) -> Int {
        var count = 0
        var i = bytes.startIndex
        while i + 4 < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "<"), bytes[i + 1] == UInt8(ascii: "w"), bytes[i + 2] == UInt8(ascii: ":"), bytes[i + 3] == UInt8(ascii: "p") {
                let next = bytes[i + 4]
                if next == UInt8(ascii: ">") || next == UInt8(ascii: " ") || (countingEmpty && next == UInt8(ascii: "/")) {
                    count += 1
                    if stopAtFirst { return count }
                }
            }
            i += 1
        }
        return count
    }
}

/// Compiles one XML part: paragraphs with `{%p %}` tags, rows with `{%tr %}` and cells with
/// `{%tc %}` become block tags at their level; other paragraphs keep their tags inline.
struct OfficeCompiler {
    let dialect: OfficeDialect
    let part: String
    /// Numbering ids that restart (Word's "restart at 1"), from numbering.xml.
    let restartingLists: Set<Int>
    private(set) var problems: [TemplateProblem] = []
    private var paragraphNumber = 0
    /// Whether any tag was seen, comments included: a part with only comments still changes.
    private var sawTags = false

    init(dialect: OfficeDialect, part: String, restartingLists: Set<Int> = []) {
        self.dialect = dialect
        self.part = part
        self.restartingLists = restartingLists
    }

    mutating func compile(_ tree: XMLTree) -> CompiledPart {
        let items = compileElement(tree.root)
        var blocks = merge(BlockBuilder.build(items, scope: "document", problems: &problems))
        if !restartingLists.isEmpty { blocks = OfficeCompiler.assignRestarts(blocks).blocks }
        let isTemplate = sawTags
        // A row is analysed again as its cells and paragraphs: report each problem once.
        var seen: Set<TemplateProblem> = []
        problems = problems.filter { seen.insert($0).inserted }
        return CompiledPart(path: part, declaration: Array(tree.declaration.utf8), blocks: blocks, isTemplate: isTemplate)
    }

    // MARK: Elements

    private mutating func compileElement(_ element: XMLTreeElement) -> [BlockItem<PartLeaf>] {
        guard OfficeCompiler.mayHoldTags(element) else {
            paragraphNumber += countParagraphs(element)
            var bytes: [UInt8] = []
            element.write(into: &bytes)
            return withNumberingHoles(bytes)
        }
        switch dialect.role(of: element) {
        case .paragraph:
            return compileParagraph(element)
        case .row, .cell, .listItem:
            let saved = paragraphNumber
            if let statements = structuralTags(element) { return statements }
            paragraphNumber = saved
            return compileContainer(element)
        case .other:
            return compileContainer(element)
        }
    }

    private mutating func compileContainer(_ element: XMLTreeElement) -> [BlockItem<PartLeaf>] {
        var start: [UInt8] = []
        element.writeStart(into: &start)
        var items: [BlockItem<PartLeaf>] = []
        for child in element.children {
            switch child {
            case .element(let e): items += compileElement(e)
            case .verbatim(let bytes): items.append(.leaf(.bytes(bytes)))
            case .text(let text): items += compileLooseText(text, in: element)
            }
        }
        var end: [UInt8] = []
        element.writeEnd(into: &end)
        let children = BlockBuilder.build(items, scope: dialect.scopeName(element), problems: &problems)
        let blocks = children.contains { if case .leaf = $0 { return false } else { return true } }
        if blocks, dialect == .word, OfficeCompiler.needsParagraph.contains(element.name) {
            return [.leaf(.bytes(start)), .leaf(.paragraphRequiredFrom)] + children.map { .block($0) } + [.leaf(.paragraphRequiredTo), .leaf(.bytes(end))]
        }
        return [.leaf(.bytes(start))] + children.map { .block($0) } + [.leaf(.bytes(end))]
    }

    /// Text outside paragraphs (document properties such as the title) may hold tags too.
    private mutating func compileLooseText(_ text: String, in element: XMLTreeElement) -> [BlockItem<PartLeaf>] {
        var escaped: [UInt8] = []
        guard text.contains("{") else {
            XMLEscape.text(text, into: &escaped)
            return [.leaf(.bytes(escaped))]
        }
        let scalars = Array(text.unicodeScalars)
        let part = self.part
        let location = { (offset: Int) in TemplateLocation(part: part, line: element.line, column: offset + 1, context: text, countsParagraphs: false) }
        let segments: [Segment]
        do { segments = try TagScanner.scan(scalars) } catch {
            problems.append(TemplateProblem(error.message, at: location(error.offset)))
            return []
        }
        sawTags = sawTags || segments.contains { if case .tag = $0 { return true } else { return false } }
        var items: [BlockItem<PartLeaf>] = []
        for segment in segments {
            switch segment {
            case .text(let range):
                var piece = ""
                piece.unicodeScalars.append(contentsOf: scalars[range])
                var bytes: [UInt8] = []
                XMLEscape.text(piece, into: &bytes)
                items.append(.leaf(.bytes(bytes)))
            case .tag(let tag):
                switch tag.kind {
                case .comment: continue
                case .output:
                    if let expression = parseExpression(tag, location: location) {
                        items.append(.leaf(.value(expression, location: location(tag.bodyOffset))))
                    }
                case .statement:
                    do { items.append(.statement(try Statement.parse(tag), location(tag.range.lowerBound))) } catch {
                        problems.append(TemplateProblem(error.message, at: location(error.offset)))
                    }
                }
            }
        }
        return items
    }

    // MARK: Paragraphs

    /// A paragraph's content, its tags, and the location maker for its text.
    private struct Analysis {
        var content: ParagraphContent
        var segments: [Segment]
        var number: Int
        var text: String

        var tags: [Tag] { segments.compactMap { if case .tag(let t) = $0 { return t } else { return nil } } }

        /// Text outside tags that is not whitespace, such as would be lost if the paragraph went.
        var strayText: String {
            var result = ""
            for segment in segments {
                guard case .text(let range) = segment else { continue }
                for scalar in content.scalars[range] where !scalar.properties.isWhitespace {
                    result.unicodeScalars.append(scalar == ParagraphContent.objectReplacement ? "▣" : scalar)
                }
            }
            return result
        }
    }

    private mutating func analyze(_ paragraph: XMLTreeElement) -> Analysis? {
        paragraphNumber += 1
        let content = ParagraphContent(paragraph, dialect: dialect)
        let text = content.plainText
        let segments: [Segment]
        do { segments = try TagScanner.scan(content.scalars) } catch {
            problems.append(TemplateProblem(error.message, at: location(error.offset, paragraphNumber, text)))
            return nil
        }
        if segments.contains(where: { if case .tag = $0 { return true } else { return false } }) { sawTags = true }
        return Analysis(content: content, segments: segments, number: paragraphNumber, text: text)
    }

    private func location(_ offset: Int, _ number: Int, _ text: String) -> TemplateLocation {
        TemplateLocation(part: part, line: number, column: offset + 1, context: text)
    }

    /// The paragraph's tags as block tags, if the paragraph exists only to hold them: it has a
    /// `{%p %}` tag, or nothing but block tags and comments. Nil when it is ordinary content.
    private mutating func paragraphTags(_ analysis: Analysis) -> [BlockItem<PartLeaf>]? {
        let tags = analysis.tags
        guard !tags.isEmpty else { return nil }
        let prefixed = tags.first { $0.level == .paragraph }
        let onlyBlockTags = tags.allSatisfy { $0.kind != .output && $0.level == .inline } && analysis.strayText.isEmpty
        guard prefixed != nil || onlyBlockTags else { return nil }
        if let prefixed {
            let stray = analysis.strayText
            let others = tags.filter { $0.level != .paragraph && $0.kind != .comment }
            if !stray.isEmpty || !others.isEmpty {
                let lost = stray.isEmpty ? "the tag \(tagText(others[0], analysis))" : "the text “\(stray.prefix(60))”"
                problems.append(
                    TemplateProblem(
                        "this paragraph holds a {%p … %} tag, which removes the whole paragraph, so \(lost) would be lost; move it to a paragraph of its own",
                        at: location(prefixed.range.lowerBound, analysis.number, analysis.text)))
                return []
            }
        }
        return statements(tags, analysis)
    }

    private mutating func statements(_ tags: [Tag], _ analysis: Analysis) -> [BlockItem<PartLeaf>] {
        var items: [BlockItem<PartLeaf>] = []
        for tag in tags where tag.kind != .comment {
            guard tag.kind == .statement else {
                problems.append(TemplateProblem("{{p … }} (inserting a sub-document) is not supported; use {{ … }}", at: location(tag.range.lowerBound, analysis.number, analysis.text)))
                continue
            }
            do { items.append(.statement(try Statement.parse(tag), location(tag.range.lowerBound, analysis.number, analysis.text))) } catch {
                problems.append(TemplateProblem(error.message, at: location(error.offset, analysis.number, analysis.text)))
            }
        }
        return items
    }

    private func tagText(_ tag: Tag, _ analysis: Analysis) -> String {
        var text = ""
        text.unicodeScalars.append(contentsOf: analysis.content.scalars[tag.range].lazy.filter { $0 != ParagraphContent.objectReplacement })
        return text
    }

    private mutating func compileParagraph(_ element: XMLTreeElement) -> [BlockItem<PartLeaf>] {
        guard let analysis = analyze(element) else { return [] }
        if let statements = paragraphTags(analysis) { return statements }
        let tags = analysis.tags
        if tags.isEmpty {
            var bytes: [UInt8] = []
            element.write(into: &bytes)
            return withNumberingHoles(bytes)
        }
        for tag in tags where tag.level == .row || tag.level == .cell {
            let what = tag.level == .row ? "table row" : "table cell"
            problems.append(TemplateProblem("a {%\(tag.level.rawValue) … %} tag must be in a \(what)", at: location(tag.range.lowerBound, analysis.number, analysis.text)))
        }
        let content = analysis.content
        let body = inlineBody(analysis)
        var paragraph = InlineParagraph(dialect: dialect, start: content.start, end: content.end, runs: content.runs, wrappers: content.wrappers, body: body)
        if let (hole, id) = numberingHole(content.start) {
            paragraph.start = Array(content.start[..<hole.lowerBound]) + Array(content.start[hole.upperBound...])
            paragraph.numbering = (hole.lowerBound, id)
        }
        return [.leaf(.paragraph(paragraph))]
    }

    /// The paragraph's pieces and inline tags, nested.
    private mutating func inlineBody(_ analysis: Analysis) -> [Block<InlineParagraph.Leaf>] {
        let content = analysis.content
        var items: [BlockItem<InlineParagraph.Leaf>] = []
        let segments = analysis.segments
        // Markers (bookmarks and the like) go back where they stood, except inside a tag.
        var nextMarker = 0
        func markers(before position: Int, dropping tag: Range<Int>? = nil) {
            while nextMarker < content.markers.count, content.markers[nextMarker].position <= position {
                let marker = content.markers[nextMarker]
                nextMarker += 1
                if let tag, marker.position > tag.lowerBound { continue }
                if case .marker(let bytes, let run) = content.atoms[marker.atom] { items.append(.leaf(.raw(bytes, run: run))) }
            }
        }
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .text(let whole):
                let range = Segment.trimmed(whole, at: index, in: segments, content.scalars)
                var position = range.lowerBound
                while position < range.upperBound {
                    markers(before: position)
                    let owner = content.owners[position]
                    let stop = nextMarker < content.markers.count ? min(range.upperBound, max(position + 1, content.markers[nextMarker].position)) : range.upperBound
                    var end = position
                    while end < stop, content.owners[end] == owner { end += 1 }
                    switch content.atoms[owner] {
                    case .text(_, let run):
                        var text = ""
                        text.unicodeScalars.append(contentsOf: content.scalars[position..<end])
                        items.append(.leaf(.text(text, run: run)))
                    case .raw(let bytes, let run):
                        if let box = content.boxes[owner] {
                            let blocks = BlockBuilder.build(compileElement(box), scope: "text box", problems: &problems)
                            items.append(.leaf(.box(merge(blocks), run: run)))
                        } else {
                            items.append(.leaf(.raw(bytes, run: run)))
                        }
                    case .marker:
                        break
                    }
                    position = end
                }
                markers(before: whole.upperBound - 1)
            case .tag(let tag):
                markers(before: tag.range.lowerBound)
                markers(before: tag.range.upperBound - 1, dropping: tag.range)
                let run: Int
                switch content.atoms[content.owners[tag.range.lowerBound]] {
                case .text(_, let r), .raw(_, let r), .marker(_, let r): run = r
                }
                let part = self.part
                let at = { (offset: Int) in TemplateLocation(part: part, line: analysis.number, column: offset + 1, context: analysis.text) }
                switch tag.kind {
                case .comment: continue
                case .output:
                    if tag.level == .paragraph {
                        problems.append(TemplateProblem("{{p … }} (inserting a sub-document) is not supported; use {{ … }}", at: at(tag.range.lowerBound)))
                    } else if let expression = parseExpression(tag, location: at) {
                        items.append(.leaf(.value(expression, run: run, location: at(tag.bodyOffset))))
                    }
                case .statement:
                    do { items.append(.statement(try Statement.parse(tag), at(tag.range.lowerBound))) } catch {
                        problems.append(TemplateProblem(error.message, at: at(error.offset)))
                    }
                }
            }
        }
        markers(before: Int.max)
        return BlockBuilder.build(items, scope: "paragraph", problems: &problems)
    }

    private mutating func parseExpression(_ tag: Tag, location: (Int) -> TemplateLocation) -> Expression? {
        do { return try tag.expression() } catch {
            problems.append(TemplateProblem(error.message, at: location(error.offset)))
            return nil
        }
    }

    // MARK: Rows, cells and list items

    /// The block tags of a row holding `{%tr %}`, a cell holding `{%tc %}`, or a list item that
    /// holds nothing but block-tag paragraphs; nil for an ordinary one.
    private mutating func structuralTags(_ element: XMLTreeElement) -> [BlockItem<PartLeaf>]? {
        let role = dialect.role(of: element)
        let paragraphs = descendantParagraphs(element)
        var analyses: [Analysis] = []
        for paragraph in paragraphs {
            guard let analysis = analyze(paragraph) else { return nil }
            analyses.append(analysis)
        }
        if role == .listItem {
            guard !analyses.isEmpty, paragraphs.count == element.elements.count else { return nil }
            var items: [BlockItem<PartLeaf>] = []
            for analysis in analyses {
                guard let tags = paragraphTags(analysis) else { return nil }
                items += tags
            }
            return items
        }
        let level: TagLevel = role == .row ? .row : .cell
        guard let first = analyses.lazy.flatMap({ a in a.tags.map { (a, $0) } }).first(where: { $0.1.level == level }) else { return nil }
        var items: [BlockItem<PartLeaf>] = []
        let what = level == .row ? "table row" : "table cell"
        for analysis in analyses {
            let stray = analysis.strayText
            let others = analysis.tags.filter { $0.level != level && $0.kind != .comment }
            if !stray.isEmpty || !others.isEmpty {
                let lost = stray.isEmpty ? "the tag \(tagText(others[0], analysis))" : "the text “\(stray.prefix(60))”"
                problems.append(
                    TemplateProblem(
                        "this \(what) holds a {%\(level.rawValue) … %} tag, which removes the whole \(what), so \(lost) would be lost; move it elsewhere",
                        at: location(first.1.range.lowerBound, first.0.number, first.0.text)))
                return []
            }
            items += statements(analysis.tags, analysis)
        }
        return items
    }

    /// The paragraphs of a row, cell or list item, not counting those of a table nested in it
    /// (whose rows and cells have tags of their own).
    private func descendantParagraphs(_ element: XMLTreeElement) -> [XMLTreeElement] {
        var result: [XMLTreeElement] = []
        for child in element.elements {
            switch dialect.role(of: child) {
            case .paragraph: result.append(child)
            case .row: continue
            default: if child.name != "w:tbl", child.name != "table:table" { result += descendantParagraphs(child) }
            }
        }
        return result
    }

    private func countParagraphs(_ element: XMLTreeElement) -> Int {
        if dialect.role(of: element) == .paragraph { return 1 }
        return element.elements.reduce(0) { $0 + countParagraphs($1) }
    }

    /// Word elements that must hold at least one paragraph.
    static let needsParagraph: Set<String> = ["w:tc", "w:hdr", "w:ftr", "w:footnote", "w:endnote", "w:txbxContent", "w:comment"]

    /// Whether any text under `element` holds a `{`; most of a document does not, and is copied whole.
    static func mayHoldTags(_ element: XMLTreeElement) -> Bool {
        for child in element.children {
            switch child {
            case .text(let text): if text.utf8.contains(UInt8(ascii: "{")) { return true }
            case .element(let e): if mayHoldTags(e) { return true }
            case .verbatim: continue
            }
        }
        return false
    }

    // MARK: Numbering

    /// Static markup with a hole at each numbering id of a restarting list, so a loop around it
    /// can give the list a fresh id.
    private func withNumberingHoles(_ bytes: [UInt8]) -> [BlockItem<PartLeaf>] {
        var items: [BlockItem<PartLeaf>] = []
        var rest = bytes[...]
        while let (hole, id) = numberingHole(Array(rest)) {
            let base = rest.startIndex
            items.append(.leaf(.bytes(Array(rest[base..<base + hole.lowerBound]))))
            items.append(.leaf(.numbering(id)))
            rest = rest[(base + hole.upperBound)...]
        }
        items.append(.leaf(.bytes(Array(rest))))
        return items
    }

    /// Where the first restarting list's `w:numId` value sits in `bytes`, and the id.
    private func numberingHole(_ bytes: [UInt8]) -> (Range<Int>, Int)? {
        guard !restartingLists.isEmpty, dialect == .word else { return nil }
        var from = 0
        while let found = bytes.firstRange(of: Array("<w:numId w:val=\"".utf8), from: from) {
            if let hole = numberingValue(bytes, after: found) { return hole }
            from = found.upperBound
        }
        return nil
    }

    private func numberingValue(_ bytes: [UInt8], after found: Range<Int>) -> (Range<Int>, Int)? {
        var end = found.upperBound
        var id = 0
        // Ids are small; a hostile run of digits must not overflow.
        while end < bytes.count, (48...57).contains(bytes[end]), end - found.upperBound < 9 {
            id = id * 10 + Int(bytes[end] - 48)
            end += 1
        }
        guard end > found.upperBound, end < bytes.count, bytes[end] == UInt8(ascii: "\""), restartingLists.contains(id) else { return nil }
        return (found.upperBound..<end, id)
    }

    /// Puts a restart at the start of each loop that repeats a section holding a restarting
    /// list, so the list counts from 1 in every pass. A loop that repeats only the list's own
    /// paragraph is the list's items, and leaves the restart to a loop further out.
    /// Returns the lists no loop inside `blocks` restarts yet.
    static func assignRestarts(_ blocks: [Block<PartLeaf>]) -> (blocks: [Block<PartLeaf>], open: Set<Int>, paragraphs: Int) {
        var result: [Block<PartLeaf>] = []
        var open: Set<Int> = []
        var paragraphs = 0
        for block in blocks {
            switch block {
            case .leaf(let leaf):
                switch leaf {
                case .numbering(let id): open.insert(id)
                case .paragraph(let p):
                    paragraphs += 1
                    if let (_, id) = p.numbering { open.insert(id) }
                case .bytes(let bytes): paragraphs += CompiledPart.paragraphStarts(in: bytes[...], countingEmpty: false)
                case .value, .restart, .paragraphRequiredFrom, .paragraphRequiredTo: break
                }
                result.append(block)
            case .conditional(let branches, let otherwise):
                var newBranches: [Block<PartLeaf>.Branch] = []
                for branch in branches {
                    let inner = assignRestarts(branch.body)
                    open.formUnion(inner.open)
                    paragraphs += inner.paragraphs
                    newBranches.append(.init(condition: branch.condition, location: branch.location, body: inner.blocks))
                }
                let other = assignRestarts(otherwise)
                open.formUnion(other.open)
                paragraphs += other.paragraphs
                result.append(.conditional(branches: newBranches, otherwise: other.blocks))
            case .loop(let variable, let sequence, let body, let otherwise, let location):
                let empty = assignRestarts(otherwise)
                open.formUnion(empty.open)
                paragraphs += empty.paragraphs
                let inner = assignRestarts(body)
                var newBody = inner.blocks
                if inner.paragraphs == 1 {
                    open.formUnion(inner.open)
                } else if !inner.open.isEmpty {
                    newBody.insert(.leaf(.restart(inner.open.sorted())), at: 0)
                }
                // A loop repeats its paragraphs: count it as many.
                paragraphs += inner.paragraphs == 0 ? 0 : 2
                result.append(.loop(variable: variable, sequence: sequence, body: newBody, otherwise: empty.blocks, location: location))
            }
        }
        return (result, open, paragraphs)
    }

    /// Adjacent static bytes merged into one copy.
    private func merge(_ blocks: [Block<PartLeaf>]) -> [Block<PartLeaf>] {
        var result: [Block<PartLeaf>] = []
        var pending: [UInt8] = []
        func flush() {
            if !pending.isEmpty { result.append(.leaf(.bytes(pending))) }
            pending = []
        }
        for block in blocks {
            switch block {
            case .leaf(.bytes(let bytes)):
                pending += bytes
            case .leaf:
                flush()
                result.append(block)
            case .conditional(let branches, let otherwise):
                flush()
                result.append(.conditional(branches: branches.map { .init(condition: $0.condition, location: $0.location, body: merge($0.body)) }, otherwise: merge(otherwise)))
            case .loop(let variable, let sequence, let body, let otherwise, let location):
                flush()
                result.append(.loop(variable: variable, sequence: sequence, body: merge(body), otherwise: merge(otherwise), location: location))
            }
        }
        flush()
        return result
    }
}
