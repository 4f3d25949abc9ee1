/// A plain-language legal glossary in English and Spanish.
public struct Glossary: Sendable {
    public private(set) var entries: [GlossaryEntry]
    public private(set) var categories: [GlossaryCategory]
    /// Normalised term or alias, per language, to the entry it names.
    private var index: [Language: [String: Int]] = [:]
    /// Normalised keys in order, per language, for prefix completion.
    private var sortedKeys: [Language: [(key: String, entry: Int)]] = [:]

    public init(entries: [GlossaryEntry], categories: [GlossaryCategory]) {
        self.entries = entries
        self.categories = categories
        for language in Language.allCases {
            var keys: [String: Int] = [:]
            for (position, entry) in entries.enumerated() {
                for name in entry.names(in: language) {
                    let key = Glossary.normalize(name)
                    if keys[key] == nil { keys[key] = position }
                }
            }
            index[language] = keys
            sortedKeys[language] = keys.map { ($0.key, $0.value) }.sorted { $0.key < $1.key }
        }
    }

    public enum Language: String, Sendable, CaseIterable, Hashable {
        case en, es
    }

    /// The entry whose term or alias is exactly `name` (after normalising), or nil.
    public func entry(named name: String, language: Language = .en) -> GlossaryEntry? {
        index[language]?[Glossary.normalize(name)].map { entries[$0] }
    }

    /// Every normalised term and alias in both languages.
    public var allKeys: Set<String> {
        Set(index.values.flatMap(\.keys))
    }

    func position(of key: String, language: Language) -> Int? { index[language]?[key] }

    func keys(_ language: Language) -> [(key: String, entry: Int)] { sortedKeys[language] ?? [] }

    /// Lowercased, accents removed, hyphens and apostrophes dropped or spaced, spaces collapsed:
    /// "Citación" = "citacion", "Ex-Parte" = "ex parte", "victim’s" = "victims".
    public static func normalize(_ text: String) -> String {
        var result = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            // ASCII, nearly every character here, without building strings.
            if scalar.isASCII {
                let value = scalar.value
                if value == 0x27 { continue }
                if value == 0x20 || value == 0x09 || value == 0x0A || value == 0x0D || value == 0x2D || value == 0x2F {
                    pendingSpace = !result.isEmpty
                    continue
                }
                if pendingSpace {
                    result.append(" ")
                    pendingSpace = false
                }
                result.append(value >= 0x41 && value <= 0x5A ? Unicode.Scalar(value + 32)! : scalar)
                continue
            }
            if scalar == "’" { continue }
            if scalar.properties.isWhitespace || scalar == "-" || scalar == "‐" || scalar == "/" {
                pendingSpace = !result.isEmpty
                continue
            }
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            for lower in String(scalar).lowercased().unicodeScalars {
                if pendingSpace {
                    result.append(" ")
                    pendingSpace = false
                }
                result.append(Glossary.unaccented[lower] ?? lower)
            }
        }
        return String(result)
    }

    /// Accented lowercase Latin letters and their base letters; the term matcher folds bytes with it too.
    static let unaccented: [Unicode.Scalar: Unicode.Scalar] = {
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (accented, base) in [("áàâäãå", "a"), ("éèêë", "e"), ("íìîï", "i"), ("óòôöõ", "o"), ("úùûü", "u"), ("ñ", "n"), ("ç", "c"), ("ý", "y")] as [(String, Unicode.Scalar)] {
            for scalar in accented.unicodeScalars { table[scalar] = base }
        }
        return table
    }()
}

/// One term with its plain-language explanations.
public struct GlossaryEntry: Sendable, Hashable {
    public var term: String
    public var aliases: [String]
    public var category: String
    public var related: [String]
    public var definition: String
    public var example: String
    public var spanish: Translation
    /// Where the entry is defined, for messages: `Glossary/court-logistics.yaml:189`.
    public var source: String

    public struct Translation: Sendable, Hashable {
        public var term: String
        public var aliases: [String]
        public var definition: String
        public var example: String

        public init(term: String, aliases: [String], definition: String, example: String) {
            self.term = term
            self.aliases = aliases
            self.definition = definition
            self.example = example
        }
    }

    public init(
        term: String, aliases: [String], category: String, related: [String], definition: String, example: String, spanish: Translation,
        source: String
    ) {
        self.term = term
        self.aliases = aliases
        self.category = category
        self.related = related
        self.definition = definition
        self.example = example
        self.spanish = spanish
        self.source = source
    }

    public func names(in language: Glossary.Language) -> [String] {
        language == .en ? [term] + aliases : [spanish.term] + spanish.aliases
    }

    public func term(in language: Glossary.Language) -> String { language == .en ? term : spanish.term }
    public func definition(in language: Glossary.Language) -> String { language == .en ? definition : spanish.definition }
    public func example(in language: Glossary.Language) -> String { language == .en ? example : spanish.example }
}

public struct GlossaryCategory: Sendable, Hashable {
    public var id: String
    public var title: String
    public var titleSpanish: String

    public init(id: String, title: String, titleSpanish: String) {
        self.id = id
        self.title = title
        self.titleSpanish = titleSpanish
    }
}
