/// A problem in a file, located by 1-based line and column, rendered like a compiler message.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String
    /// The text of the line, for the caret display.
    public var sourceLine: String?

    public init(file: String, line: Int, column: Int, severity: Severity = .error, message: String, sourceLine: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
        self.sourceLine = sourceLine
    }

    /// `file:line:column: error: message`.
    public var description: String { "\(file):\(line):\(column): \(severity.rawValue): \(message)" }

    /// The one-line message, then the source line and a caret under the column.
    public var rendered: String {
        guard let sourceLine else { return description }
        let caretPad = String(sourceLine.prefix(max(0, column - 1)).map { $0 == "\t" ? "\t" : " " })
        return "\(description)\n\(sourceLine)\n\(caretPad)^"
    }
}

/// Every problem found in one or more files; thrown when any is an error.
public struct Diagnostics: Error, Sendable, CustomStringConvertible {
    public var items: [Diagnostic]

    public init(_ items: [Diagnostic]) { self.items = items }

    public var errors: [Diagnostic] { items.filter { $0.severity == .error } }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
    public var description: String { items.map(\.description).joined(separator: "\n") }
}
