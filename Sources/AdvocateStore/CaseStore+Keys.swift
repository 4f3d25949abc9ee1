internal import Foundation
internal import GRDB
internal import AdvocateCore
internal import Synchronization
#if canImport(Glibc)
    internal import Glibc
#endif

extension CaseStore {
    /// What a key rotation re-encrypted.
    public struct Rotation: Sendable {
        public var oldKeys: [String]
        public var newKey: String
        public var cases: Int
        public var journalEntries: Int
        public var documents: Int
    }

    /// Seals everything again with a new key, then retires the old ones.
    ///
    /// `personalFields` gives the fields to seal for each definition (by hash), so fields newly
    /// marked as personal (and stores written before encryption) are sealed too.
    ///
    /// The steps are ordered so that a crash or a power cut at any point loses nothing: the new
    /// key is added to the file first; every row is re-sealed in one transaction, synced to
    /// disk; only then do the old keys leave the key file, for `KEYFILE.retired`. A lock on the
    /// key file keeps two rotations from interleaving.
    public func rotateKeys(personalFields: [String: Set<String>]) throws -> Rotation {
        let lock = Glibc.open(keyFile + ".lock", O_RDWR | O_CREAT, 0o600)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            if lock >= 0 { close(lock) }
            throw StoreError(.keys, "\(keyFile): error: another key rotation is running; wait for it to finish")
        }
        defer {
            flock(lock, LOCK_UN)
            close(lock)
        }
        // Start from the file as it is now, not as this process first read it.
        let old = try KeyRing.read(path: keyFile) ?? keyRing
        let extended = old.adding()
        try extended.write()
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        defer { try? pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") } }
        let counts: (Int, Int, Int) = try pool.write { db in
            let tx = StoreTransaction(db: db, ring: extended)
            func fields(_ hash: String) -> Set<String> { personalFields[hash] ?? [] }
            let cases = try Row.fetchAll(db, sql: #"SELECT id, definition_hash, state FROM "case""#)
            for row in cases {
                let sealing = tx.sealing(fields(row["definition_hash"]))
                let state = try tx.decode(CaseState.self, row["state"], what: "case state")
                try db.execute(sql: #"UPDATE "case" SET state = ? WHERE id = ?"#, arguments: [StateJSON.encode(state, sealing: sealing), row["id"] as String])
            }
            // The journal is append-only; the rotation alone may rewrite it, inside this transaction.
            try db.execute(sql: "DROP TRIGGER journal_append_only_update")
            let hashes = Dictionary(uniqueKeysWithValues: cases.map { ($0["id"] as String, $0["definition_hash"] as String) })
            let entries = try Row.fetchAll(db, sql: "SELECT case_id, seq, input FROM journal")
            for row in entries {
                let caseId: String = row["case_id"]
                let sealing = tx.sealing(fields(hashes[caseId] ?? ""))
                let input = try tx.decode(CaseInput.self, row["input"], what: "journal entry")
                try db.execute(
                    sql: "UPDATE journal SET input = ? WHERE case_id = ? AND seq = ?", arguments: [StateJSON.encode(input, sealing: sealing), caseId, row["seq"] as Int])
            }
            try db.execute(
                sql: """
                    CREATE TRIGGER journal_append_only_update BEFORE UPDATE ON journal
                        BEGIN SELECT RAISE(ABORT, 'the journal is append-only'); END;
                    """)
            let documents = try Row.fetchAll(db, sql: "SELECT case_id, seq, content FROM document")
            for row in documents {
                let content = try tx.openDocument(row["content"])
                try db.execute(
                    sql: "UPDATE document SET content = ? WHERE case_id = ? AND seq = ?",
                    arguments: [tx.sealDocument(content), row["case_id"] as String, row["seq"] as Int])
            }
            try db.execute(sql: "DELETE FROM key_check")
            try tx.recordKeyCheck()
            return (cases.count, entries.count, documents.count)
        }
        forgetPulse()
        // With synchronous FULL the commit is on disk; the checkpoint moves it into the main file too.
        try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(FULL)") }
        let retired = extended.currentOnly()
        try extended.archive(old.ids)
        try retired.write()
        ring.withLock { $0 = retired }
        return Rotation(oldKeys: old.ids, newKey: retired.currentId, cases: counts.0, journalEntries: counts.1, documents: counts.2)
    }
}
