internal import Foundation
internal import ZIPFoundation

/// A ZIP entry ready to write: its bytes already compressed (or stored) with their CRC.
struct ZIPEntry: Sendable {
    var path: String
    var deflated: Bool
    var crc: UInt32
    var uncompressedSize: Int
    var data: [UInt8]

    init(path: String, deflated: Bool, crc: UInt32, uncompressedSize: Int, data: [UInt8]) {
        self.path = path
        self.deflated = deflated
        self.crc = crc
        self.uncompressedSize = uncompressedSize
        self.data = data
    }

    /// Compresses `bytes` with deflate (or stores them) and computes the CRC.
    init(path: String, bytes: [UInt8], deflate: Bool) throws {
        self.path = path
        self.uncompressedSize = bytes.count
        self.deflated = deflate
        let input = Data(bytes)
        if deflate {
            var output = Data()
            output.reserveCapacity(bytes.count / 4 + 64)
            crc = try Data.compress(
                size: Int64(bytes.count), bufferSize: max(16 << 10, min(bytes.count, 1 << 20)),
                provider: { position, size in input.subdata(in: Int(position)..<Int(position) + size) },
                consumer: { output.append($0) })
            data = [UInt8](output)
        } else {
            crc = input.crc32(checksum: 0)
            data = bytes
        }
    }
}

/// Writes a ZIP archive (no ZIP64: office packages stay far below 4 GiB) with a fixed timestamp,
/// so the same input always gives the same bytes.
enum ZIPWriter {
    static func archive(_ entries: [ZIPEntry]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entries.reduce(0) { $0 + $1.data.count + 100 + $1.path.utf8.count * 2 })
        var central: [UInt8] = []
        func u16(_ v: Int, _ buffer: inout [UInt8]) { buffer.append(UInt8(v & 0xFF)); buffer.append(UInt8((v >> 8) & 0xFF)) }
        func u32(_ v: UInt32, _ buffer: inout [UInt8]) { for shift in stride(from: 0, to: 32, by: 8) { buffer.append(UInt8((v >> UInt32(shift)) & 0xFF)) } }
        // 1980-01-01 00:00, the DOS epoch.
        let time = 0, date = (1 << 5) | 1
        for entry in entries {
            let offset = UInt32(out.count)
            let name = Array(entry.path.utf8)
            let method = entry.deflated ? 8 : 0
            u32(0x0403_4b50, &out)
            u16(20, &out)
            u16(0x0800, &out)  // names are UTF-8
            u16(method, &out)
            u16(time, &out)
            u16(date, &out)
            u32(entry.crc, &out)
            u32(UInt32(entry.data.count), &out)
            u32(UInt32(entry.uncompressedSize), &out)
            u16(name.count, &out)
            u16(0, &out)
            out.append(contentsOf: name)
            out.append(contentsOf: entry.data)

            u32(0x0201_4b50, &central)
            u16(20, &central)
            u16(20, &central)
            u16(0x0800, &central)
            u16(method, &central)
            u16(time, &central)
            u16(date, &central)
            u32(entry.crc, &central)
            u32(UInt32(entry.data.count), &central)
            u32(UInt32(entry.uncompressedSize), &central)
            u16(name.count, &central)
            u16(0, &central)
            u16(0, &central)
            u16(0, &central)
            u16(0, &central)
            u32(0, &central)
            u32(offset, &central)
            central.append(contentsOf: name)
        }
        let centralOffset = UInt32(out.count)
        out.append(contentsOf: central)
        u32(0x0605_4b50, &out)
        u16(0, &out)
        u16(0, &out)
        u16(entries.count, &out)
        u16(entries.count, &out)
        u32(UInt32(central.count), &out)
        u32(centralOffset, &out)
        u16(0, &out)
        return out
    }
}

/// The compressed bytes of a ZIP's entries as they are stored, found through the central
/// directory, so a template's unchanged parts are copied into each filled document without
/// being decompressed and compressed again. Only used on archives ZIPFoundation has already read
/// and checked; anything unusual (ZIP64, other methods) is left out and recompressed instead.
enum ZIPDirectory {
    static func storedEntries(_ data: Data) -> [String: ZIPEntry] {
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24 }
        guard bytes.count >= 22 else { return [:] }
        var end = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        while end >= lowest, u32(end) != 0x0605_4b50 { end -= 1 }
        guard end >= lowest else { return [:] }
        let count = u16(end + 10)
        var at = Int(u32(end + 16))
        var entries: [String: ZIPEntry] = [:]
        for _ in 0..<count {
            guard at + 46 <= bytes.count, u32(at) == 0x0201_4b50 else { return entries }
            let method = u16(at + 10), crc = u32(at + 16), compressed = Int(u32(at + 20)), uncompressed = Int(u32(at + 24))
            let nameLength = u16(at + 28), extraLength = u16(at + 30), commentLength = u16(at + 32)
            let local = Int(u32(at + 42))
            guard at + 46 + nameLength <= bytes.count else { return entries }
            let name = String(decoding: bytes[at + 46..<at + 46 + nameLength], as: UTF8.self)
            at += 46 + nameLength + extraLength + commentLength
            guard method == 0 || method == 8, compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF,
                local + 30 <= bytes.count, u32(local) == 0x0403_4b50
            else { continue }
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            guard start + compressed <= bytes.count else { continue }
            entries[name] = ZIPEntry(path: name, deflated: method == 8, crc: crc, uncompressedSize: uncompressed, data: Array(bytes[start..<start + compressed]))
        }
        return entries
    }
}
