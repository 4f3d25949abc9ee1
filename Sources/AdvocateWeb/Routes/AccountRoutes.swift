internal import Advocate
internal import AdvocateStore
internal import Foundation
internal import Hummingbird
internal import NIOPosix

/// Accounts, for admins: the list, adding one, changing a role, disabling and enabling, and
/// setting a new password. The service checks the role on every request (hiding the link is not
/// the check) and writes each change to the audit log. Passwords are hashed off the request
/// threads, and never echoed back into a form.
struct AccountRoutes {
    let app: WebServices

    func register(on router: Router<WebContext>) {
        router.get("/admin/accounts") { request, context in
            try list(context: context, done: request.uri.queryParameters["done"].map(String.init))
        }
        router.post("/admin/accounts") { _, context in try await add(context: context) }
        router.post("/admin/accounts/{id}/role") { _, context in try changeRole(context: context) }
        router.post("/admin/accounts/{id}/disable") { _, context in try setDisabled(true, context: context) }
        router.post("/admin/accounts/{id}/enable") { _, context in try setDisabled(false, context: context) }
        router.get("/admin/accounts/{id}/password") { _, context in try passwordPage(context: context) }
        router.post("/admin/accounts/{id}/password") { _, context in try await setPassword(context: context) }
    }

    private func signedIn(_ context: WebContext) throws -> SignedIn {
        guard let session = context.session else { throw HTTPError(.unauthorized) }
        return session
    }

    /// What a finished change says on the list (a fixed word in the URL, never a name).
    private static let doneMessages = ["added": "account_added", "role": "account_role_changed", "disabled": "account_disabled", "enabled": "account_enabled", "password": "account_password_set"]

    func list(
        context: WebContext, done: String? = nil, values: FormFields = FormFields(), errors: [String: String] = [:], status: HTTPResponse.Status = .ok
    ) throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        let accounts = try app.service.accounts(actor: session.actor)
        let rows = accounts.map { account in
            [
                "id": account.id, "name": account.name, "role": text["role_" + account.role.rawValue], "language": text["language_" + account.language],
                "disabled": account.disabled, "isMe": account.id == session.account.id,
                "roles": AccountRole.allCases.map { ["value": $0.rawValue, "label": text["role_" + $0.rawValue], "selected": $0 == account.role] },
            ] as [String: Any]
        }
        let chosenRole = values["role"] ?? AccountRole.advocate.rawValue
        let chosenLanguage = values["language"] ?? context.language.rawValue
        var data = AccountRoutes.fieldErrors(
            [("name", "account_name"), ("role", "role"), ("language", "page_language"), ("password", "password"), ("again", "password_again")], errors, text: text)
        data["rows"] = rows
        let message = done.flatMap { AccountRoutes.doneMessages[$0] }.map { text[$0] }
        data["message"] = message ?? ""
        data["hasMessage"] = message != nil
        data["name"] = values["name"] ?? ""
        data["roles"] = AccountRole.allCases.map { ["value": $0.rawValue, "label": text["role_" + $0.rawValue], "selected": $0.rawValue == chosenRole] }
        data["languages"] = UILanguage.allCases.map { ["value": $0.rawValue, "label": text["language_" + $0.rawValue], "selected": $0.rawValue == chosenLanguage] }
        return try app.pages.render("accounts", title: text["accounts"], data: data, context: context, status: status, current: "accounts")
    }

    func add(context: WebContext) async throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        // Checked before any work, so a non-admin learns nothing from the validation messages.
        try app.service.requireAccountManager(session.actor)
        let form = context.form
        let name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = form["password"] ?? ""
        var errors: [String: String] = [:]
        if CaseService.problem(withAccountName: name) != nil { errors["name"] = text["account_name_rule"] }
        let role = AccountRole(rawValue: form["role"] ?? "")
        if role == nil { errors["role"] = text["choose_one"] }
        let language = UILanguage(rawValue: form["language"] ?? "")
        if language == nil { errors["language"] = text["choose_one"] }
        if let problem = AccountRoutes.passwordProblem(password, name: name, text: text) { errors["password"] = problem }
        if password != (form["again"] ?? "") { errors["again"] = text["passwords_differ"] }
        if errors.isEmpty, try app.service.store.read({ try $0.account(named: name) }) != nil { errors["name"] = text["account_name_taken"] }
        guard errors.isEmpty, let role, let language else {
            // The form comes back with the name, role and language; the page never shows a password.
            return try list(context: context, values: form, errors: errors, status: .unprocessableContent)
        }
        let hash = try await AccountRoutes.hash(password)
        _ = try app.service.addAccount(name: name, role: role, language: language.rawValue, passwordHash: hash, actor: session.actor)
        return Response.redirect(to: "/admin/accounts?done=added", type: .normal)
    }

    func changeRole(context: WebContext) throws -> Response {
        let session = try signedIn(context)
        guard let role = AccountRole(rawValue: context.form["role"] ?? "") else {
            throw AdvocateError(UIText.for(context.language)["choose_one"], kind: .invalid)
        }
        try app.service.setRole(accountId: try context.parameters.require("id"), role, actor: session.actor)
        return Response.redirect(to: "/admin/accounts?done=role", type: .normal)
    }

    func setDisabled(_ disabled: Bool, context: WebContext) throws -> Response {
        let session = try signedIn(context)
        let id = try context.parameters.require("id")
        try app.service.setDisabled(accountId: id, disabled, actor: session.actor)
        return Response.redirect(to: "/admin/accounts?done=\(disabled ? "disabled" : "enabled")", type: .normal)
    }

    func passwordPage(context: WebContext, errors: [String: String] = [:], status: HTTPResponse.Status = .ok) throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        let account = try account(context: context, session: session, text: text)
        var data = AccountRoutes.fieldErrors([("password", "password"), ("again", "password_again")], errors, text: text)
        data["id"] = account.id
        data["name"] = account.name
        return try app.pages.render(
            "account-password", title: text["set_password"] + ": " + account.name, data: data, context: context, status: status, current: "accounts")
    }

    func setPassword(context: WebContext) async throws -> Response {
        let session = try signedIn(context)
        let text = UIText.for(context.language)
        let account = try account(context: context, session: session, text: text)
        let password = context.form["password"] ?? ""
        var errors: [String: String] = [:]
        if let problem = AccountRoutes.passwordProblem(password, name: account.name, text: text) { errors["password"] = problem }
        if password != (context.form["again"] ?? "") { errors["again"] = text["passwords_differ"] }
        guard errors.isEmpty else { return try passwordPage(context: context, errors: errors, status: .unprocessableContent) }
        try app.service.setPassword(accountId: account.id, hash: try await AccountRoutes.hash(password), actor: session.actor)
        // The store signed the account out everywhere; this session's kept pages go too.
        if account.id == session.account.id { app.forget(session: session.tokenHash) }
        return Response.redirect(to: account.id == session.account.id ? "/login" : "/admin/accounts?done=password", type: .normal)
    }

    /// The account the path names, or a 404 in the page's language.
    private func account(context: WebContext, session: SignedIn, text: UIText) throws -> Account {
        do {
            return try app.service.account(id: try context.parameters.require("id"), actor: session.actor)
        } catch let error as AdvocateError where error.kind == .notFound {
            throw AdvocateError(text["no_such_account"], kind: .notFound)
        }
    }

    /// What a form's template needs to show its problems: a summary of links at the top, and
    /// each field's message and `aria-invalid` beside it. `fields` are (form name, label key).
    static func fieldErrors(_ fields: [(name: String, label: String)], _ errors: [String: String], text: UIText) -> [String: Any] {
        let summary = fields.compactMap { field in errors[field.name].map { ["id": "new-" + field.name, "label": text[field.label], "error": $0] } }
        return [
            "errors": summary, "hasErrors": !summary.isEmpty,
            "error": Dictionary(uniqueKeysWithValues: fields.map { ($0.name, errors[$0.name] ?? "") }),
            "invalid": Dictionary(uniqueKeysWithValues: fields.map { ($0.name, errors[$0.name] != nil) }),
        ]
    }

    /// The password rules, in the page's language.
    static func passwordProblem(_ password: String, name: String, text: UIText) -> String? {
        switch Passwords.weakness(of: password, name: name) {
        case nil: nil
        case .tooShort: text["password_too_short"]
        case .containsName: text["password_has_name"]
        }
    }

    /// Bcrypt is slow on purpose: it runs on the thread pool, not on a request thread.
    static func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Passwords.hash(password) }
    }
}
