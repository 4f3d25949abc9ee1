/// The positions of a fixed list of names (a workflow's fields or events), found by name.
///
/// A `Dictionary` keyed by `String` hashes with SipHash under a seed chosen per process, which
/// costs about 500 instructions for a 20-letter name; a transition looks up its event by name
/// and opening a case looks up each field. These names are fixed when the workflow loads, so a
/// plain multiplicative hash into an open-addressed table does the same for a fifth of that. A name
/// not in the list probes at most the run of occupied slots from its own, so input cannot make a
/// lookup slower than the table allows. The hash reads bytes, so a name spelled with other but
/// equivalent Unicode (a decomposed accent) misses it and is then compared as `String ==` does.
struct NameIndex: Sendable {
    /// One shared box: the index is read through the plan, and copying it retains one reference.
    fileprivate final class Table: Sendable {
        let names: [String]
        /// Positions in ``names``, one more than the position (0 marks an empty slot); the count is a power of two.
        let slots: [Int32]
        /// Each name's bytes as the words ``NameIndex/words(_:_:)`` reads, one name after another:
        /// name `i` is `words[starts[i]..<starts[i + 1]]`. A name looked up is compared with these a
        /// word at a time, which costs a fraction of `String ==` on two different strings.
        let words: [UInt64]
        let starts: [Int]
        let counts: [Int]
        /// For each position, the first position whose name is equal as Swift compares text: the
        /// one found for either spelling of a name written twice (once with a decomposed accent).
        let firsts: [Int]

        /// The first of two equal names is the one found.
        init(_ names: [String]) {
            self.names = names
            var words: [UInt64] = []
            var starts = [0]
            var hashes: [Int] = []
            for name in names {
                var copy = name
                copy.withUTF8 { bytes in
                    let raw = UnsafeRawBufferPointer(bytes)
                    NameIndex.words(raw) { words.append($0) }
                    hashes.append(NameIndex.hash(raw))
                }
                starts.append(words.count)
            }
            self.words = words
            self.starts = starts
            counts = names.map(\.utf8.count)
            var size = 8
            while size < names.count * 2 { size *= 2 }
            var slots = [Int32](repeating: 0, count: size)
            var firstByName: [String: Int] = [:]
            var firsts: [Int] = []
            for (position, name) in names.enumerated() {
                if firstByName[name] == nil { firstByName[name] = position }
                firsts.append(firstByName[name]!)
                var slot = hashes[position] & (size - 1)
                // Only the same bytes are a duplicate here: lookups compare bytes.
                var duplicate = false
                while slots[slot] != 0 {
                    if names[Int(slots[slot]) - 1].utf8.elementsEqual(name.utf8) { duplicate = true; break }
                    slot = (slot + 1) & (size - 1)
                }
                if !duplicate { slots[slot] = Int32(position + 1) }
            }
            self.slots = slots
            self.firsts = firsts
        }
    }

    private let table: Table

    init(_ names: [String]) { table = Table(names) }

    var count: Int { table.names.count }

    func position(_ name: String) -> Int? {
        let found = name.utf8.withContiguousStorageIfAvailable { bytes in table.position(of: UnsafeRawBufferPointer(bytes)) }
            ?? Array(name.utf8).withUnsafeBytes { bytes in table.position(of: bytes) }
        if found >= 0 { return found }
        return name.utf8.allSatisfy({ $0 < 0x80 }) ? nil : table.names.firstIndex(of: name)
    }

    /// A name's bytes as 64-bit words: whole words from the start, and a last one that ends at the
    /// last byte (overlapping the one before it unless the length is a multiple of eight) or, for a
    /// name shorter than a word, holds it all. Short names are packed by shifting and longer ones
    /// loaded in machine order; either way two names of one length give the same words only when
    /// their bytes are the same.
    @inline(__always) fileprivate static func words(_ bytes: UnsafeRawBufferPointer, _ body: (UInt64) -> Void) {
        guard bytes.count >= 8 else {
            var word: UInt64 = 0
            for byte in bytes { word = word << 8 | UInt64(byte) }
            body(word)
            return
        }
        var offset = 0
        while offset < bytes.count &- 8 {
            body(bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset &+= 8
        }
        body(bytes.loadUnaligned(fromByteOffset: bytes.count &- 8, as: UInt64.self))
    }

    /// Mixes the words with the count: a name of twenty letters takes three steps, where hashing
    /// byte by byte took twenty multiplications in a row.
    @inline(__always) fileprivate static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(truncatingIfNeeded: bytes.count)
        words(bytes) { word in
            let mixed = (hash ^ word) &* 0x9e37_79b9_7f4a_7c15
            hash = mixed ^ (mixed >> 32)
        }
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}

extension NameIndex.Table {
    /// The position of the name spelled with exactly these bytes, or -1.
    @inline(__always) func position(of name: UnsafeRawBufferPointer) -> Int {
        let mask = slots.count &- 1
        var slot = NameIndex.hash(name) & mask
        while true {
            let found = Int(slots[slot])
            if found == 0 { return -1 }
            if counts[found &- 1] == name.count {
                var index = starts[found &- 1]
                var same = true
                NameIndex.words(name) { word in
                    same = same && word == words[index]
                    index &+= 1
                }
                if same { return firsts[found &- 1] }
            }
            slot = (slot &+ 1) & mask
        }
    }
}
