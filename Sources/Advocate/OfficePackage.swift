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
    /// The parts' compressed bytes as stored in the file read, for copying without recompressing.
    let stored: [String: ZIPEntry]

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
        if let index = parts.firstIndex(where: { $0.path == path }) { parts[index].data = data } else { parts.append(Part(path: path, data: data, compressed: true)) }
    }

    /// The package as ZIP bytes.
    public func archived() throws(AdvocateError) -> [UInt8] {
        do {
            return ZIPWriter.archive(try parts.map { try ZIPEntry(path: $0.path, bytes: [UInt8]($0.data), deflate: $0.compressed && $0.path != "mimetype") })
        } catch {
            throw AdvocateError("cannot compress \(name)")
        }
    }

    /// Writes the package to `path` through a temporary file, so a failure leaves no partial output.
    public func write(to path: String) throws(AdvocateError) {
        let temporary = (path as NSString).deletingLastPathComponent.appending("/.\((path as NSString).lastPathComponent).\(UUID().uuidString).tmp")
        do {
            let archive = try Archive(url: URL(fileURLWithPath: temporary), accessMode: .create)
            for part in parts {
                let data = part.data
                try archive.addEntry(
                    with: part.path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: part.compressed ? .deflate : .none,
                    provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
            }
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            try FileManager.default.moveItem(atPath: temporary, toPath: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw AdvocateError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
