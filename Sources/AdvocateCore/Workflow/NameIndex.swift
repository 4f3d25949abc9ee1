/// The positions of a fixed list of names (a workflow's fields or events), found by name.
///
/// A `Dictionary` keyed by `String` hashes with SipHash under a seed chosen per process, which
/// costs about 500 instructions for a 20-letter name; a transition looks up its event by name
/// and opening a case looks up each field. These names are fixed when the workflow loads, so a
/// plain FNV-1a hash into an open-addressed table does the same for a fifth of that. A name
/// not in the list probes at most the run of occupied slots from its own, so input cannot make a
/// lookup slower than the table allows. The hash reads bytes, so a name spelled with other but
/// equivalent Unicode (a decomposed accent) misses it and is then compared as `String ==` does.
struct NameIndex: Sendable {
    private let names: [String]
    /// Positions in ``names``, one more than the position (0 marks an empty slot); the count is a power of two.
    private let slots: [Int32]

    /// The first of two equal names is the one found.
    init(_ names: [String]) {
        self.names = names
        var size = 8
        while size < names.count * 2 { size *= 2 }
        var slots = [Int32](repeating: 0, count: size)
        for (position, name) in names.enumerated() {
            var slot = NameIndex.hash(name) & (size - 1)
            var duplicate = false
            while slots[slot] != 0 {
                if names[Int(slots[slot]) - 1] == name { duplicate = true; break }
                slot = (slot + 1) & (size - 1)
            }
            if !duplicate { slots[slot] = Int32(position + 1) }
        }
        self.slots = slots
    }

    var count: Int { names.count }

    func position(_ name: String) -> Int? {
        let mask = slots.count - 1
        var slot = NameIndex.hash(name) & mask
        while true {
            let found = Int(slots[slot])
            if found == 0 { break }
            if names[found - 1] == name { return found - 1 }
            slot = (slot + 1) & mask
        }
        if name.utf8.allSatisfy({ $0 < 0x80 }) { return nil }
        return names.firstIndex(of: name)
    }

    private static func hash(_ name: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let hashed: Void? = name.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        if hashed == nil {
            for byte in name.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        }
        // The low bits pick the slot; fold the high bits in, as FNV mixes its last bytes poorly there.
        return Int(truncatingIfNeeded: hash ^ (hash >> 29))
    }
}
