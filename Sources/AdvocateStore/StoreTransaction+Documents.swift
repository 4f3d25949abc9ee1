internal import Foundation
internal import GRDB

/// A document filled for a case and kept in the store.
public struct StoredDocument: Sendable {
    public var caseId: String
    /// 1, 2, 3… within the case.
    public var sequence: Int
    public var form: String
    /// `docx`, `odt` or `html`.
    public var format: String
    public var fileName: String
    public var sha256: String
    /// Values the template needed that the case did not have yet; they show as markers.
    public var missing: [String]
    /// The journal entry whose effects filled it.
    public var journalSequence: Int
    public var createdAt: String
    public var size: Int

    public init(caseId: String, sequence: Int = 0, form: String, format: String, fileName: String, sha256: String, missing: [String], journalSequence: Int, createdAt: String, size: Int) {
        self.caseId = caseId
        self.sequence = sequence
        self.form = form
        self.format = format
        self.fileName = fileName
        self.sha256 = sha256
        self.missing = missing
        self.journalSequence = journalSequence
        self.createdAt = createdAt
        self.size = size
    }
}

extension StoreTransaction {
    /// Adds a document to a case; returns its sequence number.
    @discardableResult
    public func addDocument(_ document: StoredDocument, content: [UInt8]) throws -> Int {
        let next = (try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM document WHERE case_id = ?", arguments: [document.caseId]) ?? 0) + 1
        try db.execute(
            sql: "INSERT INTO document (case_id, seq, form, format, file_name, content, sha256, missing, journal_seq, created_at, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [
                document.caseId, next, document.form, document.format, document.fileName, sealDocument(content), document.sha256,
                document.missing.joined(separator: "\n"), document.journalSequence, document.createdAt, content.count,
            ])
        return next
    }

    /// The sequence number of a case's newest journal entry (0 for an unknown case).
    public func lastJournalSequence(caseId: String) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM journal WHERE case_id = ?", arguments: [caseId]) ?? 0
    }

    /// A case's documents, oldest first, without their content.
    public func documents(caseId: String) throws -> [StoredDocument] {
        try Row.fetchAll(
            db, sql: "SELECT case_id, seq, form, format, file_name, sha256, missing, journal_seq, created_at, coalesce(size, length(content)) AS size FROM document WHERE case_id = ? ORDER BY seq",
            arguments: [caseId]
        ).map { row in
            let missing: String = row["missing"]
            return StoredDocument(
                caseId: row["case_id"], sequence: row["seq"], form: row["form"], format: row["format"], fileName: row["file_name"], sha256: row["sha256"],
                missing: missing.isEmpty ? [] : missing.split(separator: "\n").map(String.init), journalSequence: row["journal_seq"], createdAt: row["created_at"],
                size: row["size"])
        }
    }

    /// A document's bytes.
    public func documentContent(caseId: String, sequence: Int) throws -> [UInt8]? {
        try Data.fetchOne(db, sql: "SELECT content FROM document WHERE case_id = ? AND seq = ?", arguments: [caseId, sequence]).map(openDocument)
    }

    // A filled document holds the case's personal data, so its bytes are sealed whole:
    // the marker, then `ID.` and the sealed bytes.
    static let documentMarker = Array("advocate-sealed:".utf8)

    func sealDocument(_ content: [UInt8]) -> Data {
        guard let ring else { return Data(content) }
        return Data(StoreTransaction.documentMarker + ring.sealBinary(content, context: "document"))
    }

    func openDocument(_ stored: Data) throws -> [UInt8] {
        let marker = StoreTransaction.documentMarker
        guard stored.count > marker.count, stored.prefix(marker.count).elementsEqual(marker) else { return [UInt8](stored) }
        guard let ring else { throw StoreError(.keys, "the store holds encrypted documents but no key file was given") }
        return try ring.openBinary(stored.dropFirst(marker.count), context: "document")
    }
}
