public import Hummingbird
internal import Advocate
internal import AdvocateStore
internal import NIOCore

/// What a request carries through the middleware to its route: who is signed in, and the
/// fields of a submitted form (already checked for its CSRF token).
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's address, for throttling sign-in attempts.
    let remoteAddress: String
    /// The signed-in session, if any.
    var session: SignedIn?
    /// The submitted form's fields, for POST requests.
    var form: FormFields = FormFields()
    /// A token for the sign-in form (before there is a session).
    var signInToken: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "local"
    }

    /// Forms are small; documents are downloaded, never uploaded.
    public var maxUploadSize: Int { 256 * 1024 }

    /// The page language: the account's, or English before sign-in.
    var language: UILanguage { session.map { UILanguage(rawValue: $0.account.language) ?? .en } ?? .en }
}

/// A signed-in session: the account and the tokens tied to it.
struct SignedIn: Sendable {
    var account: Account
    /// SHA-256 of the cookie's token: what the store keeps.
    var tokenHash: String
    var csrfToken: String
    var unlock: SafeAddressUnlock?
    /// `.api` for a script's bearer token.
    var channel: Actor.Channel = .web

    var actor: Actor { Actor(account: account, channel: channel) }

    /// Whether this session unlocked `caseId`'s safe address and the unlock has not run out.
    func hasUnlocked(_ caseId: String, now: Int64) -> Bool {
        unlock?.covers(caseId, now: now) == true
    }
}
