public import Foundation
internal import GRDB
public import AdvocateCore

/// A case as stored: its pinned definition, its optimistic-concurrency version and its state.
public struct StoredCase: Sendable {
    public var id: String
    public var workflowId: String
    public var workflowVersion: Int
    /// SHA-256 of the workflow text the case runs on.
    public var definitionHash: String
    /// Increases with every change; a write that expected an older version is refused.
    public var version: Int
    public var state: CaseState
    public var openedAt: String
    public var updatedAt: String
    public var closed: Bool
    /// The account the case is assigned to, if any.
    public var advocateId: String?
}

/// One input in a case's journal, with the local time it happened and the instant it was recorded.
public struct JournalEntry: Sendable, Equatable {
    public var sequence: Int
    public var input: CaseInput
    public var at: LocalDateTime
    public var recordedAt: String

    public init(sequence: Int, input: CaseInput, at: LocalDateTime, recordedAt: String) {
        self.sequence = sequence
        self.input = input
        self.at = at
        self.recordedAt = recordedAt
    }
}

/// One dated line of the agenda projection.
public struct AgendaRow: Sendable, Equatable {
    public var caseId: String
    public var key: String
    /// `step`, `reminder`, `follow-up` or `court-date`.
    public var kind: String
    public var title: String
    public var who: String
    public var due: DueDate?
    /// Filled by agenda queries: the workflow of the row's case.
    public var workflowId: String = ""

    public init(caseId: String, key: String, kind: String, title: String, who: String, due: DueDate?) {
        self.caseId = caseId
        self.key = key
        self.kind = kind
        self.title = title
        self.who = who
        self.due = due
    }
}

/// A stored workflow text.
public struct StoredDefinition: Sendable {
    public var hash: String
    public var workflowId: String
    public var version: Int
    public var source: String
    public var path: String
}

/// The operations of one transaction. Obtained from ``CaseStore/write(_:)`` or ``CaseStore/read(_:)``.
public final class StoreTransaction {
    let db: Database
    // One decoder per transaction: making one is costly, and a transaction runs on one thread.
    // (Writing goes through StateJSON, which is much faster than JSONEncoder.)
    private lazy var decoder = JSONDecoder()

    let ring: KeyRing?

    init(db: Database, ring: KeyRing?) {
        self.db = db
        self.ring = ring
    }

    /// Records that the ring's current key seals this store, so a wrong or missing key file is
    /// caught when the store is opened rather than when a value fails to open.
    func recordKeyCheck() throws {
        guard let ring else { return }
        try db.execute(
            sql: "INSERT OR REPLACE INTO key_check (key_id, sealed, created_at) VALUES (?, ?, ?)",
            arguments: [ring.currentId, ring.seal(Array("advocate".utf8), context: "key-check"), StoreTransaction.timestamp()])
    }

    func sealing(_ fields: Set<String>) -> Sealing? { Sealing(ring: ring, fields: fields) }

    var commitActions: [() -> Void] = []

    /// Runs `action` once the transaction is stored; never if it rolls back.
    public func afterCommit(_ action: @escaping () -> Void) { commitActions.append(action) }

    func decode<T: Decodable>(_ type: T.Type, _ text: String, what: String) throws -> T {
        let opened = try SealedJSON.open(text, ring: ring)
        do {
            return try decoder.decode(type, from: Data(opened.utf8))
        } catch {
            throw StoreError(.corrupt, "the stored \(what) cannot be read; the store may be damaged")
        }
    }

    /// The current instant as `YYYY-MM-DDTHH:MM:SSZ`, without a date formatter (they are slow to make).
    public static func timestamp(_ date: Date = Date()) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let time = LocalDateTime(date: CivilDate(dayNumber: days), minuteOfDay: (seconds - days * 86_400) / 60)
        let second = seconds - days * 86_400 - time.minuteOfDay * 60
        return time.iso + ":" + (second < 10 ? "0" : "") + String(second) + "Z"
    }

    // MARK: Definitions

    /// Stores a workflow text under its hash (once).
    public func saveDefinition(hash: String, workflowId: String, version: Int, source: String, path: String) throws {
        try db.execute(
            sql: "INSERT OR IGNORE INTO definition (hash, workflow_id, version, source, path, added_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [hash, workflowId, version, source, path, StoreTransaction.timestamp()])
    }

    public func definition(hash: String) throws -> StoredDefinition? {
        try Row.fetchOne(db, sql: "SELECT * FROM definition WHERE hash = ?", arguments: [hash]).map(StoreTransaction.definition)
    }

    public func definitions(workflowId: String) throws -> [StoredDefinition] {
        try Row.fetchAll(db, sql: "SELECT * FROM definition WHERE workflow_id = ? ORDER BY version, added_at", arguments: [workflowId]).map(StoreTransaction.definition)
    }

    /// Every workflow text the store holds.
    public func allDefinitions() throws -> [StoredDefinition] {
        try Row.fetchAll(db, sql: "SELECT * FROM definition").map(StoreTransaction.definition)
    }

    private static func definition(_ row: Row) -> StoredDefinition {
        StoredDefinition(hash: row["hash"], workflowId: row["workflow_id"], version: row["version"], source: row["source"], path: row["path"])
    }

    // MARK: Cases

    /// Creates a case with its first journal entry, any later ones (`more`, from a batch) with the
    /// state they led to, and its agenda rows, made from the new id. Returns the id (`C-00001`).
    ///
    /// `wakeAt` is the instant (seconds since 1970) of the case's next timer or follow-up, for ``casesToWake(at:)``.
    public func createCase(
        workflowId: String, workflowVersion: Int, definitionHash: String, first: JournalEntry, more: [JournalEntry] = [], state: CaseState, wakeAt: Int64?,
        agenda: (_ id: String) -> [AgendaRow], personal: Set<String>, advocateId: String? = nil, prepared: PreparedCase? = nil
    ) throws -> String {
        let entries = [first] + more
        let prepared = prepared ?? prepare(state: state, entries: entries, personal: personal)
        // Cached statements: a batch import creates thousands of cases in one transaction.
        let number = (try Int.fetchOne(db.cachedStatement(sql: #"SELECT MAX(number) FROM "case""#)) ?? 0) + 1
        let id = "C-" + String(repeating: "0", count: max(0, 5 - String(number).count)) + String(number)
        let now = StoreTransaction.timestamp()
        try db.cachedStatement(
            sql: #"INSERT INTO "case" (id, number, workflow_id, workflow_version, definition_hash, version, state, opened_at, updated_at, closed, next_wake, advocate_id, states) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"#
        ).execute(
            arguments: [
                id, number, workflowId, workflowVersion, definitionHash, entries.count, prepared.state, now, now, state.closed, wakeAt,
                advocateId, StoreTransaction.statesColumn(state),
            ])
        try insertJournal(caseId: id, entries, inputs: prepared.inputs)
        // A new case has no rows to replace.
        try insertAgenda(caseId: id, agenda(id))
        return id
    }

    /// Loads a case. `reuse` may return the state already decoded for a version, to skip decoding it again.
    public func loadCase(_ id: String, reuse: (Int) -> CaseState? = { _ in nil }) throws -> StoredCase {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: #"SELECT * FROM "case" WHERE id = ?"#), arguments: [id]) else {
            throw StoreError.unknownCase(id)
        }
        return try storedCase(row, reuse: reuse)
    }

    private func storedCase(_ row: Row) throws -> StoredCase { try storedCase(row, reuse: { _ in nil }) }

    private func storedCase(_ row: Row, reuse: (Int) -> CaseState?) throws -> StoredCase {
        let version: Int = row["version"]
        return StoredCase(
            id: row["id"], workflowId: row["workflow_id"], workflowVersion: row["workflow_version"], definitionHash: row["definition_hash"],
            version: version, state: try reuse(version) ?? decode(CaseState.self, row["state"], what: "case state"), openedAt: row["opened_at"],
            updatedAt: row["updated_at"], closed: row["closed"], advocateId: row["advocate_id"])
    }

    /// Saves a case's new state, refusing if another writer changed it since `expectedVersion` was read.
    public func updateCase(
        _ id: String, expectedVersion: Int, state: CaseState, wakeAt: Int64?, entries: [JournalEntry], agenda: [AgendaRow], personal: Set<String>,
        definition: (hash: String, version: Int)? = nil, prepared: PreparedCase? = nil
    ) throws {
        let prepared = prepared ?? prepare(state: state, entries: entries, personal: personal)
        var sql = #"UPDATE "case" SET version = version + 1, state = ?, updated_at = ?, closed = ?, next_wake = ?, states = ?"#
        var arguments: StatementArguments = [
            prepared.state, StoreTransaction.timestamp(), state.closed, wakeAt, StoreTransaction.statesColumn(state),
        ]
        if let definition {
            sql += ", definition_hash = ?, workflow_version = ?"
            arguments += [definition.hash, definition.version]
        }
        sql += " WHERE id = ? AND version = ?"
        arguments += [id, expectedVersion]
        try db.cachedStatement(sql: sql).execute(arguments: arguments)
        guard db.changesCount == 1 else {
            throw StoreError(.conflict, "case '\(id)' was changed by someone else while this change was prepared")
        }
        try insertJournal(caseId: id, entries, inputs: prepared.inputs)
        try replaceAgenda(caseId: id, agenda)
    }

    /// The `states` column: each track's current state as `track=state` lines, for filtering lists.
    static func statesColumn(_ state: CaseState) -> String {
        state.tracks.keys.sorted().map { $0 + "=" + state.tracks[$0]! }.joined(separator: "\n")
    }

    public struct CaseFilter: Sendable {
        public var workflowId: String?
        public var includeClosed: Bool

        public init(workflowId: String? = nil, includeClosed: Bool = true) {
            self.workflowId = workflowId
            self.includeClosed = includeClosed
        }
    }

    public func cases(_ filter: CaseFilter = CaseFilter()) throws -> [StoredCase] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let workflow = filter.workflowId {
            conditions.append("workflow_id = ?")
            arguments += [workflow]
        }
        if !filter.includeClosed { conditions.append("closed = 0") }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try Row.fetchAll(db, sql: #"SELECT * FROM "case""# + whereClause + " ORDER BY number", arguments: arguments).map(storedCase)
    }

    /// Whether any case has a timer or follow-up due at or before `now`.
    public func hasCasesToWake(at now: Date) throws -> Bool {
        try Bool.fetchOne(
            db.cachedStatement(sql: #"SELECT 1 FROM "case" WHERE next_wake IS NOT NULL AND next_wake <= ? LIMIT 1"#),
            arguments: [Int64(now.timeIntervalSince1970.rounded(.down))]) ?? false
    }

    /// A number that moves whenever a case, a document or an account changes, by any process.
    public func caseRevision() throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT value FROM revision WHERE id = 1")) ?? 0
    }

    /// Cases with a timer or follow-up due at or before `now`.
    public func casesToWake(at now: Date) throws -> [String] {
        try String.fetchAll(
            db, sql: #"SELECT id FROM "case" WHERE next_wake IS NOT NULL AND next_wake <= ? ORDER BY number"#, arguments: [Int64(now.timeIntervalSince1970.rounded(.down))])
    }

    public func workflowIds(of caseIds: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for chunk in stride(from: 0, to: caseIds.count, by: 500) {
            let ids = Array(caseIds[chunk..<min(chunk + 500, caseIds.count)])
            let marks = Array(repeating: "?", count: ids.count).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: #"SELECT id, workflow_id FROM "case" WHERE id IN ("# + marks + ")", arguments: StatementArguments(ids)) {
                result[row["id"]] = row["workflow_id"]
            }
        }
        return result
    }

    public func caseCount() throws -> Int {
        try Int.fetchOne(db, sql: #"SELECT COUNT(*) FROM "case""#) ?? 0
    }

    // MARK: Journal

    /// Appends entries to a case created in the same transaction, and stores its final state.
    public func appendJournal(caseId: String, entries: [JournalEntry], state: CaseState, version: Int, wakeAt: Int64?, personal: Set<String>) throws {
        try appendJournal(caseId: caseId, entries, personal: personal)
        try db.execute(
            sql: #"UPDATE "case" SET version = ?, state = ?, closed = ?, next_wake = ?, states = ? WHERE id = ?"#,
            arguments: [version, StateJSON.encode(state, sealing: sealing(personal)), state.closed, wakeAt, StoreTransaction.statesColumn(state), caseId])
    }

    func appendJournal(caseId: String, _ entries: [JournalEntry], personal: Set<String>) throws {
        let sealing = sealing(personal)
        try insertJournal(caseId: caseId, entries, inputs: entries.map { StateJSON.encode($0.input, sealing: sealing) })
    }

    /// Inserts journal entries whose inputs are already written as stored (`inputs[i]` for `entries[i]`).
    private func insertJournal(caseId: String, _ entries: [JournalEntry], inputs: [String]) throws {
        let statement = try db.cachedStatement(sql: "INSERT INTO journal (case_id, seq, input, at, recorded_at) VALUES (?, ?, ?, ?, ?)")
        for (entry, input) in zip(entries, inputs) {
            try statement.execute(arguments: [caseId, entry.sequence, input, entry.at.iso, entry.recordedAt])
        }
    }

    /// The local time of a case's latest input, if it has any.
    public func lastInputTime(_ caseId: String) throws -> LocalDateTime? {
        guard let text = try String.fetchOne(db.cachedStatement(sql: "SELECT at FROM journal WHERE case_id = ? ORDER BY seq DESC LIMIT 1"), arguments: [caseId])
        else { return nil }
        guard let at = LocalDateTime(iso: text) else { throw StoreError(.corrupt, "a journal time cannot be read") }
        return at
    }

    public func journal(_ caseId: String) throws -> [JournalEntry] {
        try Row.fetchAll(db, sql: "SELECT * FROM journal WHERE case_id = ? ORDER BY seq", arguments: [caseId]).map { row in
            guard let at = LocalDateTime(iso: row["at"] as String) else { throw StoreError(.corrupt, "a journal time cannot be read") }
            return JournalEntry(sequence: row["seq"], input: try decode(CaseInput.self, row["input"], what: "journal entry"), at: at, recordedAt: row["recorded_at"])
        }
    }

    // MARK: Agenda

    /// Replaces a case's agenda projection.
    public func replaceAgenda(caseId: String, _ rows: [AgendaRow]) throws {
        try db.cachedStatement(sql: "DELETE FROM agenda WHERE case_id = ?").execute(arguments: [caseId])
        try insertAgenda(caseId: caseId, rows)
    }

    private func insertAgenda(caseId: String, _ rows: [AgendaRow]) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT INTO agenda (case_id, workflow_id, key, kind, title, who, due_day, due_minute, has_time, reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        for row in rows {
            try statement.execute(arguments: [
                caseId, row.workflowId, row.key, row.kind, row.title, row.who, row.due?.date.dayNumber, row.due?.moment.totalMinutes, row.due?.hasTime ?? false,
                row.due?.reasons.joined(separator: "\n") ?? "",
            ])
        }
    }

    /// Dated agenda rows due in `from...through`, or overdue before `overdueBefore`; with
    /// `advocateId`, only those of the cases assigned to that account. Soonest first; on each
    /// day, court dates first.
    public func agenda(from: CivilDate?, through: CivilDate?, overdueBefore: CivilDate?, advocateId: String? = nil) throws -> [AgendaRow] {
        var parts: [String] = []
        var arguments: StatementArguments = []
        if let from, let through {
            parts.append("(due_day BETWEEN ? AND ?)")
            arguments += [from.dayNumber, through.dayNumber]
        }
        if let overdueBefore {
            parts.append("(due_day < ? AND kind != 'court-date')")
            arguments += [overdueBefore.dayNumber]
        }
        guard !parts.isEmpty else { return [] }
        var mine = ""
        if let advocateId {
            mine = #" AND case_id IN (SELECT id FROM "case" WHERE advocate_id = ?)"#
            arguments += [advocateId]
        }
        let sql = "SELECT \(StoreTransaction.agendaColumns) FROM agenda WHERE due_day IS NOT NULL AND ("
            + parts.joined(separator: " OR ") + ")" + mine + " ORDER BY due_day, kind != 'court-date', due_minute, case_id, key"
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map(StoreTransaction.agendaRow)
    }

    public func agenda(caseId: String) throws -> [AgendaRow] {
        try Row.fetchAll(db, sql: "SELECT \(StoreTransaction.agendaColumns) FROM agenda WHERE case_id = ? ORDER BY due_minute IS NULL, due_minute, key", arguments: [caseId]).map(StoreTransaction.agendaRow)
    }

    static let agendaColumns = "case_id, workflow_id, key, kind, title, who, due_minute, has_time, reasons"

    /// Reads a row selected with ``agendaColumns``, by position: the agenda reads thousands.
    private static func agendaRow(_ row: Row) -> AgendaRow {
        let minutes: Int? = row[6]
        let due = minutes.map { minutes in
            DueDate(moment: LocalDateTime(totalMinutes: minutes), hasTime: row[7], reasons: (row[8] as String).split(separator: "\n").map(String.init))
        }
        var result = AgendaRow(caseId: row[0], key: row[2], kind: row[3], title: row[4], who: row[5], due: due)
        result.workflowId = row[1]
        return result
    }
}
