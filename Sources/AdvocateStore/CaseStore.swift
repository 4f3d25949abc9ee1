internal import Foundation
internal import GRDB
internal import AdvocateCore

/// The embedded SQLite store: an append-only journal per case, with projections of each case's
/// state and of its dated agenda items, indexed for the agenda. WAL mode: readers never block
/// the writer, and a killed process loses nothing that was committed.
public final class CaseStore: Sendable {
    let pool: any DatabaseWriter
    public let path: String

    /// Opens (and creates or upgrades) the store at `path`. The folder must exist.
    ///
    /// With `concurrentReads` (a server), readers get their own connections. Without it (the
    /// command line) one connection serves everything, and opening an existing store writes nothing.
    public init(path: String, concurrentReads: Bool = false) throws(StoreError) {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError(.missingFolder, "the folder for the store does not exist: \(folder); create it first")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            if !concurrentReads, try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                try db.execute(sql: "PRAGMA journal_mode = WAL")
            }
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // The agenda reads thousands of rows: keep pages in memory and map the file.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            try db.execute(sql: "PRAGMA mmap_size = 1073741824")
        }
        do {
            pool = concurrentReads ? try DatabasePool(path: path, configuration: configuration) : try DatabaseQueue(path: path, configuration: configuration)
            try Schema.migrator.migrate(pool)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw StoreError(.notADatabase, "\(path) is not an Advocate store (not a SQLite database); give another --store path")
        } catch let error as DatabaseError {
            throw StoreError(.database, "cannot open the store at \(path): \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        } catch {
            throw StoreError(.database, "cannot open the store at \(path): \(error)")
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
            let result = try pool.write { db in
                let tx = StoreTransaction(db: db)
                let value = try body(tx)
                commitActions = tx.commitActions
                return value
            }
            commitActions.forEach { $0() }
            return result
        } catch let error as DatabaseError {
            throw StoreError(.database, "the store could not save: \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    /// Runs `body` on a consistent snapshot.
    public func read<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        do {
            return try pool.read { db in try body(StoreTransaction(db: db)) }
        } catch let error as DatabaseError {
            throw StoreError(.database, "the store could not be read: \(error.message ?? "SQLite error \(error.resultCode.rawValue)")")
        }
    }

    /// SQLite's own integrity check; "ok" when the file is sound.
    public func integrityCheck() throws -> String {
        try pool.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "" }
    }
}

/// Why the store refused or failed.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case missingFolder, notADatabase, database, unknownCase, conflict, unknownDefinition, corrupt
    }

    public var code: Code
    public var description: String

    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
