#if canImport(Glibc)
internal import Glibc
#elseif canImport(Darwin)
internal import Darwin
#endif

/// Finds glossary terms in running text: every term and alias at once, in one pass, with an
/// Aho-Corasick automaton over folded UTF-8 bytes.
///
/// Folding matches ``Glossary/normalize(_:)``: ASCII letters lowercased, common Latin accents
/// removed, hyphens and runs of spaces made one space, apostrophes dropped. Matches must start and
/// end at word boundaries, never fall inside a URL or e-mail address, and the longest match wins.
public struct TermMatcher: Sendable {
    /// One term found in the text, by UTF-8 offsets into the original.
    public struct Match: Sendable, Hashable {
        // Stored in 32 bits: texts are far below 4 GiB, and a long document has millions of matches.
        private var start: UInt32
        private var end: UInt32
        private var entryIndex: UInt32

        public init(range: Range<Int>, entry: Int) {
            start = UInt32(range.lowerBound)
            end = UInt32(range.upperBound)
            entryIndex = UInt32(entry)
        }

        public var range: Range<Int> { Int(start)..<Int(end) }
        public var entry: Int { Int(entryIndex) }
    }

    private let classes: [UInt8]
    /// Rows of the table are `1 << classShift` wide, so moving between states is a shift.
    private let classShift: Int
    /// Transitions with failure links folded in. Entry `row + class` holds the next state's row
    /// (`state << classShift`) shifted left once, with the low bit set when some key ends in that
    /// state: the hot loop learns both from one load, with no multiplication on its path.
    private let table: [UInt32]
    /// For each state, the length in folded bytes and entry of the longest key ending there (or -1),
    /// and the state to follow for shorter keys ending at the same place.
    private let output: [(length: Int32, entry: Int32)]
    private let outputLink: [Int32]
    /// For each state, the first state whose key ends here (itself or along its output links), or
    /// -1: one load per byte tells whether anything ends at this byte.
    private let firstHit: [Int32]
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
        self.output = output
        self.outputLink = outputLink
        let firstHit = (0..<output.count).map { output[$0].length >= 0 ? Int32($0) : outputLink[$0] }
        self.firstHit = firstHit
        var shift = 0
        while 1 << shift < count { shift += 1 }
        self.classShift = shift
        var table = [UInt32](repeating: 0, count: goto.count << shift)
        for state in 0..<goto.count {
            for c in 0..<count {
                let target = Int(next[state * count + c])
                table[state << shift | c] = UInt32(target << shift) << 1 | (firstHit[target] >= 0 ? 1 : 0)
            }
        }
        self.table = table
        self.maximumLength = keys.map(\.0.utf8.count).max() ?? 0
    }

    /// Every term in `text`, leftmost first, longest at each place, not overlapping.
    public func matches(in text: String) -> [Match] {
        var text = text
        return text.withUTF8 { matches(in: $0) }
    }

    public func matches(in bytes: UnsafeBufferPointer<UInt8>) -> [Match] {
        // Offsets are kept in 32 bits; inputs are read with far smaller limits.
        precondition(bytes.count < Int(UInt32.max), "text too large to annotate")
        let links = TermMatcher.linkSpans(bytes)
        return table.withUnsafeBufferPointer { table in
            output.withUnsafeBufferPointer { output in
                outputLink.withUnsafeBufferPointer { outputLink in
                    firstHit.withUnsafeBufferPointer { firstHit in
                        classes.withUnsafeBufferPointer { classes in
                            var scan = Scan(text: bytes, output: output, outputLink: outputLink, longest: maximumLength, links: links)
                            scan.run(table: table, firstHit: firstHit, classes: classes, classShift: classShift)
                            return scan.result
                        }
                    }
                }
            }
        }
    }

    /// Runs the automaton over `buffer[index..<end]` until a byte where some key ends; returns
    /// that byte's table entry, with `index` at it (or at `end` when none does). A function of its
    /// own, so the compiler gives this loop all the registers it needs.
    @inline(never)
    static func skim(
        _ buffer: UnsafeMutableBufferPointer<UInt8>, _ index: inout Int, _ end: Int, _ row: inout Int, _ table: UnsafeBufferPointer<UInt32>,
        _ classes: UnsafeBufferPointer<UInt8>
    ) -> Int {
        var i = index
        var r = row
        // Two bytes a turn: the loop's own bookkeeping is half the work otherwise.
        while i &+ 1 < end {
            let first = Int(table[r &+ Int(classes[Int(buffer[i])])])
            r = first &>> 1
            if first & 1 != 0 {
                index = i
                row = r
                return first
            }
            let second = Int(table[r &+ Int(classes[Int(buffer[i &+ 1])])])
            r = second &>> 1
            if second & 1 != 0 {
                index = i &+ 1
                row = r
                return second
            }
            i &+= 2
        }
        while i < end {
            let entry = Int(table[r &+ Int(classes[Int(buffer[i])])])
            r = entry &>> 1
            if entry & 1 != 0 {
                index = i
                row = r
                return entry
            }
            i &+= 1
        }
        index = i
        row = r
        return 0
    }

    /// One pass over the text, a chunk at a time: each chunk is folded the way keys are
    /// normalised into a small buffer that stays in the processor's cache, then run through the
    /// automaton.
    ///
    /// Leftmost-longest: only the longest match at each start can be chosen (a start skipped for
    /// overlapping skips all its matches). A ring at least as wide as the longest key holds, per
    /// start, the longest match so far; a start is settled once no longer match can reach it.
    /// Widths are powers of two, so a slot is a mask away, not a division.
    private struct Scan {
        let text: UnsafeBufferPointer<UInt8>
        let output: UnsafeBufferPointer<(length: Int32, entry: Int32)>
        let outputLink: UnsafeBufferPointer<Int32>
        let longest: Int
        let mask: Int
        var ringStart: [Int]
        var ringEnd: [Int]
        var ringEntry: [Int32]
        /// Starts with a match waiting to be settled, in order (from `head` on).
        var pending: [Int] = []
        var head = 0
        var lastEnd = 0
        let links: [Range<Int>]
        var link = 0
        var result: [Match] = []
        /// Where folded offsets shift against the original: (first folded index, delta from there on).
        var breaks: [(index: Int, delta: Int)] = [(0, 0)]
        var cursor = 0

        /// Folded bytes per chunk.
        static let chunk = 1 << 15

        init(
            text: UnsafeBufferPointer<UInt8>, output: UnsafeBufferPointer<(length: Int32, entry: Int32)>, outputLink: UnsafeBufferPointer<Int32>, longest: Int,
            links: [Range<Int>]
        ) {
            self.text = text
            self.output = output
            self.outputLink = outputLink
            self.longest = longest
            var width = 4
            while width <= longest + 2 { width <<= 1 }
            mask = width - 1
            ringStart = [Int](repeating: -1, count: width)
            ringEnd = [Int](repeating: 0, count: width)
            ringEntry = [Int32](repeating: 0, count: width)
            self.links = links
        }

        mutating func run(table: UnsafeBufferPointer<UInt32>, firstHit: UnsafeBufferPointer<Int32>, classes: UnsafeBufferPointer<UInt8>, classShift: Int) {
            // The buffer keeps the last `keep` folded bytes of the previous chunk in front, so the
            // byte before a match is always at hand; before the text, it holds spaces.
            let keep = longest + 2
            var storage = [UInt8](repeating: 0x20, count: keep + Scan.chunk + 8)
            storage.withUnsafeMutableBufferPointer { buffer in
                var base = -keep  // the folded index of buffer[0]
                var filled = keep
                var scanned = keep
                var original = 0
                var lastWasSpace = true
                var delta = 0
                var row = 0
                let length = text.count

                @inline(__always) func emit(_ byte: UInt8, from offset: Int) {
                    let index = base &+ filled
                    if index &+ delta != offset {
                        delta = offset &- index
                        breaks.append((index, delta))
                    }
                    buffer[filled] = byte
                    filled &+= 1
                }

                while true {
                    let limit = filled + Scan.chunk
                    while original < length, filled < limit {
                        let b = text[original]
                        if b &- 0x61 < 26 || b &- 0x30 < 10 {
                            // The common case: a run of lowercase letters and digits, kept as they are.
                            emit(b, from: original)
                            var j = original &+ 1
                            let stop = min(length, original &+ (limit &- filled) &+ 1)
                            while j < stop {
                                let c = text[j]
                                guard c &- 0x61 < 26 || c &- 0x30 < 10 else { break }
                                buffer[filled] = c
                                filled &+= 1
                                j &+= 1
                            }
                            lastWasSpace = false
                            original = j
                        } else if b < 0x80 {
                            if Folded.isSpace(b) {
                                if !lastWasSpace { emit(0x20, from: original) }
                                lastWasSpace = true
                            } else if b != UInt8(ascii: "'") {
                                emit(b >= 0x41 && b <= 0x5A ? b | 0x20 : b, from: original)
                                lastWasSpace = false
                            }
                            original &+= 1
                        } else if b == 0xC3, original + 1 < length, let letter = Folded.latin1[Int(text[original + 1])] {
                            emit(letter, from: original)
                            lastWasSpace = false
                            original &+= 2
                        } else if b == 0xE2, original + 2 < length, text[original + 1] == 0x80, text[original + 2] == 0x99 || text[original + 2] == 0x98 {
                            original &+= 3  // ’ ‘ are apostrophes
                        } else if b == 0xE2, original + 2 < length, text[original + 1] == 0x80, (0x90...0x94).contains(text[original + 2]) {
                            if !lastWasSpace { emit(0x20, from: original) }  // hyphens and dashes
                            lastWasSpace = true
                            original &+= 3
                        } else {
                            // Any other character keeps its bytes, which match nothing a key holds.
                            let end = min(length, original + Folded.sequenceLength(b))
                            for j in original..<end { emit(text[j] | 0x80, from: j) }
                            lastWasSpace = false
                            original = end
                        }
                    }
                    let done = original >= length
                    // The last byte waits for the next chunk: whether a key ends there depends on the byte after it.
                    let end = done ? filled : filled - 1
                    var index = scanned
                    while true {
                        // Most bytes end no key: skim to the next one that does, in a loop small
                        // enough to keep the automaton's row in a register.
                        let entry = TermMatcher.skim(buffer, &index, end, &row, table, classes)
                        guard index < end else { break }
                        let position = base &+ index
                        if index + 1 >= filled || !Folded.isWordByte(buffer[index + 1]) {
                            // Starts that no key ending here can reach are final.
                            settle(through: position &- longest)
                            var hit = Int(firstHit[(entry &>> 1) &>> classShift])
                            repeat {
                                let start = position &+ 1 &- Int(output[hit].length)
                                if !Folded.isWordByte(buffer[start &- base &- 1]) {
                                    let slot = start & mask
                                    if ringStart[slot] != start {
                                        wait(for: start)
                                        ringStart[slot] = start
                                        ringEnd[slot] = position &+ 1
                                        ringEntry[slot] = output[hit].entry
                                    } else if ringEnd[slot] < position &+ 1 {
                                        ringEnd[slot] = position &+ 1
                                        ringEntry[slot] = output[hit].entry
                                    }
                                }
                                hit = Int(outputLink[hit])
                            } while hit >= 0
                        }
                        index &+= 1
                    }
                    scanned = end
                    if done { break }
                    // Slide: keep `keep` scanned bytes and the unscanned one.
                    let from = scanned - keep
                    let moved = filled - from
                    for i in 0..<moved { buffer[i] = buffer[from + i] }
                    base &+= from
                    filled = moved
                    scanned = keep
                }
                let total = base &+ filled
                settle(through: total)
            }
        }

        /// Notes a new start with a match; starts mostly come in order, so this is mostly an append.
        mutating func wait(for start: Int) {
            var at = pending.count
            while at > head, pending[at - 1] > start { at -= 1 }
            pending.insert(start, at: at)
        }

        /// Settles every waiting start up to `last`, in order.
        mutating func settle(through last: Int) {
            while head < pending.count, pending[head] <= last {
                settle(pending[head])
                head += 1
            }
            if head > 4096 {
                pending.removeFirst(head)
                head = 0
            }
        }

        mutating func settle(_ start: Int) {
            let slot = start & mask
            guard ringStart[slot] == start else { return }
            ringStart[slot] = -1
            guard start >= lastEnd else { return }
            let range = originalRange(start, ringEnd[slot])
            while link < links.count, links[link].upperBound <= range.lowerBound { link += 1 }
            if link < links.count, links[link].overlaps(range) { return }
            result.append(Match(range: range, entry: Int(ringEntry[slot])))
            lastEnd = ringEnd[slot]
        }

        /// The original offset of folded byte `index`, walking the breaks forward from `cursor`.
        func origin(_ index: Int, from cursor: inout Int) -> Int {
            while cursor + 1 < breaks.count, breaks[cursor + 1].index <= index { cursor += 1 }
            return index + breaks[cursor].delta
        }

        /// The original bytes of folded bytes `start..<end`, whole characters. Starts come in
        /// order, so the cursor only moves forward.
        mutating func originalRange(_ start: Int, _ end: Int) -> Range<Int> {
            let first = origin(start, from: &cursor)
            var ahead = cursor
            let last = origin(end - 1, from: &ahead)
            var lastEnd = last + 1
            let lead = text[last]
            if lead >= 0xC0 {
                lastEnd = min(text.count, last + Folded.sequenceLength(lead))
            } else if lead >= 0x80 {
                // A continuation byte of a kept character: run to the end of that character.
                while lastEnd < text.count, text[lastEnd] & 0xC0 == 0x80 { lastEnd += 1 }
            }
            return first..<lastEnd
        }
    }

    /// Spans of URLs (`scheme://…`, `www.…`) and e-mail addresses, where no term is marked.
    /// They are rare, so the scan jumps between their marks (`@`, `://`, `www.`) with the C
    /// library's vectorised `memchr`, and only then finds the surrounding word.
    static func linkSpans(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return [] }
        let count = bytes.count
        let at = UInt8(ascii: "@"), colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        func isSeparator(_ b: UInt8) -> Bool {
            b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 || b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "\"")
                || b == UInt8(ascii: "(") || b == UInt8(ascii: ")")
        }
        /// Every offset of `byte`, found with memchr.
        func offsets(of byte: UInt8) -> [Int] {
            var found: [Int] = []
            var from = 0
            while from < count, let hit = memchr(base + from, Int32(byte), count - from) {
                let offset = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                found.append(offset)
                from = offset + 1
            }
            return found
        }
        var marks: [Int] = offsets(of: at)
        marks += offsets(of: colon).filter { $0 + 2 < count && bytes[$0 + 1] == slash && bytes[$0 + 2] == slash }
        // "www." starts a link at the start of a word; found from its dot, which is commoner
        // than "@" but still far rarer than letters.
        marks += offsets(of: dot).filter { i in
            i >= 3 && bytes[i - 1] | 0x20 == 0x77 && bytes[i - 2] | 0x20 == 0x77 && bytes[i - 3] | 0x20 == 0x77 && (i == 3 || isSeparator(bytes[i - 4]))
        }
        marks.sort()
        var spans: [Range<Int>] = []
        for i in marks {
            if let last = spans.last, last.contains(i) { continue }
            var start = i
            while start > 0, !isSeparator(bytes[start - 1]) { start -= 1 }
            var end = i
            while end < count, !isSeparator(bytes[end]) { end += 1 }
            // An e-mail address needs something before the @ and a dot after it.
            if bytes[i] == at, start == i || !bytes[i..<end].contains(dot) { continue }
            if let last = spans.last, last.upperBound >= start {
                spans[spans.count - 1] = last.lowerBound..<max(last.upperBound, end)
            } else {
                spans.append(start..<end)
            }
        }
        return spans
    }
}

/// How text is folded the way keys are normalised: ASCII letters lowercased, Latin accents
/// removed, spaces and hyphens merged, apostrophes dropped. ``TermMatcher`` folds as it scans.
enum Folded {
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == UInt8(ascii: "-") }

    static func sequenceLength(_ b: UInt8) -> Int { b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1 }

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
