/// Finds glossary terms in running text: every term and alias at once, in one pass, with an
/// Aho-Corasick automaton over folded UTF-8 bytes.
///
/// Folding matches ``Glossary/normalize(_:)``: ASCII letters lowercased, common Latin accents
/// removed, hyphens and runs of spaces made one space, apostrophes dropped. Matches must start and
/// end at word boundaries, never fall inside a URL or e-mail address, and the longest match wins.
public struct TermMatcher: Sendable {
    /// One term found in the text, by UTF-8 offsets into the original.
    public struct Match: Sendable, Hashable {
        public var range: Range<Int>
        public var entry: Int
    }

    private let classes: [UInt8]
    private let classCount: Int
    /// Transitions, `state * classCount + class`, with failure links already folded in.
    private let next: [Int32]
    /// For each state, the length in folded bytes and entry of the longest key ending there (or -1),
    /// and the state to follow for shorter keys ending at the same place.
    private let output: [(length: Int32, entry: Int32)]
    private let outputLink: [Int32]

    /// Builds the automaton for `keys`: normalised names and the entry each names.
    public init(keys: [(String, Int)]) {
        // Byte classes: each byte used in a key gets a class; every other byte is class 0.
        var classes = [UInt8](repeating: 0, count: 256)
        var count = 1
        for (key, _) in keys {
            for byte in key.utf8 where classes[Int(byte)] == 0 {
                classes[Int(byte)] = UInt8(count)
                count += 1
            }
        }
        self.classes = classes
        self.classCount = count
        var goto: [[Int32]] = [[Int32](repeating: -1, count: count)]
        var output: [(length: Int32, entry: Int32)] = [(-1, -1)]
        for (key, entry) in keys {
            var state = 0
            for byte in key.utf8 {
                let c = Int(classes[Int(byte)])
                if goto[state][c] < 0 {
                    goto[state][c] = Int32(goto.count)
                    goto.append([Int32](repeating: -1, count: count))
                    output.append((-1, -1))
                }
                state = Int(goto[state][c])
            }
            if output[state].length < 0 { output[state] = (Int32(key.utf8.count), Int32(entry)) }
        }
        // Breadth-first: failure links, and full transitions.
        var failure = [Int32](repeating: 0, count: goto.count)
        var outputLink = [Int32](repeating: -1, count: goto.count)
        var next = [Int32](repeating: 0, count: goto.count * count)
        var queue: [Int] = []
        for c in 0..<count {
            if goto[0][c] > 0 {
                next[c] = goto[0][c]
                queue.append(Int(goto[0][c]))
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            let fail = Int(failure[state])
            outputLink[state] = output[fail].length >= 0 ? Int32(fail) : outputLink[fail]
            for c in 0..<count {
                let child = goto[state][c]
                if child >= 0 {
                    failure[Int(child)] = next[fail * count + c]
                    next[state * count + c] = child
                    queue.append(Int(child))
                } else {
                    next[state * count + c] = next[fail * count + c]
                }
            }
        }
        self.next = next
        self.output = output
        self.outputLink = outputLink
    }

    /// Every term in `text`, leftmost first, longest at each place, not overlapping.
    public func matches(in text: String) -> [Match] {
        var text = text
        return text.withUTF8 { matches(in: $0) }
    }

    public func matches(in bytes: UnsafeBufferPointer<UInt8>) -> [Match] {
        let folded = Folded(bytes)
        let skipped = TermMatcher.linkSpans(bytes)
        var candidates: [Match] = []
        var state = 0
        folded.bytes.withUnsafeBufferPointer { buffer in
            next.withUnsafeBufferPointer { next in
                for index in 0..<buffer.count {
                    state = Int(next[state * classCount + Int(classes[Int(buffer[index])])])
                    var hit = output[state].length >= 0 ? state : Int(outputLink[state])
                    while hit >= 0 {
                        let (length, entry) = output[hit]
                        let start = index + 1 - Int(length)
                        if folded.isBoundary(before: start), folded.isBoundary(after: index) {
                            let range = Int(folded.origin[start])..<folded.originEnd(index)
                            candidates.append(Match(range: range, entry: Int(entry)))
                        }
                        hit = Int(outputLink[hit])
                    }
                }
            }
        }
        // Leftmost, then longest, without overlaps, and never inside a link.
        candidates.sort { $0.range.lowerBound < $1.range.lowerBound || ($0.range.lowerBound == $1.range.lowerBound && $0.range.count > $1.range.count) }
        var result: [Match] = []
        var end = 0
        var link = 0
        for candidate in candidates where candidate.range.lowerBound >= end {
            while link < skipped.count, skipped[link].upperBound <= candidate.range.lowerBound { link += 1 }
            if link < skipped.count, skipped[link].overlaps(candidate.range) { continue }
            result.append(candidate)
            end = candidate.range.upperBound
        }
        return result
    }

    /// Spans of URLs (`scheme://…`, `www.…`) and e-mail addresses, where no term is marked.
    static func linkSpans(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var start = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "\"") }
        var i = 0
        while i <= bytes.count {
            if i == bytes.count || isSpace(bytes[i]) {
                if i > start {
                    let word = UnsafeBufferPointer(rebasing: bytes[start..<i])
                    if TermMatcher.isLink(word) { spans.append(start..<i) }
                }
                start = i + 1
            }
            i += 1
        }
        return spans
    }

    static func isLink(_ word: UnsafeBufferPointer<UInt8>) -> Bool {
        let at = UInt8(ascii: "@"), colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        if let a = word.firstIndex(of: at), a > 0, word[(a + 1)...].contains(dot) { return true }
        for i in 0..<max(0, word.count - 2) where word[i] == colon && word[i + 1] == slash && word[i + 2] == slash { return true }
        if word.count > 4, (word[0] | 0x20) == UInt8(ascii: "w"), (word[1] | 0x20) == UInt8(ascii: "w"), (word[2] | 0x20) == UInt8(ascii: "w"), word[3] == dot { return true }
        return false
    }
}

/// Text folded the way keys are normalised, with the original offset of every folded byte.
struct Folded {
    var bytes: [UInt8] = []
    // 32-bit offsets: two per folded byte is the cost of mapping matches back to the original.
    var origin: [Int32] = []
    var originEnds: [Int32] = []

    init(_ text: UnsafeBufferPointer<UInt8>) {
        bytes.reserveCapacity(text.count)
        origin.reserveCapacity(text.count)
        originEnds.reserveCapacity(text.count)
        var i = 0
        var lastWasSpace = true
        while i < text.count {
            let b = text[i]
            if b < 0x80 {
                if b == UInt8(ascii: "'") { i += 1; continue }
                if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: "-") {
                    if !lastWasSpace { append(0x20, from: i, to: i + 1) }
                    lastWasSpace = true
                    i += 1
                    continue
                }
                append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b, from: i, to: i + 1)
                lastWasSpace = false
                i += 1
            } else if b == 0xC3, i + 1 < text.count, let base = Folded.latin1[text[i + 1]] {
                append(base, from: i, to: i + 2)
                lastWasSpace = false
                i += 2
            } else if b == 0xE2, i + 2 < text.count, text[i + 1] == 0x80, text[i + 2] == 0x99 || text[i + 2] == 0x98 {
                i += 3  // ’ ‘ are apostrophes
            } else if b == 0xE2, i + 2 < text.count, text[i + 1] == 0x80, (0x90...0x94).contains(text[i + 2]) {
                if !lastWasSpace { append(0x20, from: i, to: i + 3) }  // hyphens and dashes
                lastWasSpace = true
                i += 3
            } else {
                // Any other character: kept as its bytes, so it matches nothing a key holds.
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                let end = min(text.count, i + length)
                for j in i..<end { append(text[j] | 0x80, from: i, to: end) }
                lastWasSpace = false
                i = end
            }
        }
    }

    private mutating func append(_ byte: UInt8, from start: Int, to end: Int) {
        bytes.append(byte)
        origin.append(Int32(truncatingIfNeeded: start))
        originEnds.append(Int32(truncatingIfNeeded: end))
    }

    func originEnd(_ index: Int) -> Int { Int(originEnds[index]) }

    /// True at the start of the text or after a byte that cannot be part of a word.
    func isBoundary(before index: Int) -> Bool { index == 0 || !Folded.isWordByte(bytes[index - 1]) }
    func isBoundary(after index: Int) -> Bool { index + 1 >= bytes.count || !Folded.isWordByte(bytes[index + 1]) }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80
    }

    /// Second bytes of `C3 xx` Latin-1 letters, folded to their unaccented lowercase base.
    static let latin1: [UInt8: UInt8] = {
        var table: [UInt8: UInt8] = [:]
        let rows: [(ClosedRange<UInt8>, UInt8)] = [
            (0x80...0x85, UInt8(ascii: "a")), (0xA0...0xA5, UInt8(ascii: "a")), (0x88...0x8B, UInt8(ascii: "e")), (0xA8...0xAB, UInt8(ascii: "e")),
            (0x8C...0x8F, UInt8(ascii: "i")), (0xAC...0xAF, UInt8(ascii: "i")), (0x92...0x96, UInt8(ascii: "o")), (0xB2...0xB6, UInt8(ascii: "o")),
            (0x99...0x9C, UInt8(ascii: "u")), (0xB9...0xBC, UInt8(ascii: "u")), (0x91...0x91, UInt8(ascii: "n")), (0xB1...0xB1, UInt8(ascii: "n")),
            (0x87...0x87, UInt8(ascii: "c")), (0xA7...0xA7, UInt8(ascii: "c")), (0x9D...0x9D, UInt8(ascii: "y")), (0xBD...0xBD, UInt8(ascii: "y")),
        ]
        for (range, base) in rows { for b in range { table[b] = base } }
        return table
    }()
}
