extension Glossary {
    /// The answer to "what does this word mean?".
    public enum LookupResult: Sendable, Equatable {
        /// The term, an alias, or an inflection of one ("continuances", "arraigned").
        case found(GlossaryEntry)
        /// A likely typo with one clear correction ("subpena" → subpoena).
        case corrected(GlossaryEntry, from: String)
        /// No confident match; these are the closest terms.
        case suggestions([GlossaryEntry])
        case notFound
    }

    /// Looks a word or phrase up: exact terms and aliases first, ignoring case and accents, then
    /// common inflections, then spelling mistakes.
    public func lookup(_ query: String, language: Language = .en) -> LookupResult {
        let key = Glossary.normalize(query)
        guard !key.isEmpty else { return .notFound }
        if let position = position(of: key, language: language) { return .found(entries[position]) }
        for stem in Glossary.inflectionStems(key, language: language) {
            if let position = position(of: stem, language: language) { return .found(entries[position]) }
        }
        // Spelling: the closest keys by edit distance (a swap of two letters counts as one edit).
        var best: [(distance: Int, entry: Int)] = []
        let limit = key.count <= 4 ? 1 : 2
        for (candidate, entry) in keys(language) where abs(candidate.count - key.count) <= limit {
            let distance = Glossary.editDistance(key, candidate, limit: limit)
            if distance <= limit { best.append((distance, entry)) }
        }
        best.sort { $0.distance < $1.distance || ($0.distance == $1.distance && entries[$0.entry].term < entries[$1.entry].term) }
        var seen: Set<Int> = []
        let unique = best.filter { seen.insert($0.entry).inserted }
        guard let first = unique.first else { return .notFound }
        let tied = unique.filter { $0.distance == first.distance }
        if first.distance == 1 && tied.count == 1 { return .corrected(entries[first.entry], from: query) }
        return .suggestions(unique.prefix(3).map { entries[$0.entry] })
    }

    /// Candidate base forms of an inflected word: plurals and verb endings in English, plurals in Spanish.
    static func inflectionStems(_ key: String, language: Language) -> [String] {
        var stems: [String] = []
        func strip(_ suffix: String, add: String = "") {
            if key.hasSuffix(suffix), key.count > suffix.count + 2 { stems.append(String(key.dropLast(suffix.count)) + add) }
        }
        switch language {
        case .en:
            strip("ies", add: "y")
            strip("es")
            strip("s")
            strip("ed")
            strip("d")
            strip("ing")
            strip("ing", add: "e")
        case .es:
            strip("es")
            strip("s")
        }
        return stems
    }

    /// Optimal-string-alignment distance (Levenshtein plus adjacent swaps), stopping early past `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previousPrevious = [Int](repeating: 0, count: y.count + 1)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            var rowMinimum = current[0]
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] { value = min(value, previousPrevious[j - 2] + 1) }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return limit + 1 }
            (previousPrevious, previous, current) = (previous, current, previousPrevious)
        }
        return previous[y.count]
    }

    /// Entries whose term or alias starts with `prefix`, shortest names first, for search-as-you-type.
    public func complete(_ prefix: String, language: Language = .en, limit: Int = 10) -> [GlossaryEntry] {
        let key = Glossary.normalize(prefix)
        guard !key.isEmpty else { return [] }
        let keys = keys(language)
        // Binary search for the first key not below the prefix.
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid].key < key { low = mid + 1 } else { high = mid }
        }
        var matches: [(key: String, entry: Int)] = []
        var i = low
        while i < keys.count, keys[i].key.hasPrefix(key) {
            matches.append(keys[i])
            i += 1
        }
        matches.sort { ($0.key.count, $0.key) < ($1.key.count, $1.key) }
        var seen: Set<Int> = []
        return matches.filter { seen.insert($0.entry).inserted }.prefix(limit).map { entries[$0.entry] }
    }

    /// A search hit with its score, highest first.
    public struct SearchHit: Sendable {
        public var entry: GlossaryEntry
        public var score: Int
    }

    /// Ranks entries for a free-text query: matches in the term and aliases count most, then
    /// words of the definition and example.
    public func search(_ query: String, language: Language = .en, limit: Int = 20) -> [SearchHit] {
        let key = Glossary.normalize(query)
        let words = Set(key.split(separator: " ").map(String.init).filter { $0.count >= 2 })
        guard !key.isEmpty else { return [] }
        var hits: [SearchHit] = []
        for entry in entries {
            var score = 0
            let names = entry.names(in: language).map(Glossary.normalize)
            if names.contains(key) { score += 100 } else if names.contains(where: { $0.hasPrefix(key) }) { score += 60 } else if names.contains(where: { $0.contains(key) }) {
                score += 40
            }
            let nameWords = Set(names.flatMap { $0.split(separator: " ").map(String.init) })
            let textWords = Set(Glossary.normalize(entry.definition(in: language) + " " + entry.example(in: language)).split(separator: " ").map {
                String($0.filter { $0.isLetter || $0.isNumber })
            })
            for word in words {
                if nameWords.contains(word) { score += 20 }
                if textWords.contains(word) || Glossary.inflectionStems(word, language: language).contains(where: textWords.contains) { score += 5 }
            }
            if score > 0 { hits.append(SearchHit(entry: entry, score: score)) }
        }
        return Array(hits.sorted { $0.score > $1.score || ($0.score == $1.score && $0.entry.term < $1.entry.term) }.prefix(limit))
    }
}
