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
    /// Transitions, `state * classCount + class`, with failure links already folded in; 16-bit
    /// when the states allow, so the table stays small enough for the processor's caches.
    private let next: [Int32]
    private let narrowNext: [UInt16]?
    /// For each state, the length in folded bytes and entry of the longest key ending there (or -1),
    /// and the state to follow for shorter keys ending at the same place.
    private let output: [(length: Int32, entry: Int32)]
    private let outputLink: [Int32]
    /// The longest key, in folded bytes.
    private let maximumLength: Int

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
        self.narrowNext = goto.count <= Int(UInt16.max) ? next.map { UInt16($0) } : nil
        self.output = output
        self.outputLink = outputLink
        self.maximumLength = keys.map(\.0.utf8.count).max() ?? 0
    }

    /// Every term in `text`, leftmost first, longest at each place, not overlapping.
    public func matches(in text: String) -> [Match] {
        var text = text
        return text.withUTF8 { matches(in: $0) }
    }

    public func matches(in bytes: UnsafeBufferPointer<UInt8>) -> [Match] {
        let folded = Folded(bytes)
        var scan = Scan(width: maximumLength + 1, links: TermMatcher.linkSpans(bytes))
        func run<T: FixedWidthInteger>(_ table: [T]) {
            folded.bytes.withUnsafeBufferPointer { buffer in
                table.withUnsafeBufferPointer { next in
                    output.withUnsafeBufferPointer { output in
                        outputLink.withUnsafeBufferPointer { outputLink in
                            classes.withUnsafeBufferPointer { classes in
                                scan.run(
                                    buffer, next: next, output: output, outputLink: outputLink, classes: classes, classCount: classCount, longest: maximumLength,
                                    folded: folded, text: bytes)
                            }
                        }
                    }
                }
            }
        }
        if let narrowNext { run(narrowNext) } else { run(next) }
        return scan.result
    }

    /// The state of one pass, kept in a struct so every access is checked at compile time.
    private struct Scan {
        // Leftmost-longest: only the longest match at each start can be chosen (a start skipped for
        // overlapping skips all its matches). A ring as wide as the longest key holds, per start,
        // the longest match so far; a start is settled once no longer match can reach it.
        let width: Int
        var ringStart: [Int]
        var ringEnd: [Int]
        var ringEntry: [Int32]
        var waiting = 0
        var lastEnd = 0
        var links: [Range<Int>]
        var link = 0
        var result: [Match] = []

        init(width: Int, links: [Range<Int>]) {
            self.width = width
            ringStart = [Int](repeating: -1, count: width)
            ringEnd = [Int](repeating: 0, count: width)
            ringEntry = [Int32](repeating: 0, count: width)
            self.links = links
        }

        mutating func run<T: FixedWidthInteger>(
            _ buffer: UnsafeBufferPointer<UInt8>, next: UnsafeBufferPointer<T>, output: UnsafeBufferPointer<(length: Int32, entry: Int32)>,
            outputLink: UnsafeBufferPointer<Int32>, classes: UnsafeBufferPointer<UInt8>, classCount: Int, longest: Int, folded: Folded,
            text: UnsafeBufferPointer<UInt8>
        ) {
            var state = 0
            var settled = 0
            for index in 0..<buffer.count {
                state = Int(next[state &* classCount &+ Int(classes[Int(buffer[index])])])
                var hit = output[state].length >= 0 ? state : Int(outputLink[state])
                if hit >= 0, index + 1 >= buffer.count || !Folded.isWordByte(buffer[index + 1]) {
                    repeat {
                        let start = index + 1 - Int(output[hit].length)
                        if start == 0 || !Folded.isWordByte(buffer[start - 1]) {
                            let slot = start % width
                            if ringStart[slot] != start {
                                if ringStart[slot] < 0 { waiting += 1 }
                                ringStart[slot] = start
                                ringEnd[slot] = index + 1
                                ringEntry[slot] = output[hit].entry
                            } else if ringEnd[slot] < index + 1 {
                                ringEnd[slot] = index + 1
                                ringEntry[slot] = output[hit].entry
                            }
                        }
                        hit = Int(outputLink[hit])
                    } while hit >= 0
                }
                // Matches end at most one key length after they start.
                if waiting > 0 {
                    while settled <= index + 1 - longest {
                        settle(settled, folded: folded, text: text)
                        settled += 1
                    }
                } else {
                    settled = max(settled, index + 2 - longest)
                }
            }
            while settled < buffer.count, waiting > 0 {
                settle(settled, folded: folded, text: text)
                settled += 1
            }
        }

        mutating func settle(_ start: Int, folded: Folded, text: UnsafeBufferPointer<UInt8>) {
            let slot = start % width
            guard ringStart[slot] == start else { return }
            ringStart[slot] = -1
            waiting -= 1
            guard start >= lastEnd else { return }
            let range = folded.originalRange(start, ringEnd[slot], in: text)
            while link < links.count, links[link].upperBound <= range.lowerBound { link += 1 }
            if link < links.count, links[link].overlaps(range) { return }
            result.append(Match(range: range, entry: Int(ringEntry[slot])))
            lastEnd = ringEnd[slot]
        }
    }

    /// Spans of URLs (`scheme://…`, `www.…`) and e-mail addresses, where no term is marked.
    /// They are rare, so the scan looks for their marks (`@`, `://`, `www.`) and only then finds the
    /// surrounding word.
    static func linkSpans(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        let at = UInt8(ascii: "@"), colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/"), dot = UInt8(ascii: "."), w = UInt8(ascii: "w")
        func isSeparator(_ b: UInt8) -> Bool {
            b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "\"")
                || b == UInt8(ascii: "(") || b == UInt8(ascii: ")")
        }
        var i = 0
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            var mark = false
            if b == at || b == colon {
                mark = b == at || (i + 2 < count && bytes[i + 1] == slash && bytes[i + 2] == slash)
            } else if b | 0x20 == w, i + 3 < count, bytes[i + 1] | 0x20 == w, bytes[i + 2] | 0x20 == w, bytes[i + 3] == dot {
                mark = i == 0 || isSeparator(bytes[i - 1])
            }
            guard mark else {
                i += 1
                continue
            }
            var start = i
            while start > 0, !isSeparator(bytes[start - 1]) { start -= 1 }
            var end = i
            while end < count, !isSeparator(bytes[end]) { end += 1 }
            // An e-mail address needs a dot after the @.
            if b == at, !bytes[i..<end].contains(dot) || start == i {
                i += 1
                continue
            }
            if let last = spans.last, last.upperBound >= start {
                spans[spans.count - 1] = last.lowerBound..<max(last.upperBound, end)
            } else {
                spans.append(start..<end)
            }
            i = end
        }
        return spans
    }
}

/// Text folded the way keys are normalised. Folded byte `i` comes from original byte `i + delta`,
/// where the delta changes only at the few places folding drops or merges bytes, so the map back
/// costs a breakpoint there rather than an offset per byte.
struct Folded {
    var bytes: [UInt8] = []
    /// (first folded index, delta from there on), in order.
    var breaks: [(index: Int, delta: Int)] = [(0, 0)]

    init(_ text: UnsafeBufferPointer<UInt8>) {
        var breaks = self.breaks
        // Folding never makes text longer, so one buffer of the text's size is enough.
        bytes = [UInt8](unsafeUninitializedCapacity: text.count) { out, written in
            var writer = Writer(out: out, breaks: breaks)
            var i = 0
            var lastWasSpace = true
            let count = text.count
            while i < count {
                let b = text[i]
                if b >= 0x61 && b <= 0x7A || b >= 0x30 && b <= 0x39 {
                    // The common case: a lowercase letter or digit, kept as it is.
                    writer.emit(b, from: i)
                    lastWasSpace = false
                    i &+= 1
                } else if b < 0x80 {
                    if Folded.isSpace(b) {
                        if !lastWasSpace { writer.emit(0x20, from: i) }
                        lastWasSpace = true
                    } else if b != UInt8(ascii: "'") {
                        writer.emit(b >= 0x41 && b <= 0x5A ? b | 0x20 : b, from: i)
                        lastWasSpace = false
                    }
                    i &+= 1
                } else if b == 0xC3, i + 1 < count, let base = Folded.latin1[Int(text[i + 1])] {
                    writer.emit(base, from: i)
                    lastWasSpace = false
                    i &+= 2
                } else if b == 0xE2, i + 2 < count, text[i + 1] == 0x80, text[i + 2] == 0x99 || text[i + 2] == 0x98 {
                    i &+= 3  // ’ ‘ are apostrophes
                } else if b == 0xE2, i + 2 < count, text[i + 1] == 0x80, (0x90...0x94).contains(text[i + 2]) {
                    if !lastWasSpace { writer.emit(0x20, from: i) }  // hyphens and dashes
                    lastWasSpace = true
                    i &+= 3
                } else {
                    // Any other character keeps its bytes, which match nothing a key holds.
                    let end = min(count, i + Folded.sequenceLength(b))
                    for j in i..<end { writer.emit(text[j] | 0x80, from: j) }
                    lastWasSpace = false
                    i = end
                }
            }
            written = writer.count
            breaks = writer.breaks
        }
        self.breaks = breaks
    }

    /// Writes folded bytes and notes where their original offsets shift.
    private struct Writer {
        let out: UnsafeMutableBufferPointer<UInt8>
        var breaks: [(index: Int, delta: Int)]
        var count = 0
        var delta = 0

        init(out: UnsafeMutableBufferPointer<UInt8>, breaks: [(index: Int, delta: Int)]) {
            self.out = out
            self.breaks = breaks
        }

        @inline(__always)
        mutating func emit(_ byte: UInt8, from original: Int) {
            if count &+ delta != original {
                delta = original &- count
                breaks.append((count, delta))
            }
            out[count] = byte
            count &+= 1
        }
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: "-") }

    static func sequenceLength(_ b: UInt8) -> Int { b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1 }

    /// The original byte offset of folded byte `index`.
    func origin(_ index: Int) -> Int {
        var low = 0, high = breaks.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if breaks[mid].index <= index { low = mid } else { high = mid - 1 }
        }
        return index + breaks[low].delta
    }

    /// The original bytes of folded bytes `start..<end`, whole characters.
    func originalRange(_ start: Int, _ end: Int, in text: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let last = origin(end - 1)
        var lastEnd = last + 1
        let lead = text[last]
        if lead >= 0xC0 {
            lastEnd = min(text.count, last + Folded.sequenceLength(lead))
        } else if lead >= 0x80 {
            // A continuation byte of a kept character: run to the end of that character.
            while lastEnd < text.count, text[lastEnd] & 0xC0 == 0x80 { lastEnd += 1 }
        }
        return origin(start)..<lastEnd
    }

    /// True at the start of the text or after a byte that cannot be part of a word.
    func isBoundary(before index: Int) -> Bool { index == 0 || !Folded.isWordByte(bytes[index - 1]) }
    func isBoundary(after index: Int) -> Bool { index + 1 >= bytes.count || !Folded.isWordByte(bytes[index + 1]) }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80
    }

    /// Second bytes of `C3 xx` Latin-1 letters, folded to their unaccented lowercase base; nil for
    /// others. Built from ``Glossary/unaccented``, in both cases, so terms and text fold alike.
    static let latin1: [UInt8?] = {
        var table = [UInt8?](repeating: nil, count: 256)
        for (accented, base) in Glossary.unaccented {
            for scalar in [accented] + String(accented).uppercased().unicodeScalars {
                let bytes = Array(String(scalar).utf8)
                if bytes.count == 2, bytes[0] == 0xC3, base.isASCII { table[Int(bytes[1])] = UInt8(base.value) }
            }
        }
        return table
    }()
}
