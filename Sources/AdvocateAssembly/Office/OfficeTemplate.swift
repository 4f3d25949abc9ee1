public import AdvocateCore
public import AdvocateXML

/// The XML parts of a DOCX or ODT template, compiled. Parts without tags are not kept: the
/// package copies them unchanged.
public struct OfficeTemplate: Sendable {
    public let dialect: OfficeDialect
    /// Compiled parts that hold tags, by path in the package.
    public let parts: [CompiledPart]
    let numbering: ListNumbering?

    /// The parts that may hold tags: the body, headers, footers, notes and document properties.
    public static func isCandidate(_ path: String, dialect: OfficeDialect) -> Bool {
        switch dialect {
        case .word:
            if ["word/document.xml", "word/footnotes.xml", "word/endnotes.xml", "docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"].contains(path) {
                return true
            }
            guard path.hasPrefix("word/"), path.hasSuffix(".xml"), !path.dropFirst(5).contains("/") else { return false }
            let name = path.dropFirst(5)
            return name.hasPrefix("header") || name.hasPrefix("footer")
        case .openDocument:
            return path == "content.xml" || path == "styles.xml" || path == "meta.xml"
        }
    }

    /// Compiles the candidate parts among `parts` (path and bytes).
    public static func compile(dialect: OfficeDialect, parts: [(path: String, bytes: [UInt8])]) -> (template: OfficeTemplate, problems: [TemplateProblem]) {
        var problems: [TemplateProblem] = []
        var numbering: ListNumbering? = nil
        if dialect == .word, let source = parts.first(where: { $0.path == "word/numbering.xml" }) {
            do { numbering = try ListNumbering(source.bytes) } catch {
                problems.append(TemplateProblem("word/numbering.xml: \(error.message)", at: TemplateLocation(part: source.path, line: error.line, column: error.column, context: "")))
            }
        }
        var compiled: [CompiledPart] = []
        for part in parts where isCandidate(part.path, dialect: dialect) {
            let tree: XMLTree
            do {
                guard let parsed = try XMLDocument(bytes: part.bytes, name: part.path).tree() else { continue }
                tree = parsed
            } catch {
                problems.append(
                    TemplateProblem(
                        "\(part.path) is not well-formed XML: \(error.message) (line \(error.line), column \(error.column) of the part)",
                        at: TemplateLocation(part: part.path, line: 0, column: 0, context: "")))
                continue
            }
            var compiler = OfficeCompiler(dialect: dialect, part: part.path, restartingLists: numbering?.restarting ?? [])
            let result = compiler.compile(tree)
            problems += compiler.problems
            if result.isTemplate { compiled.append(result) }
        }
        return (OfficeTemplate(dialect: dialect, parts: compiled, numbering: numbering), problems)
    }

    /// Fills every templated part; returns the new bytes of each changed part, by path, and the
    /// values found missing (only when ``FillOptions/allowMissing`` lets the fill finish).
    public func fill(_ environment: Environment, options: FillOptions = FillOptions()) throws(FillError) -> (parts: [(path: String, bytes: [UInt8])], missing: [String]) {
        var renderer = Renderer(environment: environment, options: options)
        var restarts = NumberingRestarts(next: (numbering?.highestId ?? 0) + 1)
        var output: [(path: String, bytes: [UInt8])] = []
        output.reserveCapacity(parts.count + 1)
        for part in parts { output.append((part.path, part.render(&renderer, numbering: &restarts))) }
        try renderer.finish()
        if let numbering, !restarts.clones.isEmpty { output.append(("word/numbering.xml", numbering.render(clones: restarts.clones))) }
        return (output, renderer.missing)
    }
}

/// Word's list definitions, for lists that restart: each pass of a loop around a restarting
/// list gets a copy of its `w:num` with a fresh id, so the list starts again at 1.
struct ListNumbering: Sendable {
    /// `w:numId` values whose `w:num` restarts numbering (a `w:startOverride`).
    let restarting: Set<Int>
    let highestId: Int
    /// The `w:num` elements of restarting lists, serialised, by id.
    let definitions: [Int: XMLTreeElement]
    let source: [UInt8]

    init(_ bytes: [UInt8]) throws(XMLError) {
        source = bytes
        var restarting: Set<Int> = []
        var highest = 0
        var definitions: [Int: XMLTreeElement] = [:]
        if let root = try XMLDocument(bytes: bytes, name: "word/numbering.xml").tree()?.root {
            for num in root.elements where num.name == "w:num" {
                guard let id = num.attribute("w:numId").flatMap(Int.init) else { continue }
                highest = max(highest, id)
                let restarts = num.elements.contains { $0.name == "w:lvlOverride" && $0.elements.contains { $0.name == "w:startOverride" } }
                if restarts {
                    restarting.insert(id)
                    definitions[id] = num
                }
            }
        }
        self.restarting = restarting
        self.highestId = highest
        self.definitions = definitions
    }

    /// numbering.xml with a `w:num` for each clone (new id, original id) after the last
    /// `w:num`, where the schema wants them (before `w:numIdMacAtCleanup`, if any).
    func render(clones: [(Int, Int)]) -> [UInt8] {
        guard let end = source.lastRange(of: Array("</w:num>".utf8)) ?? source.lastRange(of: Array("</w:numbering>".utf8)) else { return source }
        let insertAt = source[end.lowerBound...].starts(with: Array("</w:num>".utf8)) ? end.upperBound : end.lowerBound
        var out = Array(source[..<insertAt])
        for (newId, original) in clones {
            guard var element = definitions[original] else { continue }
            element.attributes = element.attributes.map { $0.name == "w:numId" ? ($0.name, String(newId)) : $0 }
            element.write(into: &out)
        }
        out.append(contentsOf: source[insertAt...])
        return out
    }
}

/// Fresh numbering ids handed out while filling.
struct NumberingRestarts {
    var next: Int
    var current: [Int: Int] = [:]
    /// (new id, original id), in the order handed out.
    var clones: [(Int, Int)] = []

    func current(_ id: Int) -> Int { current[id] ?? id }

    mutating func restart(_ id: Int) {
        current[id] = next
        clones.append((next, id))
        next += 1
    }
}

extension Array where Element == UInt8 {
    func lastRange(of needle: [UInt8]) -> Range<Int>? {
        guard needle.count <= count else { return nil }
        var start = count - needle.count
        while start >= 0 {
            if self[start..<start + needle.count].elementsEqual(needle) { return start..<start + needle.count }
            start -= 1
        }
        return nil
    }

    func firstRange(of needle: [UInt8], from: Int = 0) -> Range<Int>? {
        guard needle.count <= count else { return nil }
        var start = from
        while start + needle.count <= count {
            if self[start] == needle[0], self[start..<start + needle.count].elementsEqual(needle) { return start..<start + needle.count }
            start += 1
        }
        return nil
    }
}
