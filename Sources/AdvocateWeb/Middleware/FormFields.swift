internal import Foundation

/// The fields of an `application/x-www-form-urlencoded` body. Repeated names keep every value.
struct FormFields: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []

    init() {}

    init(urlEncoded text: Substring) {
        for part in text.split(separator: "&", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = FormFields.decode(pieces[0])
            guard !name.isEmpty else { continue }
            pairs.append((name, pieces.count > 1 ? FormFields.decode(pieces[1]) : ""))
        }
    }

    /// The first value given for `name`.
    subscript(name: String) -> String? { pairs.first { $0.name == name }?.value }

    /// Every value given for `name`.
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    /// `+` is a space; `%XX` is a byte; invalid escapes are kept as they are.
    static func decode(_ text: Substring) -> String {
        (String(text).replacingOccurrences(of: "+", with: " ")).removingPercentEncoding ?? String(text)
    }
}
