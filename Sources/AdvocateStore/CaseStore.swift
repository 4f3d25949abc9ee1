internal import Foundation
internal import GRDB
internal import AdvocateCore
internal import Synchronization
#if canImport(Glibc)
    internal import Glibc
#endif

/// The embedded SQLite store: an append-only journal per case, with projections of each case's
/// state and of its dated agenda items, indexed for the agenda. WAL mode: readers never block
/// the writer, and a killed process loses nothing that was committed.
public final class CaseStore: Sendable {
    let pool: any DatabaseWriter
    public let path: String
    /// The keys that seal personal fields and documents; see ``KeyRing``. Replaced when another
    /// process rotates the keys while this one runs (a server).
    public var keyRing: KeyRing { ring.withLock { $0 } }
    let ring: Mutex<KeyRing>
    let keyFile: String
    let pulseMemory = Mutex(PulseMemory())

    /// Opens (and creates or upgrades) the store at `path`. The folder must exist.
    ///
    /// Personal data is sealed with the keys in `keyFile` (by default `PATH.key`), which is
    /// created with mode 0600 when the store has no keys yet.
    ///
    /// With `concurrentReads` (a server), readers get their own connections. Without it (the
    /// command line) one connection serves everything, and opening an existing store writes nothing.
    public init(path: String, keyFile: String? = nil, concurrentReads: Bool = false) throws(StoreError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError(.missingFolder, "the folder for the store does not exist: \(folder); create it first")
        }
        // A new store is readable by its owner only, as its key file is; SQLite gives the
        // journal files it makes beside it the same permissions.
        let created = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if created >= 0 { Glibc.close(created) } else { CaseStore.keepPrivate(path) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            if !concurrentReads, try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The agenda reads thousands of rows: keep pages in memory, and for a command, map the
            // file too. A server is left unmapped: its readers live long while writes go on, and
            // each checkpoint that grows the file makes every reader remap it, which stops all
            // cores to flush their page tables (a quarter of the case page's time, measured).
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.execute(sql: "PRAGMA mmap_size = \(concurrentReads ? 0 : 1 << 30)")
        }
        do {
            pool = concurrentReads ? try DatabasePool(path: path, configuration: configuration) : try DatabaseQueue(path: path, configuration: configuration)
            try Schema.migrator.migrate(pool)
            self.keyFile = keyFile ?? path + ".key"
            ring = Mutex(try CaseStore.keyRing(for: pool, keyFile: self.keyFile))
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError(.notADatabase, "\(path) is not an Advocate store (not a SQLite database); give another --store path")
        } catch let error as DatabaseError {
            throw StoreError(.database, "cannot open the store at \(path): \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        } catch {
            throw StoreError(.database, "cannot open the store at \(path): \(error)")
        }
    }

    /// Takes away other users' access to a store made before stores were private (or copied
    /// with looser permissions), and to its journal files. Only the owner's own files are changed.
    static func keepPrivate(_ path: String) {
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_uid == geteuid(), status.st_mode & 0o077 != 0 else { continue }
            _ = chmod(file, status.st_mode & 0o700)
        }
    }

    /// The default location: `$XDG_DATA_HOME/advocate/store.sqlite`, or `~/.local/share/advocate/store.sqlite`.
    /// The folder is created if missing.
    public static func defaultPath() -> String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.local/share")
        let folder = base + "/advocate"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return folder + "/store.sqlite"
    }

    /// Runs `body` in one write transaction: all of it is stored, or none of it.
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            var commitActions: [() -> Void] = []
            var revision: Int64 = 0
            let result = try pool.write { db in
                let tx = StoreTransaction(db: db, ring: try currentRing(db))
                let value = try body(tx)
                commitActions = tx.commitActions
                revision = try tx.caseRevision()
                return value
            }
            noteCommitted(revision: revision)
            commitActions.forEach { $0() }
            return result
        } catch let error as DatabaseError {
            throw StoreError(.database, "the store could not save: \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    /// Runs `body` on a consistent snapshot.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try pool.read { db in try body(StoreTransaction(db: db, ring: try currentRing(db))) }
        } catch let error as DatabaseError {
            throw StoreError(.database, "the store could not be read: \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    /// The ring, read again if `advocate keys rotate` retired its current key since this process
    /// read it: sealing new data with a key about to leave the file would lose that data.
    private func currentRing(_ db: Database) throws -> KeyRing {
        let known = keyRing
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM key_check WHERE key_id = ?"), arguments: [known.currentId]) == true { return known }
        guard let fresh = try KeyRing.read(path: keyFile),
            try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM key_check WHERE key_id = ?"), arguments: [fresh.currentId]) == true
        else { throw StoreError(.keys, "\(keyFile): error: the store's keys were rotated and this key file does not have the new one; restart with the current key file") }
        ring.withLock { $0 = fresh }
        return fresh
    }

    /// Reads the key file, or creates it for a store that has never sealed anything, and checks
    /// that it holds every key the store was sealed with.
    private static func keyRing(for pool: any DatabaseWriter, keyFile: String) throws -> KeyRing {
        let checks = try pool.read { db in try Row.fetchAll(db, sql: "SELECT key_id, sealed FROM key_check") }
        guard let ring = try KeyRing.read(path: keyFile) else {
            if !checks.isEmpty {
                throw StoreError(.keys, "\(keyFile): error: the store's key file is missing; restore it from your backup (without it the personal data cannot be read)")
            }
            let ring = try KeyRing.create(path: keyFile)
            try pool.write { db in try StoreTransaction(db: db, ring: ring).recordKeyCheck() }
            return ring
        }
        for row in checks {
            let id: String = row["key_id"]
            guard ring.keys[id] != nil else {
                throw StoreError(.keys, "\(keyFile): error: the key file lacks key \(id), which this store was sealed with; restore the right key file")
            }
            _ = try ring.open(Substring(row["sealed"] as String), context: "key-check")
        }
        if !checks.contains(where: { $0["key_id"] == ring.currentId }) {
            try pool.write { db in try StoreTransaction(db: db, ring: ring).recordKeyCheck() }
        }
        return ring
    }

    /// SQLite's own integrity check; "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }
}

/// Why the store refused or failed.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case missingFolder, notADatabase, database, unknownCase, conflict, unknownDefinition, corrupt, keys
    }

    public var code: Code
    public var description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    public static func unknownCase(_ id: String) -> StoreError {
        StoreError(.unknownCase, "no case '\(id)' in this store; 'advocate case list' shows the cases")
    }
}
