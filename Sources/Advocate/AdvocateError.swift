/// An error for people: one line that names the problem and what to do, never a private value.
public struct AdvocateError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a web response needs to know it.
    public enum Kind: Sendable {
        /// The input was refused: a wrong value, an event not allowed now, a broken file.
        case invalid
        /// No such case, document or account.
        case notFound
        /// The actor may not do this.
        case forbidden
        /// Someone else changed the case meanwhile; try again.
        case conflict
        /// The store or the machine failed.
        case failure
    }

    public var description: String
    /// Located problems in files, shown after the message with their source lines.
    public var diagnostics: [Diagnostic]
    public var kind: Kind
    /// For a refused batch import: the position of the item refused, and the key of it at fault
    /// (`at`) when one is, so a caller can name its line and column.
    public var item: Int?
    public var key: String?

    public init(_ description: String, diagnostics: [Diagnostic] = [], kind: Kind = .invalid, item: Int? = nil, key: String? = nil) {
        self.description = description
        self.diagnostics = diagnostics
        self.kind = kind
        self.item = item
        self.key = key
    }

    /// Turns any error the layers below throw into one a person can read.
    public static func from(_ error: any Error) -> AdvocateError {
        switch error {
        case let error as AdvocateError: return error
        case let error as TransitionError: return AdvocateError(error.message)
        case let error as StoreError:
            switch error.code {
            case .unknownCase: return AdvocateError(error.description, kind: .notFound)
            case .conflict: return AdvocateError(error.description, kind: .conflict)
            case .missingFolder, .notADatabase: return AdvocateError(error.description)
            case .database, .unknownDefinition, .corrupt, .keys: return AdvocateError(error.description, kind: .failure)
            }
        case let error as WorkspaceError: return AdvocateError(error.description)
        case let error as Diagnostics:
            return AdvocateError(error.errors.first?.description ?? "the file has problems", diagnostics: error.items)
        case let error as Diagnostic: return AdvocateError(error.description, diagnostics: [error])
        default: return AdvocateError("\(error)")
        }
    }
}
