/// Readability scores, computed the same way for every text so thresholds mean the same thing.
///
/// Words are runs of letters (with inner apostrophes) or of digits; sentences end at `.`, `!` or
/// `?` (a final sentence without one still counts). Syllables are counted by vowel groups, with
/// the common silent endings of English and the diphthongs and hiatus of Spanish.
public enum Readability {
    public struct Counts: Sendable, Hashable {
        public var words: Int
        public var sentences: Int
        public var syllables: Int
    }

    /// Flesch-Kincaid grade level: 0.39 (words/sentences) + 11.8 (syllables/words) − 15.59.
    public static func fleschKincaidGrade(_ text: String) -> Double {
        let c = counts(text, language: .en)
        return 0.39 * Double(c.words) / Double(c.sentences) + 11.8 * Double(c.syllables) / Double(c.words) - 15.59
    }

    /// Flesch reading ease: 206.835 − 1.015 (words/sentences) − 84.6 (syllables/words).
    public static func fleschReadingEase(_ text: String) -> Double {
        let c = counts(text, language: .en)
        return 206.835 - 1.015 * Double(c.words) / Double(c.sentences) - 84.6 * Double(c.syllables) / Double(c.words)
    }

    /// Fernández-Huerta for Spanish: 206.84 − 0.60 P − 1.02 F, with P syllables and F sentences per 100 words.
    public static func fernandezHuerta(_ text: String) -> Double {
        let c = counts(text, language: .es)
        let words = Double(c.words)
        return 206.84 - 0.60 * (100 * Double(c.syllables) / words) - 1.02 * (100 * Double(c.sentences) / words)
    }

    public static func counts(_ text: String, language: Glossary.Language) -> Counts {
        let words = self.words(text)
        let syllables = words.reduce(0) { $0 + (language == .en ? englishSyllables($1) : spanishSyllables($1)) }
        return Counts(words: max(1, words.count), sentences: sentences(text), syllables: syllables)
    }

    static func words(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var digits = false
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func flush() {
            if !current.isEmpty { result.append(current) }
            current = ""
        }
        while i < scalars.count {
            let s = scalars[i]
            let isLetter = s.properties.isAlphabetic && !("0"..."9").contains(s)
            let isDigit = ("0"..."9").contains(s)
            if isLetter {
                if digits { flush() }
                digits = false
                current.unicodeScalars.append(s)
            } else if isDigit {
                if !digits { flush() }
                digits = true
                current.unicodeScalars.append(s)
            } else if (s == "'" || s == "’"), !current.isEmpty, !digits, i + 1 < scalars.count, scalars[i + 1].properties.isAlphabetic {
                current.unicodeScalars.append(s)
            } else {
                flush()
                digits = false
            }
            i += 1
        }
        flush()
        return result
    }

    static func sentences(_ text: String) -> Int {
        var count = 0
        var inRun = false
        for c in text.unicodeScalars {
            let end = c == "." || c == "!" || c == "?"
            if end && !inRun { count += 1 }
            inRun = end
        }
        var trimmed = Substring(text)
        while let last = trimmed.last, last.isWhitespace { trimmed = trimmed.dropLast() }
        if let last = trimmed.last, !".!?".contains(last) { count += 1 }
        return max(1, count)
    }

    static func englishSyllables(_ word: String) -> Int {
        if word.allSatisfy(\.isNumber) { return 1 }
        var w = String(word.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) }.map(Character.init))
        if w.count <= 3 { return 1 }
        if w.hasSuffix("ed"), !w.hasSuffix("ted"), !w.hasSuffix("ded") {
            w.removeLast(2)
        } else if w.hasSuffix("es"), !["ses", "zes", "ces", "ges", "xes", "ches", "shes"].contains(where: { w.hasSuffix($0) }) {
            w.removeLast(2)
        } else if w.hasSuffix("e"), !w.hasSuffix("le"), !w.hasSuffix("ee") {
            w.removeLast()
        }
        var count = 0
        var previousVowel = false
        for (index, c) in w.enumerated() {
            let vowel = "aeiou".contains(c) || (c == "y" && index > 0)
            if vowel && !previousVowel { count += 1 }
            previousVowel = vowel
        }
        return max(1, count)
    }

    static func spanishSyllables(_ word: String) -> Int {
        if word.allSatisfy(\.isNumber) { return 1 }
        let w = Array(word.lowercased())
        if w == ["y"] { return 1 }
        let vowels: Set<Character> = ["a", "e", "i", "o", "u", "á", "é", "í", "ó", "ú", "ü"]
        let strong: Set<Character> = ["a", "e", "o", "á", "é", "ó"]
        let accentedWeak: Set<Character> = ["í", "ú"]
        var count = 0
        var i = 0
        while i < w.count {
            if vowels.contains(w[i]) {
                count += 1
                var j = i + 1
                while j < w.count, vowels.contains(w[j]) {
                    let (a, b) = (w[j - 1], w[j])
                    if (strong.contains(a) && strong.contains(b)) || accentedWeak.contains(a) || accentedWeak.contains(b) { count += 1 }
                    j += 1
                }
                i = j
            } else {
                i += 1
            }
        }
        return max(1, count)
    }
}
