internal import Crypto
internal import Foundation
internal import Synchronization
#if canImport(Glibc)
    internal import Glibc
#endif

/// The keys that encrypt personal data at rest (AES-256-GCM), read from a key file kept outside
/// the database.
///
/// The file holds one key per line, `ID BASE64`; the last line is the key new data is sealed
/// with, and earlier lines are kept only while `advocate keys rotate` re-encrypts. Losing the
/// file loses the personal data it protects: back it up apart from the store.
public final class KeyRing: Sendable {
    /// The key id new data is sealed with.
    public let currentId: String
    let keys: [String: SymmetricKey]
    /// Where the keys were read from.
    public let path: String

    init(path: String, keys: [(id: String, key: SymmetricKey)]) {
        self.path = path
        self.currentId = keys.last!.id
        self.keys = Dictionary(keys.map { ($0.id, $0.key) }, uniquingKeysWith: { _, last in last })
    }

    /// The ids of every key in the file, oldest first.
    public var ids: [String] { keys.keys.sorted() }

    // MARK: Reading and writing the file

    /// Reads the key file at `path`, or returns nil when there is none.
    static func read(path: String) throws(StoreError) -> KeyRing? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw StoreError(.keys, "\(path): error: the key file cannot be read; check its owner and permissions")
        }
        var keys: [(id: String, key: SymmetricKey)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: " ")
            guard parts.count == 2, isKeyId(parts[0]), let bytes = Data(base64Encoded: String(parts[1])), bytes.count == 32 else {
                throw StoreError(.keys, "\(path):\(index + 1):1: error: not a key line (expected 'ID BASE64' with a 256-bit key); restore the file from your backup")
            }
            keys.append((String(parts[0]), SymmetricKey(data: bytes)))
        }
        guard !keys.isEmpty else { throw StoreError(.keys, "\(path): error: the key file holds no key; restore it from your backup") }
        if let permissions = try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int, permissions & 0o077 != 0 {
            throw StoreError(.keys, "\(path): error: the key file can be read by other users; run 'chmod 600 \(path)'")
        }
        return KeyRing(path: path, keys: keys)
    }

    /// A ring with one new random key, written to `path` with mode 0600.
    static func create(path: String) throws(StoreError) -> KeyRing {
        let ring = KeyRing(path: path, keys: [(newKeyId(), SymmetricKey(size: .bits256))])
        try ring.write()
        return ring
    }

    /// This ring plus a new key that becomes current.
    func adding() -> KeyRing {
        KeyRing(path: path, keys: ordered + [(KeyRing.newKeyId(), SymmetricKey(size: .bits256))])
    }

    /// This ring with only its current key.
    func currentOnly() -> KeyRing { KeyRing(path: path, keys: [(currentId, keys[currentId]!)]) }

    private var ordered: [(id: String, key: SymmetricKey)] {
        // The current key goes last; the rest keep a stable order.
        keys.keys.sorted().filter { $0 != currentId }.map { ($0, keys[$0]!) } + [(currentId, keys[currentId]!)]
    }

    /// Writes the file through a temporary one (created 0600, flushed to disk) renamed over it,
    /// so a crash or a power cut leaves the old file or the new one, never a partial one.
    func write() throws(StoreError) {
        var text = "# Advocate encryption keys. Keep this file private (mode 0600) and back it up apart from the store.\n"
        for (id, key) in ordered {
            text += id + " " + key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n"
        }
        try KeyRing.writeDurably(Array(text.utf8), to: path)
    }

    /// Keeps retired keys in `PATH.retired` (0600), so a backup of the store made before a
    /// rotation can still be read. Delete that file if a key was exposed.
    func archive(_ retired: [String]) throws(StoreError) {
        let archivePath = path + ".retired"
        var text = (try? String(contentsOfFile: archivePath, encoding: .utf8)) ?? "# Retired Advocate keys, for restoring older backups of the store.\n"
        for id in retired { if let key = keys[id] { text += id + " " + key.withUnsafeBytes { Data($0).base64EncodedString() } + "\n" } }
        try KeyRing.writeDurably(Array(text.utf8), to: archivePath)
    }

    static func writeDurably(_ bytes: [UInt8], to path: String) throws(StoreError) {
        let temporary = path + ".tmp-\(UUID().uuidString)"
        let descriptor = Glibc.open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(.keys, "\(path): error: cannot write the key file; check that its folder exists and is writable")
        }
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw StoreError(.keys, "\(path): error: cannot write the key file (disk full?); the old one is unchanged")
        }
        // The rename itself is made durable by syncing the folder.
        let folder = Glibc.open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    private static func newKeyId() -> String {
        "k" + (0..<8).map { _ in String(UInt8.random(in: 0...15), radix: 16) }.joined()
    }

    private static func isKeyId(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 32 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    // MARK: Sealing

    /// Encrypts `plaintext`, binding it to `context` (a field name), as `ID.BASE64`.
    func seal(_ plaintext: some DataProtocol, context: String) -> String {
        currentId + "." + sealedBox(plaintext, context: context).base64EncodedString()
    }

    /// Decrypts a value made by ``seal(_:context:)`` with any key of the ring.
    func open(_ sealed: Substring, context: String) throws(StoreError) -> Data {
        let dot = sealed.firstIndex(of: ".") ?? sealed.endIndex
        let combined = dot < sealed.endIndex ? Data(base64Encoded: String(sealed[sealed.index(after: dot)...])) : nil
        return try openBox(keyId: String(sealed[..<dot]), combined: combined, context: context, what: "value")
    }

    /// Like ``seal(_:context:)``, for large binary content: `ID.` then the raw sealed bytes.
    func sealBinary(_ plaintext: some DataProtocol, context: String) -> [UInt8] {
        Array((currentId + ".").utf8) + sealedBox(plaintext, context: context)
    }

    /// Opens what ``sealBinary(_:context:)`` made.
    func openBinary(_ sealed: some Collection<UInt8>, context: String) throws(StoreError) -> [UInt8] {
        let dot = sealed.firstIndex(of: UInt8(ascii: ".")) ?? sealed.endIndex
        let combined = dot < sealed.endIndex ? Data(sealed[sealed.index(after: dot)...]) : nil
        return [UInt8](try openBox(keyId: String(decoding: sealed[..<dot], as: UTF8.self), combined: combined, context: context, what: "document"))
    }

    /// Nonce, ciphertext and tag, sealed with the current key.
    private func sealedBox(_ plaintext: some DataProtocol, context: String) -> Data {
        // Sealing with a valid key and a random nonce cannot fail.
        try! AES.GCM.seal(plaintext, using: keys[currentId]!, nonce: NonceSource.shared.next(), authenticating: Data(context.utf8)).combined!
    }

    private func openBox(keyId: String, combined: Data?, context: String, what: String) throws(StoreError) -> Data {
        guard let key = keys[keyId] else {
            throw StoreError(.keys, "the store holds data sealed with a key the key file \(path) does not have; restore the key file from your backup")
        }
        do {
            guard let combined else { throw StoreError(.corrupt, "") }
            return try AES.GCM.open(AES.GCM.SealedBox(combined: combined), using: key, authenticating: Data(context.utf8))
        } catch {
            throw StoreError(.corrupt, "an encrypted \(what) in the store does not open with its key; the store or the key file is damaged")
        }
    }

    /// The marker that starts a sealed value inside stored JSON.
    static let sealedMarker = Array(#"{"$sealed":""#.utf8)
}

/// Which fields of a state or input to seal, and the ring to seal them with.
struct Sealing {
    let ring: KeyRing
    let fields: Set<String>

    init?(ring: KeyRing?, fields: Set<String>) {
        guard let ring, !fields.isEmpty else { return nil }
        self.ring = ring
        self.fields = fields
    }
}

/// Opening the sealed values inside JSON written by ``StateJSON``.
enum SealedJSON {
    /// `text` with every `{"$sealed":"…"}` replaced by the value it hides.
    ///
    /// Only our own writer produces the marker unescaped: a string that contains it is written
    /// with its quotes escaped, and no workflow name can hold a `$`, so finding the marker's
    /// bytes is unambiguous.
    static func open(_ text: String, ring: KeyRing?) throws(StoreError) -> String {
        let bytes = Array(text.utf8)
        let marker = KeyRing.sealedMarker
        guard let first = find(marker, in: bytes, from: 0) else { return text }
        guard let ring else {
            throw StoreError(.keys, "the store holds encrypted values but no key file was given; open it with its key file")
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var copied = 0
        var next: Int? = first
        while let start = next {
            // The field name is the JSON key just before the marker: "name":{"$sealed":"…"}
            guard start >= 3, bytes[start - 1] == UInt8(ascii: ":"), bytes[start - 2] == UInt8(ascii: "\""),
                let nameStart = bytes[..<(start - 2)].lastIndex(of: UInt8(ascii: "\""))
            else { throw StoreError(.corrupt, "an encrypted value in the store is not where a field belongs; the store may be damaged") }
            let name = String(decoding: bytes[(nameStart + 1)..<(start - 2)], as: UTF8.self)
            let valueStart = start + marker.count
            guard let end = bytes[valueStart...].firstIndex(of: UInt8(ascii: "\"")), end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: "}") else {
                throw StoreError(.corrupt, "an encrypted value in the store is cut short; the store may be damaged")
            }
            let sealed = String(decoding: bytes[valueStart..<end], as: UTF8.self)
            out.append(contentsOf: bytes[copied..<start])
            out.append(contentsOf: try ring.open(Substring(sealed), context: name))
            copied = end + 2
            next = find(marker, in: bytes, from: copied)
        }
        out.append(contentsOf: bytes[copied...])
        return String(decoding: out, as: UTF8.self)
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            guard let hit = haystack[i...last].firstIndex(of: needle[0]) else { return nil }
            if haystack[hit..<(hit + needle.count)].elementsEqual(needle) { return hit }
            i = hit + 1
        }
        return nil
    }
}

/// Random 96-bit nonces, drawn from the operating system's generator a page at a time: one
/// system call per few hundred seals instead of one or two per seal. Every nonce is still fully
/// random, and none is handed out twice.
final class NonceSource: Sendable {
    static let shared = NonceSource()
    private let pool = Mutex<(bytes: [UInt8], next: Int)>(([], 0))

    func next() -> AES.GCM.Nonce {
        let bytes = pool.withLock { pool -> [UInt8] in
            if pool.next + 12 > pool.bytes.count {
                pool.bytes = NonceSource.randomPage()
                pool.next = 0
            }
            defer { pool.next += 12 }
            return Array(pool.bytes[pool.next..<(pool.next + 12)])
        }
        return try! AES.GCM.Nonce(data: bytes)
    }

    private static func randomPage() -> [UInt8] {
        let size = 4092
        if let file = FileHandle(forReadingAtPath: "/dev/urandom") {
            defer { try? file.close() }
            if let data = try? file.read(upToCount: size), data.count == size { return [UInt8](data) }
        }
        var page = [UInt8](repeating: 0, count: size)
        var generator = SystemRandomNumberGenerator()
        for index in page.indices { page[index] = UInt8.random(in: 0...255, using: &generator) }
        return page
    }
}
