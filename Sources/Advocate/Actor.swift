internal import Foundation
public import AdvocateStore
internal import AdvocateFormat

/// Who is doing something, for the access checks and the audit log.
public struct Actor: Sendable, Equatable {
    /// Where the request came from.
    public enum Channel: String, Sendable {
        case web, api, cli
        /// The workflow itself, when a timer that came due acts on a case.
        case timer
    }

    /// The account, or nil for the command line (the person at the machine holding the store).
    public var account: Account?
    public var channel: Channel

    public init(account: Account?, channel: Channel) {
        self.account = account
        self.channel = channel
    }

    /// The person at the command line, named by their login.
    public static var commandLine: Actor { Actor(account: nil, channel: .cli) }

    /// A timer of the case's workflow, acting whichever command happened to open the store.
    public static var timer: Actor { Actor(account: nil, channel: .timer) }

    /// The name written in the audit log.
    public var name: String {
        if account == nil, channel == .timer { return "workflow timer" }
        if account == nil, channel != .cli { return "not signed in" }
        return account?.name ?? ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : "\($0) (command line)" } ?? "command line"
    }

    /// Whether this actor may read and change a case assigned to `advocateId`.
    ///
    /// The command line is trusted (it holds the store and its key); supervisors see every case;
    /// advocates see the cases assigned to them; admins manage accounts and see no case.
    public func maySee(caseAssignedTo advocateId: String?) -> Bool {
        guard let account else { return true }
        switch account.role {
        case .supervisor: return true
        case .advocate: return advocateId == account.id
        case .admin: return false
        }
    }

    /// A line for the audit log: this actor did `action`. Nothing private goes in `detail`:
    /// event, field and form names only.
    public func auditRecord(_ action: String, caseId: String? = nil, detail: String = "") -> AuditRecord {
        AuditRecord(accountId: account?.id, accountName: name, channel: channel.rawValue, action: action, caseId: caseId, detail: detail)
    }

    /// Whether this actor may see every case and the audit log.
    public var seesAllCases: Bool { account == nil || account?.role == .supervisor }
}

extension CaseService {
    /// Refuses (403) when `actor` may not see the case.
    func authorize(_ actor: Actor?, caseId: String, assignedTo advocateId: String?) throws(AdvocateError) {
        guard let actor, !actor.maySee(caseAssignedTo: advocateId) else { return }
        throw AdvocateError("you do not have access to case '\(caseId)'", kind: .forbidden)
    }

    /// Like ``authorize(_:caseId:assignedTo:)``, reading the assignment (a missing case is 404).
    func authorize(_ actor: Actor?, caseId: String, in tx: StoreTransaction) throws {
        guard actor != nil else { return }
        try authorize(actor, caseId: caseId, assignedTo: try tx.caseAdvocate(caseId))
    }

    /// Writes one line of the audit log in the current transaction.
    func record(_ actor: Actor?, _ action: String, caseId: String?, detail: String = "", in tx: StoreTransaction) throws {
        guard let actor else { return }
        try tx.audit(actor.auditRecord(action, caseId: caseId, detail: detail))
    }

    /// Writes one line of the audit log on its own (sign-in, sign-out, an export).
    public func record(_ actor: Actor, _ action: String, caseId: String? = nil, detail: String = "") throws(AdvocateError) {
        do {
            try store.write { tx in try record(actor, action, caseId: caseId, detail: detail, in: tx) }
        } catch {
            throw AdvocateError.from(error)
        }
    }

    /// The audit log, newest first (supervisors and the command line only).
    public func auditLog(_ actor: Actor, caseId: String? = nil, limit: Int = 200, before: Int? = nil) throws(AdvocateError) -> [AuditRecord] {
        guard actor.seesAllCases else { throw AdvocateError("only supervisors can read the audit log", kind: .forbidden) }
        do {
            return try store.write { tx in
                // A filter is written into the log itself, so it must be a case id: a client's name
                // typed into the box would otherwise stay in an append-only record.
                if let caseId, try !tx.caseExists(caseId) {
                    throw AdvocateError("no case with that id; the filter takes a case id such as C-00012", kind: .notFound)
                }
                try record(actor, "audit.read", caseId: caseId, in: tx)
                return try tx.auditLog(caseId: caseId, limit: limit, before: before)
            }
        } catch {
            throw AdvocateError.from(error)
        }
    }

    /// Lets one web session see a case's safe address until `until`, and records why, in one transaction.
    public func unlockSafeAddress(_ caseId: String, sessionTokenHash: String, until: Int64, reason: String, actor: Actor) throws(AdvocateError) {
        do {
            try store.write { tx in
                try authorize(actor, caseId: caseId, in: tx)
                try tx.unlockSafeAddress(tokenHash: sessionTokenHash, caseId: caseId, until: until)
                try record(actor, "safe-address.unlock", caseId: caseId, detail: reason, in: tx)
            }
        } catch {
            throw AdvocateError.from(error)
        }
    }

    /// Assigns a case to an advocate's account (supervisors and the command line only).
    public func assign(_ caseId: String, to accountName: String?, actor: Actor = .commandLine) throws(AdvocateError) {
        guard actor.seesAllCases else { throw AdvocateError("only supervisors can assign cases", kind: .forbidden) }
        try transaction { tx, _ in
            var accountId: String?
            if let accountName {
                guard let found = try tx.account(named: accountName)?.account else {
                    throw AdvocateError("no account named '\(accountName)'; 'advocate users list' shows them", kind: .notFound)
                }
                // Only an advocate's own case list shows assigned cases: a case given to anyone else is lost from view.
                guard found.role == .advocate, !found.disabled else {
                    throw AdvocateError("cases are assigned to active advocates; '\(accountName)' is \(found.disabled ? "disabled" : "a \(found.role.rawValue)")")
                }
                accountId = found.id
            }
            try tx.assignCase(caseId, to: accountId)
            try record(actor, "case.assign", caseId: caseId, detail: accountId ?? "nobody", in: tx)
        }
    }
}

extension CaseService {
    /// Encrypts the store's personal data with a new key (see `CaseStore.rotateKeys`), using
    /// each case's pinned definition to know which fields are personal.
    public func rotateKeys() throws(AdvocateError) -> CaseStore.Rotation {
        do {
            // A field personal in any version of a workflow stays sealed in every version's cases
            // (their journals hold entries written under older versions).
            let definitions = try store.read { try $0.allDefinitions() }
            var byWorkflow: [String: Set<String>] = [:]
            for stored in definitions {
                byWorkflow[stored.workflowId, default: []].formUnion(try WorkflowLoader.loadPinned(source: stored.source, path: stored.path).personalFieldNames)
            }
            var personal: [String: Set<String>] = [:]
            for stored in definitions { personal[stored.hash] = byWorkflow[stored.workflowId] ?? [] }
            let rotation = try store.rotateKeys(personalFields: personal)
            try record(.commandLine, "keys.rotate", detail: "new key \(rotation.newKey)")
            return rotation
        } catch {
            throw AdvocateError.from(error)
        }
    }
}
