internal import Foundation
internal import GRDB

/// What an account may do.
public enum AccountRole: String, Sendable, CaseIterable, Codable {
    /// Works the cases assigned to them, and only those.
    case advocate
    /// Sees every case in the program, and the audit log.
    case supervisor
    /// Manages accounts and workflows; sees no case.
    case admin
}

/// A person who signs in to the web app.
public struct Account: Sendable, Equatable {
    /// `U-0001`, `U-0002`…
    public var id: String
    public var name: String
    public var role: AccountRole
    /// `en` or `es`: the language of the pages they see.
    public var language: String
    public var disabled: Bool
    public var createdAt: String
}

/// A signed-in browser session. The cookie holds a random token; the store keeps only its SHA-256.
public struct WebSession: Sendable {
    public var account: Account
    public var csrfToken: String
    public var createdAt: Int64
    public var lastSeen: Int64
    /// The case whose safe address this session unlocked, and until when (seconds since 1970).
    public var unlockedCase: String?
    public var unlockedUntil: Int64?

    /// The safe address this session unlocked, if any.
    public var unlock: SafeAddressUnlock? { unlockedCase.map { SafeAddressUnlock(caseId: $0, until: unlockedUntil ?? 0) } }
}

/// A case's safe address, unlocked by one session until a time (seconds since 1970): the one rule
/// for whether an unlock still holds, for the pages and for the service that fills documents.
public struct SafeAddressUnlock: Sendable, Equatable {
    public var caseId: String
    public var until: Int64

    public init(caseId: String, until: Int64) {
        self.caseId = caseId
        self.until = until
    }

    /// Whether this unlock is for `caseId` and has not run out at `now`.
    public func covers(_ caseId: String, now: Int64) -> Bool {
        self.caseId == caseId && until > now
    }
}

extension StoreTransaction {
    // MARK: Accounts

    /// Adds an account; the name must be new (compared without case).
    public func addAccount(name: String, role: AccountRole, passwordHash: String, language: String) throws -> Account {
        if try accountRow(sql: "SELECT * FROM account WHERE name = ?", name) != nil {
            throw StoreError(.conflict, "there is already an account named '\(name)'")
        }
        let number = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM account") ?? 0) + 1
        let id = "U-" + String(repeating: "0", count: max(0, 4 - String(number).count)) + String(number)
        let account = Account(id: id, name: name, role: role, language: language, disabled: false, createdAt: StoreTransaction.timestamp())
        try db.execute(
            sql: "INSERT INTO account (id, name, role, password_hash, language, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [id, name, role.rawValue, passwordHash, language, account.createdAt])
        return account
    }

    /// The account with this name and its password hash, if there is one.
    public func account(named name: String) throws -> (account: Account, passwordHash: String)? {
        try accountRow(sql: "SELECT * FROM account WHERE name = ?", name).map { (StoreTransaction.account($0), $0["password_hash"]) }
    }

    public func account(id: String) throws -> Account? {
        try accountRow(sql: "SELECT * FROM account WHERE id = ?", id).map(StoreTransaction.account)
    }

    public func accounts() throws -> [Account] {
        try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY id").map(StoreTransaction.account)
    }

    /// Changes a password and signs the account out everywhere.
    public func setPassword(accountId: String, hash: String) throws {
        try db.execute(sql: "UPDATE account SET password_hash = ? WHERE id = ?", arguments: [hash, accountId])
        try db.execute(sql: "DELETE FROM web_session WHERE account_id = ?", arguments: [accountId])
    }

    /// Disables or enables an account; disabling signs it out and revokes its API tokens.
    public func setDisabled(accountId: String, _ disabled: Bool) throws {
        try db.execute(sql: "UPDATE account SET disabled = ? WHERE id = ?", arguments: [disabled, accountId])
        if disabled {
            try db.execute(sql: "DELETE FROM web_session WHERE account_id = ?", arguments: [accountId])
            try db.execute(sql: "DELETE FROM api_token WHERE account_id = ?", arguments: [accountId])
        }
    }

    public func setRole(accountId: String, _ role: AccountRole) throws {
        try db.execute(sql: "UPDATE account SET role = ? WHERE id = ?", arguments: [role.rawValue, accountId])
    }

    public func setLanguage(accountId: String, _ language: String) throws {
        try db.execute(sql: "UPDATE account SET language = ? WHERE id = ?", arguments: [language, accountId])
    }

    private func accountRow(sql: String, _ argument: String) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [argument])
    }

    private static func account(_ row: Row) -> Account {
        Account(
            id: row["id"], name: row["name"], role: AccountRole(rawValue: row["role"]) ?? .advocate, language: row["language"], disabled: row["disabled"],
            createdAt: row["created_at"])
    }

    // MARK: Sessions

    public func createSession(tokenHash: String, accountId: String, csrfToken: String, now: Int64) throws {
        try db.execute(
            sql: "INSERT INTO web_session (token_hash, account_id, csrf_token, created_at, last_seen) VALUES (?, ?, ?, ?, ?)",
            arguments: [tokenHash, accountId, csrfToken, now, now])
    }

    /// The session with this token hash and its (enabled) account.
    public func session(tokenHash: String) throws -> WebSession? {
        let sql = "SELECT s.*, a.id, a.name, a.role, a.language, a.disabled, a.created_at AS account_created FROM web_session s JOIN account a ON a.id = s.account_id WHERE s.token_hash = ? AND a.disabled = 0"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [tokenHash]) else { return nil }
        let account = Account(
            id: row["account_id"], name: row["name"], role: AccountRole(rawValue: row["role"]) ?? .advocate, language: row["language"], disabled: false,
            createdAt: row["account_created"])
        return WebSession(
            account: account, csrfToken: row["csrf_token"], createdAt: row["created_at"], lastSeen: row["last_seen"], unlockedCase: row["unlocked_case"],
            unlockedUntil: row["unlocked_until"])
    }

    public func touchSession(tokenHash: String, now: Int64) throws {
        try db.cachedStatement(sql: "UPDATE web_session SET last_seen = ? WHERE token_hash = ?").execute(arguments: [now, tokenHash])
    }

    public func deleteSession(tokenHash: String) throws {
        try db.execute(sql: "DELETE FROM web_session WHERE token_hash = ?", arguments: [tokenHash])
    }

    /// Removes sessions idle since before `cutoff`, or older than `createdBefore` whatever their use.
    public func deleteSessions(idleBefore cutoff: Int64, createdBefore: Int64) throws {
        try db.execute(sql: "DELETE FROM web_session WHERE last_seen < ? OR created_at < ?", arguments: [cutoff, createdBefore])
    }

    /// Lets this session see one case's safe address until `until`.
    public func unlockSafeAddress(tokenHash: String, caseId: String?, until: Int64?) throws {
        try db.execute(sql: "UPDATE web_session SET unlocked_case = ?, unlocked_until = ? WHERE token_hash = ?", arguments: [caseId, until, tokenHash])
    }

    // MARK: API tokens

    public func addAPIToken(tokenHash: String, accountId: String, label: String) throws {
        try db.execute(
            sql: "INSERT INTO api_token (token_hash, account_id, label, created_at) VALUES (?, ?, ?, ?)",
            arguments: [tokenHash, accountId, label, StoreTransaction.timestamp()])
    }

    /// The enabled account an API token belongs to.
    public func account(apiTokenHash: String) throws -> Account? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT a.* FROM api_token t JOIN account a ON a.id = t.account_id WHERE t.token_hash = ? AND a.disabled = 0"),
            arguments: [apiTokenHash]
        ).map(StoreTransaction.account)
    }

    // MARK: Assignment

    /// Assigns a case to an account (or to nobody).
    public func assignCase(_ caseId: String, to accountId: String?) throws {
        try db.execute(sql: #"UPDATE "case" SET advocate_id = ? WHERE id = ?"#, arguments: [accountId, caseId])
        guard db.changesCount == 1 else { throw StoreError.unknownCase(caseId) }
    }

    /// The hash of the definition a case runs on, without loading its state.
    public func definitionHash(ofCase caseId: String) throws -> String {
        guard let hash = try String.fetchOne(db.cachedStatement(sql: #"SELECT definition_hash FROM "case" WHERE id = ?"#), arguments: [caseId]) else {
            throw StoreError.unknownCase(caseId)
        }
        return hash
    }

    public func caseExists(_ caseId: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: #"SELECT EXISTS (SELECT 1 FROM "case" WHERE id = ?)"#), arguments: [caseId]) ?? false
    }

    /// Who a case is assigned to (nil: nobody), without loading its state.
    public func caseAdvocate(_ caseId: String) throws -> String? {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: #"SELECT advocate_id FROM "case" WHERE id = ?"#), arguments: [caseId]) else {
            throw StoreError.unknownCase(caseId)
        }
        return row["advocate_id"]
    }
}
