/// Marks the glossary terms in a document and explains them, for the client, in her language.
public struct Annotator: Sendable {
    public let glossary: Glossary
    public let language: Glossary.Language
    let matcher: TermMatcher

    /// Explains in `language` the terms found by their names in `matching` (by default, the same
    /// language): a filled English letter can carry its "Words to know" in Spanish.
    public init(glossary: Glossary, language: Glossary.Language = .en, matching: [Glossary.Language]? = nil) {
        self.glossary = glossary
        self.language = language
        var keys: [String: Int] = [:]
        for matched in matching ?? [language] {
            var own: [String: Int] = [:]
            for (position, entry) in glossary.entries.enumerated() {
                for name in entry.names(in: matched) {
                    let key = Glossary.normalize(name)
                    if keys[key] == nil, own[key] == nil { own[key] = position }
                }
            }
            // Plurals of every name, unless that form already names something else.
            for (key, position) in Array(own) {
                for plural in Annotator.plurals(key, language: matched) where keys[plural] == nil && own[plural] == nil { own[plural] = position }
            }
            keys.merge(own) { first, _ in first }
        }
        matcher = TermMatcher(keys: keys.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    static func plurals(_ key: String, language: Glossary.Language) -> [String] {
        guard let last = key.last, last.isLetter else { return [] }
        switch language {
        case .en:
            if key.hasSuffix("s") || key.hasSuffix("x") || key.hasSuffix("ch") || key.hasSuffix("sh") { return [key + "es"] }
            if key.hasSuffix("y"), let before = key.dropLast().last, !"aeiou".contains(before) { return [String(key.dropLast()) + "ies"] }
            return [key + "s"]
        case .es:
            return "aeiou".contains(last) ? [key + "s"] : [key + "es"]
        }
    }

    /// The terms in `text`, by UTF-8 offsets, with the index of each one's entry in the glossary.
    public func matches(in text: String) -> [TermMatcher.Match] { matcher.matches(in: text) }

    /// The terms in `text`, by UTF-8 offsets, with the entry each is.
    public func find(_ text: String) -> [(range: Range<Int>, entry: GlossaryEntry)] {
        matcher.matches(in: text).map { ($0.range, glossary.entries[$0.entry]) }
    }

    /// The distinct entries in `text`, in order of first appearance.
    public func terms(in text: String) -> [GlossaryEntry] {
        var seen: Set<Int> = []
        return matcher.matches(in: text).filter { seen.insert($0.entry).inserted }.map { glossary.entries[$0.entry] }
    }

    public var heading: String { language == .en ? "Words to know" : "Palabras que conviene saber" }

    /// Plain text with a numbered footnote after the first use of each term, and the explanations
    /// at the end. With `markdown`, Markdown footnotes (`[^1]`).
    public func annotate(text: String, markdown: Bool = false) -> String {
        let utf8 = Array(text.utf8)
        var numbers: [Int: Int] = [:]
        var order: [Int] = []
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 1024)
        var position = 0
        for match in matcher.matches(in: text) where numbers[match.entry] == nil {
            order.append(match.entry)
            numbers[match.entry] = order.count
            out.append(contentsOf: utf8[position..<match.range.upperBound])
            out.append(contentsOf: Array((markdown ? "[^\(order.count)]" : "[\(order.count)]").utf8))
            position = match.range.upperBound
        }
        out.append(contentsOf: utf8[position...])
        var result = String(decoding: out, as: UTF8.self)
        guard !order.isEmpty else { return result }
        result += markdown ? "\n\n## \(heading)\n\n" : "\n\n\(heading)\n"
        for (index, position) in order.enumerated() {
            let entry = glossary.entries[position]
            let line = "\(entry.term(in: language)): \(entry.definition(in: language))"
            result += markdown ? "[^\(index + 1)]: **\(entry.term(in: language))**: \(entry.definition(in: language))\n" : "[\(index + 1)] \(line)\n"
        }
        return result
    }
}
