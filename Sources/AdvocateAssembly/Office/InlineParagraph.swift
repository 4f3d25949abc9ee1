internal import AdvocateCore
public import AdvocateXML

/// A paragraph's content as runs of text and other things, so tags can be found across run
/// boundaries and the paragraph rebuilt with each piece in the run it came from.
struct ParagraphContent {
    /// A run: its opening markup (`<w:r>` and its properties), closing markup, and the wrappers
    /// (links, formatting spans) around it, outermost first.
    struct Run: Sendable {
        var open: [UInt8]
        var close: [UInt8]
        var wrappers: [Int]
        /// Whether text may go in it (a Word run); markers such as bookmarks sit in runs that take none.
        var holdsText: Bool
    }

    struct Wrapper: Sendable {
        var open: [UInt8]
        var close: [UInt8]
    }

    enum Atom {
        case text(String, run: Int)
        /// Visible content that is not text: a picture, a symbol, a footnote mark.
        case raw([UInt8], run: Int)
        /// Invisible markup with no width: a bookmark, a comment range, a field code.
        case marker([UInt8], run: Int)
    }

    var start: [UInt8] = []
    var end: [UInt8] = []
    var runs: [Run] = []
    var wrappers: [Wrapper] = []
    var atoms: [Atom] = []

    /// The paragraph's text with U+FFFC standing for each non-text atom, and the atom each scalar
    /// belongs to.
    var scalars: [Unicode.Scalar] = []
    var owners: [Int] = []
    /// Visible atoms that hold paragraphs with tags of their own (a text box in a drawing, an
    /// OpenDocument frame), by atom index: the compiler fills them too.
    var boxes: [Int: XMLTreeElement] = [:]
    /// Markers, each with the scalar offset it stands before; they take no place in the text,
    /// so a bookmark never counts as text that would be lost nor splits a tag.
    var markers: [(position: Int, atom: Int)] = []

    static let objectReplacement: Unicode.Scalar = "\u{FFFC}"

    init(_ paragraph: XMLTreeElement, dialect: OfficeDialect) {
        paragraph.writeStart(into: &start)
        paragraph.writeEnd(into: &end)
        switch dialect {
        case .word: readWord(paragraph.children, wrappers: [])
        case .openDocument: readOpenDocument(paragraph.children, wrappers: [], dialect: dialect)
        }
        for (index, atom) in atoms.enumerated() {
            switch atom {
            case .text(let text, _):
                for scalar in text.unicodeScalars {
                    scalars.append(scalar)
                    owners.append(index)
                }
            case .raw:
                scalars.append(ParagraphContent.objectReplacement)
                owners.append(index)
            case .marker:
                markers.append((scalars.count, index))
            }
        }
    }

    /// The paragraph's plain text, for messages.
    var plainText: String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars.lazy.filter { $0 != ParagraphContent.objectReplacement })
        return text
    }

    private mutating func newRun(open: [UInt8], close: [UInt8], wrappers: [Int], holdsText: Bool) -> Int {
        runs.append(Run(open: open, close: close, wrappers: wrappers, holdsText: holdsText))
        return runs.count - 1
    }

    /// Content between runs: a zero-width marker, or visible content such as an equation.
    private mutating func between(_ node: XMLNode, wrappers: [Int], visible: Bool) {
        var bytes: [UInt8] = []
        node.write(into: &bytes)
        let run = newRun(open: [], close: [], wrappers: wrappers, holdsText: false)
        atoms.append(visible ? .raw(bytes, run: run) : .marker(bytes, run: run))
    }

    private mutating func readWord(_ children: [XMLNode], wrappers: [Int]) {
        for child in children {
            guard case .element(let element) = child else {
                if case .verbatim = child { between(child, wrappers: wrappers, visible: false) }
                continue
            }
            switch element.name {
            case "w:pPr":
                element.write(into: &start)
            case "w:r":
                var open: [UInt8] = []
                element.writeStart(into: &open)
                if let properties = element.elements.first(where: { $0.name == "w:rPr" }) { properties.write(into: &open) }
                var close: [UInt8] = []
                element.writeEnd(into: &close)
                let run = newRun(open: open, close: close, wrappers: wrappers, holdsText: true)
                for part in element.children {
                    guard case .element(let item) = part else { continue }
                    if item.name == "w:rPr" || OfficeDialect.word.isDisposable(item) { continue }
                    if item.name == "w:t" {
                        var text = ""
                        for node in item.children { if case .text(let t) = node { text += t } }
                        atoms.append(.text(text, run: run))
                    } else if let text = OfficeDialect.word.text(for: item) {
                        atoms.append(.text(text, run: run))
                    } else {
                        var bytes: [UInt8] = []
                        item.write(into: &bytes)
                        let visible = OfficeDialect.word.isVisible(item)
                        if visible, OfficeCompiler.mayHoldTags(item) { boxes[atoms.count] = item }
                        atoms.append(visible ? .raw(bytes, run: run) : .marker(bytes, run: run))
                    }
                }
            case "w:sdt":
                // A content control: its properties open the wrapper, its content holds runs.
                var open: [UInt8] = []
                element.writeStart(into: &open)
                var inner: [XMLNode] = []
                for part in element.elements {
                    if part.name == "w:sdtContent" {
                        part.writeStart(into: &open)
                        inner = part.children
                    } else {
                        part.write(into: &open)
                    }
                }
                self.wrappers.append(Wrapper(open: open, close: Array("</w:sdtContent></w:sdt>".utf8)))
                readWord(inner, wrappers: wrappers + [self.wrappers.count - 1])
            default:
                if OfficeDialect.word.isDisposable(element) { continue }
                if OfficeDialect.wordWrappers.contains(element.name) {
                    var open: [UInt8] = []
                    var close: [UInt8] = []
                    element.writeStart(into: &open)
                    element.writeEnd(into: &close)
                    self.wrappers.append(Wrapper(open: open, close: close))
                    readWord(element.children, wrappers: wrappers + [self.wrappers.count - 1])
                } else {
                    between(child, wrappers: wrappers, visible: OfficeDialect.word.isVisible(element))
                }
            }
        }
    }

    private mutating func readOpenDocument(_ children: [XMLNode], wrappers: [Int], dialect: OfficeDialect) {
        // Text directly in a paragraph or span takes the formatting of where it sits: one run
        // per wrapper chain.
        let run = newRun(open: [], close: [], wrappers: wrappers, holdsText: true)
        for child in children {
            switch child {
            case .text(let text):
                // OpenDocument treats newlines and tabs in text as spaces.
                let cleaned = text.contains(where: { $0 == "\n" || $0 == "\t" || $0 == "\r" })
                    ? String(text.map { $0 == "\n" || $0 == "\t" || $0 == "\r" ? " " : $0 }) : text
                atoms.append(.text(cleaned, run: run))
            case .verbatim:
                continue
            case .element(let element):
                if dialect.isDisposable(element) { continue }
                if let text = dialect.text(for: element) {
                    atoms.append(.text(text, run: run))
                } else if OfficeDialect.openDocumentWrappers.contains(element.name) {
                    var open: [UInt8] = []
                    var close: [UInt8] = []
                    element.writeStart(into: &open)
                    element.writeEnd(into: &close)
                    self.wrappers.append(Wrapper(open: open, close: close))
                    readOpenDocument(element.children, wrappers: wrappers + [self.wrappers.count - 1], dialect: dialect)
                } else {
                    var bytes: [UInt8] = []
                    element.write(into: &bytes)
                    let visible = dialect.isVisible(element)
                    if visible, OfficeCompiler.mayHoldTags(element) { boxes[atoms.count] = element }
                    atoms.append(visible ? .raw(bytes, run: run) : .marker(bytes, run: run))
                }
            }
        }
    }
}

/// A compiled paragraph whose text holds tags: its runs, and the template over its pieces.
struct InlineParagraph: Sendable {
    enum Leaf: Sendable {
        case text(String, run: Int)
        case raw([UInt8], run: Int)
        case value(Expression, run: Int, location: TemplateLocation)
        /// A text box or frame in the run, with paragraphs of its own to fill.
        case box([Block<PartLeaf>], run: Int)
    }

    var dialect: OfficeDialect
    var start: [UInt8]
    var end: [UInt8]
    var runs: [ParagraphContent.Run]
    var wrappers: [ParagraphContent.Wrapper]
    var body: [Block<Leaf>]
    /// Where in `start` a restarting list's id goes, and the template's id.
    var numbering: (offset: Int, id: Int)? = nil

    func render(_ renderer: inout Renderer, numbering restarts: inout NumberingRestarts, into out: inout [UInt8]) {
        if let numbering {
            out.append(contentsOf: start[..<numbering.offset])
            out.append(contentsOf: String(restarts.current(numbering.id)).utf8)
            out.append(contentsOf: start[numbering.offset...])
        } else {
            out.append(contentsOf: start)
        }
        var emitter = RunEmitter(dialect: dialect, runs: runs, wrappers: wrappers)
        renderer.render(body) { renderer, leaf in
            switch leaf {
            case .text(let text, let run): emitter.text(text, run: run, into: &out)
            case .raw(let bytes, let run): emitter.raw(bytes, run: run, into: &out)
            case .value(let expression, let run, let location): emitter.text(renderer.text(of: expression, at: location), run: run, into: &out)
            case .box(let blocks, let run):
                emitter.raw([], run: run, into: &out)
                CompiledPart.render(blocks, &renderer, numbering: &restarts, into: &out)
            }
        }
        emitter.finish(into: &out)
        out.append(contentsOf: end)
    }
}

/// Writes pieces into runs, opening and closing runs and wrappers only when the run changes, so
/// a value keeps the formatting of the run its tag started in.
struct RunEmitter {
    let dialect: OfficeDialect
    let runs: [ParagraphContent.Run]
    let wrappers: [ParagraphContent.Wrapper]
    private var current: Int? = nil
    private var open: [Int] = []
    private var textOpen = false
    /// OpenDocument collapses spaces: a space after a space, or first in the paragraph, must be `<text:s/>`.
    private var afterSpace = true

    init(dialect: OfficeDialect, runs: [ParagraphContent.Run], wrappers: [ParagraphContent.Wrapper]) {
        self.dialect = dialect
        self.runs = runs
        self.wrappers = wrappers
    }

    private mutating func closeText(into out: inout [UInt8]) {
        if textOpen {
            out.append(contentsOf: "</w:t>".utf8)
            textOpen = false
        }
    }

    private mutating func switchTo(_ run: Int, into out: inout [UInt8]) {
        if current == run { return }
        closeText(into: &out)
        if let current { out.append(contentsOf: runs[current].close) }
        let chain = runs[run].wrappers
        var common = 0
        while common < open.count, common < chain.count, open[common] == chain[common] { common += 1 }
        while open.count > common { out.append(contentsOf: wrappers[open.removeLast()].close) }
        for wrapper in chain[common...] {
            out.append(contentsOf: wrappers[wrapper].open)
            open.append(wrapper)
        }
        out.append(contentsOf: runs[run].open)
        current = run
    }

    mutating func text(_ text: String, run: Int, into out: inout [UInt8]) {
        guard !text.isEmpty else { return }
        switchTo(run, into: &out)
        switch dialect {
        case .word:
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\n":
                    closeText(into: &out)
                    out.append(contentsOf: "<w:br/>".utf8)
                case "\t":
                    closeText(into: &out)
                    out.append(contentsOf: "<w:tab/>".utf8)
                case "\r":
                    continue
                default:
                    if !textOpen {
                        out.append(contentsOf: "<w:t xml:space=\"preserve\">".utf8)
                        textOpen = true
                    }
                    XMLEscape.scalar(scalar, into: &out)
                }
            }
        case .openDocument:
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\n":
                    out.append(contentsOf: "<text:line-break/>".utf8)
                    afterSpace = true
                case "\t":
                    out.append(contentsOf: "<text:tab/>".utf8)
                    afterSpace = true
                case "\r":
                    continue
                case " ":
                    if afterSpace { out.append(contentsOf: "<text:s/>".utf8) } else { out.append(0x20) }
                    afterSpace = true
                default:
                    XMLEscape.scalar(scalar, into: &out)
                    afterSpace = false
                }
            }
        }
    }

    mutating func raw(_ bytes: [UInt8], run: Int, into out: inout [UInt8]) {
        switchTo(run, into: &out)
        closeText(into: &out)
        out.append(contentsOf: bytes)
    }

    mutating func finish(into out: inout [UInt8]) {
        closeText(into: &out)
        if let current { out.append(contentsOf: runs[current].close) }
        while let wrapper = open.popLast() { out.append(contentsOf: wrappers[wrapper].close) }
        current = nil
    }
}
