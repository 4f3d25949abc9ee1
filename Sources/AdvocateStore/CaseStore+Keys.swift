internal import Foundation
internal import GRDB
internal import AdvocateCore
internal import Synchronization

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
    /// marked as personal (and stores written before encryption) are sealed too. The steps are ordered so
    /// that a crash at any point loses nothing: the new key is added to the file first, every
    /// row is re-sealed in one transaction, and only then are the old keys dropped from the file.
    public func rotateKeys(personalFields: [String: Set<String>]) throws -> Rotation {
        let old = keyRing
        let extended = old.adding()
        try extended.write()
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
        let retired = extended.currentOnly()
        try retired.write()
        ring.withLock { $0 = retired }
        return Rotation(oldKeys: old.ids, newKey: retired.currentId, cases: counts.0, journalEntries: counts.1, documents: counts.2)
    }
}
