internal import Foundation
internal import GRDB

/// One line of the audit log: who did what to which case, and when. Never holds personal data:
/// `detail` names events, fields and documents, not their values.
public struct AuditRecord: Sendable, Equatable {
    public var sequence: Int
    /// UTC, `YYYY-MM-DDTHH:MM:SSZ`.
    public var at: String
    public var accountId: String?
    public var accountName: String
    /// `web`, `api` or `cli`.
    public var channel: String
    /// `case.read`, `case.open`, `case.event`, `document.download`, `safe-address.unlock`, `sign-in`…
    public var action: String
    public var caseId: String?
    public var detail: String

    public init(accountId: String?, accountName: String, channel: String, action: String, caseId: String?, detail: String = "") {
        self.sequence = 0
        self.at = ""
        self.accountId = accountId
        self.accountName = accountName
        self.channel = channel
        self.action = action
        self.caseId = caseId
        self.detail = detail
    }
}

/// A case as lists show it, read without decoding (or decrypting) its state.
public struct CaseSummary: Sendable, Equatable {
    public var id: String
    public var workflowId: String
    /// Each track's current state.
    public var states: [String: String]
    public var advocateId: String?
    public var openedAt: String
    public var updatedAt: String
    public var closed: Bool
    /// The day number (see `CivilDate`) of the case's soonest dated step, if any.
    public var nextDueDay: Int?
}

extension StoreTransaction {
    // MARK: Audit

    /// Appends to the audit log.
    public func audit(_ record: AuditRecord) throws {
        try db.cachedStatement(sql: "INSERT INTO audit (at, account_id, account_name, channel, action, case_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(arguments: [StoreTransaction.timestamp(), record.accountId, record.accountName, record.channel, record.action, record.caseId, record.detail])
    }

    /// The audit log, newest first: all of it, or one case's.
    public func auditLog(caseId: String? = nil, limit: Int = 200, before: Int? = nil) throws -> [AuditRecord] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let caseId {
            conditions.append("case_id = ?")
            arguments += [caseId]
        }
        if let before {
            conditions.append("seq < ?")
            arguments += [before]
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        arguments += [limit]
        return try Row.fetchAll(db, sql: "SELECT * FROM audit" + whereClause + " ORDER BY seq DESC LIMIT ?", arguments: arguments).map { row in
            var record = AuditRecord(
                accountId: row["account_id"], accountName: row["account_name"], channel: row["channel"], action: row["action"], caseId: row["case_id"],
                detail: row["detail"])
            record.sequence = row["seq"]
            record.at = row["at"]
            return record
        }
    }

    // MARK: Case lists

    /// Which cases a list shows.
    public struct SummaryFilter: Sendable {
        public var workflowId: String?
        /// A state name, matched in any track.
        public var state: String?
        /// Only cases assigned to this account.
        public var advocateId: String?
        /// Only cases with a dated step due on or before this day number.
        public var dueThrough: Int?
        /// Today's day number: a court date before it has passed and is due no longer, as on the
        /// agenda. Without it, every dated row counts.
        public var today: Int?
        public var includeClosed: Bool
        public var limit: Int
        public var offset: Int

        public init(
            workflowId: String? = nil, state: String? = nil, advocateId: String? = nil, dueThrough: Int? = nil, today: Int? = nil, includeClosed: Bool = false,
            limit: Int = 100, offset: Int = 0
        ) {
            self.today = today
            self.workflowId = workflowId
            self.state = state
            self.advocateId = advocateId
            self.dueThrough = dueThrough
            self.includeClosed = includeClosed
            self.limit = limit
            self.offset = offset
        }
    }

    /// Cases matching `filter`, by number, and how many match in all.
    public func caseSummaries(_ filter: SummaryFilter) throws -> (cases: [CaseSummary], total: Int) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let workflow = filter.workflowId {
            conditions.append("c.workflow_id = ?")
            arguments += [workflow]
        }
        if let state = filter.state {
            conditions.append("(char(10) || c.states || char(10)) LIKE ('%=' || ? || char(10) || '%')")
            arguments += [state]
        }
        if let advocate = filter.advocateId {
            conditions.append("c.advocate_id = ?")
            arguments += [advocate]
        }
        if !filter.includeClosed { conditions.append("c.closed = 0") }
        // The rows that are due: dated, and not a court date already past.
        let due = "g.case_id = c.id AND g.due_day IS NOT NULL" + (filter.today == nil ? "" : " AND (g.kind != 'court-date' OR g.due_day >= ?)")
        let todayArgument: StatementArguments = filter.today.map { [$0] } ?? []
        if let through = filter.dueThrough {
            conditions.append("EXISTS (SELECT 1 FROM agenda g WHERE \(due) AND g.due_day <= ?)")
            arguments += todayArgument + [through]
        }
        let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let total = try Int.fetchOne(db, sql: #"SELECT COUNT(*) FROM "case" c"# + whereClause, arguments: arguments) ?? 0
        let rows = try Row.fetchAll(
            db,
            sql: #"""
                SELECT c.id, c.workflow_id, c.states, c.advocate_id, c.opened_at, c.updated_at, c.closed,
                    (SELECT MIN(g.due_day) FROM agenda g WHERE \#(due)) AS next_due
                FROM "case" c
                """# + whereClause + " ORDER BY c.number LIMIT ? OFFSET ?",
            arguments: todayArgument + arguments + [filter.limit, filter.offset])
        let cases = rows.map { row in
            let states: String = row["states"]
            var tracks: [String: String] = [:]
            for line in states.split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { tracks[String(parts[0])] = String(parts[1]) }
            }
            return CaseSummary(
                id: row["id"], workflowId: row["workflow_id"], states: tracks, advocateId: row["advocate_id"], openedAt: row["opened_at"],
                updatedAt: row["updated_at"], closed: row["closed"], nextDueDay: row["next_due"])
        }
        return (cases, total)
    }
}

extension StoreTransaction {
    /// Tries to change a journal entry, which the store's triggers must refuse (used by tests).
    public func appendOnlyProbe(_ caseId: String) throws {
        try db.execute(sql: "UPDATE journal SET at = at WHERE case_id = ?", arguments: [caseId])
    }
}
