/// An error for people: one line that names the problem and what to do, never a private value.
public struct AdvocateError: Error, Sendable, CustomStringConvertible {
    public var description: String
    /// Located problems in files, shown after the message with their source lines.
    public var diagnostics: [Diagnostic]

    public init(_ description: String, diagnostics: [Diagnostic] = []) {
        self.description = description
        self.diagnostics = diagnostics
    }

    /// Turns any error the layers below throw into one a person can read.
    public static func from(_ error: any Error) -> AdvocateError {
        switch error {
        case let error as AdvocateError: return error
        case let error as TransitionError: return AdvocateError(error.message)
        case let error as StoreError: return AdvocateError(error.description)
        case let error as WorkspaceError: return AdvocateError(error.description)
        case let error as Diagnostics:
            return AdvocateError(error.errors.first?.description ?? "the file has problems", diagnostics: error.items)
        case let error as Diagnostic: return AdvocateError(error.description, diagnostics: [error])
        default: return AdvocateError("\(error)")
        }
    }
}
