public import Foundation
internal import ZIPFoundation

/// A DOCX or ODT file: a ZIP package of XML parts, read whole into memory with limits, so a
/// hostile file (a ZIP bomb, names that escape the folder, too many parts) is refused before it
/// costs more than the limits.
public struct OfficePackage {
    public static let maximumParts = 2_000
    public static let maximumPartSize: UInt64 = 64 << 20
    public static let maximumTotalSize: UInt64 = 256 << 20
    /// Real office XML compresses 5 to 30 times; ZIP bombs, thousands of times.
    public static let maximumRatio: UInt64 = 200

    public struct Part {
        public var path: String
        public var data: Data
        var compressed: Bool
    }

    public private(set) var parts: [Part]
    public let name: String
    /// The parts' compressed bytes as stored in the file read, for copying without recompressing;
    /// a part replaced since has none.
    private var stored: [String: ZIPEntry]

    /// A package made in memory (tests and new documents).
    init(name: String, parts: [(String, Data)]) {
        self.name = name
        self.parts = parts.map { Part(path: $0.0, data: $0.1, compressed: true) }
        self.stored = [:]
    }

    public init(path: String) throws(AdvocateError) {
        let name = (path as NSString).lastPathComponent
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.uint64Value ?? 0
        guard size <= OfficePackage.maximumTotalSize else { throw AdvocateError("\(name) is larger than \(OfficePackage.maximumTotalSize >> 20) MiB") }
        guard let data = FileManager.default.contents(atPath: path) else { throw AdvocateError("cannot read \(path)") }
        try self.init(data: data, name: name)
    }

    /// Reads a package held in memory; `name` is used in messages.
    public init(data: Data, name: String) throws(AdvocateError) {
        self.name = name
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw AdvocateError("\(name) is not a ZIP package (DOCX and ODT files are); it may be damaged or another kind of file")
        }
        var parts: [Part] = []
        var total: UInt64 = 0
        for entry in archive {
            guard parts.count < OfficePackage.maximumParts else { throw AdvocateError("\(name) has more than \(OfficePackage.maximumParts) parts") }
            let entryPath = entry.path
            guard !entryPath.hasPrefix("/"), !entryPath.contains("\\"), !entryPath.split(separator: "/").contains("..") else {
                throw AdvocateError("\(name) holds a part whose name leaves the package (\(entryPath.prefix(80)))")
            }
            guard entry.type == .file else { continue }
            let declared = entry.uncompressedSize
            guard declared <= OfficePackage.maximumPartSize, total + declared <= OfficePackage.maximumTotalSize else {
                throw AdvocateError("\(name) is too large once unpacked (over \(OfficePackage.maximumTotalSize >> 20) MiB)")
            }
            if entry.compressedSize > 0, declared / max(entry.compressedSize, 1) > OfficePackage.maximumRatio, declared > 1 << 20 {
                throw AdvocateError("\(name) looks like a ZIP bomb: a part unpacks to \(declared / entry.compressedSize) times its size")
            }
            var data = Data()
            data.reserveCapacity(Int(declared))
            do {
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    // Count what really comes out: the declared size may lie.
                    guard UInt64(data.count + chunk.count) <= declared else { throw PackageLimit() }
                    data.append(chunk)
                }
            } catch is PackageLimit {
                throw AdvocateError("\(name) is damaged or hostile: a part unpacks to more than it declares")
            } catch {
                throw AdvocateError("\(name) is damaged: a part cannot be unpacked")
            }
            total += UInt64(data.count)
            parts.append(Part(path: entryPath, data: data, compressed: entry.isCompressed))
        }
        self.parts = parts
        self.stored = ZIPDirectory.storedEntries(data)
    }

    private struct PackageLimit: Error {}

    public func data(_ path: String) -> Data? { parts.first { $0.path == path }?.data }

    public mutating func replace(_ path: String, with data: Data) {
        stored[path] = nil
        if let index = parts.firstIndex(where: { $0.path == path }) { parts[index].data = data } else { parts.append(Part(path: path, data: data, compressed: true)) }
    }

    /// A part as a ZIP entry: its bytes as stored in the file read when it is unchanged,
    /// otherwise compressed afresh. OpenDocument's mimetype stays stored (uncompressed).
    func entry(for part: Part) throws(AdvocateError) -> ZIPEntry {
        let deflate = part.compressed && part.path != "mimetype"
        if let stored = stored[part.path], stored.uncompressedSize == part.data.count, stored.deflated == deflate { return stored }
        do { return try ZIPEntry(path: part.path, bytes: [UInt8](part.data), deflate: deflate) } catch {
            throw AdvocateError("cannot compress \(name)")
        }
    }

    /// The package as ZIP bytes.
    public func archived() throws(AdvocateError) -> [UInt8] {
        var entries: [ZIPEntry] = []
        for part in parts { entries.append(try entry(for: part)) }
        return ZIPWriter.archive(entries)
    }

    /// Writes the package to `path` through a temporary file, so a failure leaves no partial output.
    public func write(to path: String) throws(AdvocateError) {
        let bytes = try archived()
        do { try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw AdvocateError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
