public import AdvocateStore
internal import Foundation

/// Managing the accounts that sign in: admins in the web app, and the person at the command
/// line. Every change is written to the audit log in the same transaction. Passwords arrive
/// already hashed, so no password ever passes through here.
extension CaseService {
    /// Every account, for admins and the command line.
    public func accounts(actor: Actor) throws(AdvocateError) -> [Account] {
        try requireAccountManager(actor)
        do {
            return try store.read { try $0.accounts() }
        } catch {
            throw AdvocateError.from(error)
        }
    }

    /// One account, for admins and the command line (404 when there is none).
    public func account(id: String, actor: Actor) throws(AdvocateError) -> Account {
        try requireAccountManager(actor)
        let found: Account?
        do {
            found = try store.read { try $0.account(id: id) }
        } catch {
            throw AdvocateError.from(error)
        }
        guard let found else { throw AdvocateError("no account '\(id)'", kind: .notFound) }
        return found
    }

    /// Runs `observer` after every change this service makes to an account, so that whoever
    /// keeps copies of accounts (the web app's sessions) drops them at once.
    public func onAccountChange(_ observer: @escaping @Sendable () -> Void) {
        accountChanges.add(observer)
    }

    /// Adds an account; the name must be new and well formed.
    public func addAccount(name: String, role: AccountRole, language: String, passwordHash: String, actor: Actor) throws(AdvocateError) -> Account {
        try requireAccountManager(actor)
        if let problem = CaseService.problem(withAccountName: name) { throw AdvocateError(problem, kind: .invalid) }
        guard ["en", "es"].contains(language) else { throw AdvocateError("the language must be en or es", kind: .invalid) }
        do {
            return try store.write { tx in
                let account = try tx.addAccount(name: name, role: role, passwordHash: passwordHash, language: language)
                try record(actor, "account.add", caseId: nil, detail: "\(account.id) \(role.rawValue)", in: tx)
                return account
            }
        } catch {
            throw AdvocateError.from(error)
        }
    }

    /// The language of the pages, chosen by the signed-in person for their own account.
    public func setLanguage(_ language: String, actor: Actor) throws(AdvocateError) {
        guard let account = actor.account else { throw AdvocateError("only a signed-in account has a page language", kind: .invalid) }
        guard ["en", "es"].contains(language) else { throw AdvocateError("the language must be en or es", kind: .invalid) }
        do {
            try store.write { try $0.setLanguage(accountId: account.id, language) }
        } catch {
            throw AdvocateError.from(error)
        }
        accountChanges.notify()
    }

    /// Gives an account another role. It takes effect on the account's next request.
    public func setRole(accountId: String, _ role: AccountRole, actor: Actor) throws(AdvocateError) {
        try changeAccount(accountId, actor: actor, action: "account.role", detail: role.rawValue) { tx, account in
            guard account.id != actor.account?.id else {
                throw AdvocateError("you cannot change your own role; ask another admin", kind: .invalid)
            }
            try tx.setRole(accountId: account.id, role)
        }
    }

    /// Disables an account (signed out everywhere, its API tokens revoked) or enables it again.
    public func setDisabled(accountId: String, _ disabled: Bool, actor: Actor) throws(AdvocateError) {
        try changeAccount(accountId, actor: actor, action: disabled ? "account.disable" : "account.enable") { tx, account in
            guard account.id != actor.account?.id else {
                throw AdvocateError("you cannot disable your own account; ask another admin", kind: .invalid)
            }
            try tx.setDisabled(accountId: account.id, disabled)
        }
    }

    /// Sets a new password (already hashed); the account is signed out everywhere.
    public func setPassword(accountId: String, hash: String, actor: Actor) throws(AdvocateError) {
        try changeAccount(accountId, actor: actor, action: "account.password") { tx, account in
            try tx.setPassword(accountId: account.id, hash: hash)
        }
    }

    /// Why an account name is refused, or nil. Names show in the audit log and in URLs of admin
    /// pages, so they are kept to a plain alphabet.
    public static func problem(withAccountName name: String) -> String? {
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isLetter || $0.isNumber || "._-@".contains($0) }) else {
            return "an account name is 1 to 64 letters, digits, and . _ - @"
        }
        return nil
    }

    /// Refuses (403) anyone but admins and the command line, before any work on an account.
    public func requireAccountManager(_ actor: Actor) throws(AdvocateError) {
        guard actor.account == nil || actor.account?.role == .admin else {
            throw AdvocateError("only admins manage accounts", kind: .forbidden)
        }
    }

    private func changeAccount(
        _ accountId: String, actor: Actor, action: String, detail: String = "", _ change: (StoreTransaction, Account) throws -> Void
    ) throws(AdvocateError) {
        try requireAccountManager(actor)
        do {
            try store.write { tx in
                guard let account = try tx.account(id: accountId) else { throw AdvocateError("no account '\(accountId)'", kind: .notFound) }
                try change(tx, account)
                try record(actor, action, caseId: nil, detail: detail.isEmpty ? account.id : "\(account.id) \(detail)", in: tx)
            }
        } catch {
            throw AdvocateError.from(error)
        }
        accountChanges.notify()
    }
}

/// The observers of ``CaseService/onAccountChange(_:)``.
final class AccountChanges: @unchecked Sendable {
    private let lock = NSLock()
    private var observers: [@Sendable () -> Void] = []

    func add(_ observer: @escaping @Sendable () -> Void) {
        lock.lock()
        observers.append(observer)
        lock.unlock()
    }

    func notify() {
        lock.lock()
        let current = observers
        lock.unlock()
        for observer in current { observer() }
    }
}
