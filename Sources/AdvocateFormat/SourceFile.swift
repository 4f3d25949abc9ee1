internal import Foundation
internal import Yams

/// A text file read for loading, with its lines for diagnostics.
struct SourceFile {
    let path: String
    let text: String
    let lines: [Substring]

    /// Files larger than this are refused before parsing.
    static let maximumSize = 4 << 20

    init(path: String, text: String) {
        self.path = path
        self.text = text
        self.lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    static func read(_ path: String) throws(Diagnostic) -> SourceFile {
        let url = URL(fileURLWithPath: path)
        let data: Data
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw Diagnostic(file: path, line: 1, column: 1, message: "no such file; check the path")
        }
        if isFolder.boolValue {
            throw Diagnostic(file: path, line: 1, column: 1, message: "this is a folder; name the files in it, or pass the project folder with --home")
        }
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
            guard size <= maximumSize else {
                throw Diagnostic(file: path, line: 1, column: 1, message: "the file is \(size) bytes; the limit is \(maximumSize) bytes")
            }
            data = try Data(contentsOf: url)
        } catch let diagnostic as Diagnostic {
            throw diagnostic
        } catch {
            throw Diagnostic(file: path, line: 1, column: 1, message: "cannot read the file: \((error as NSError).localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(file: path, line: 1, column: 1, message: "the file is not UTF-8 text")
        }
        return SourceFile(path: path, text: text)
    }

    func diagnostic(_ message: String, line: Int, column: Int, severity: Diagnostic.Severity = .error) -> Diagnostic {
        let source = line >= 1 && line <= lines.count ? String(lines[line - 1]) : nil
        return Diagnostic(file: path, line: line, column: column, severity: severity, message: message, sourceLine: source)
    }

    func diagnostic(_ message: String, at mark: Mark?, severity: Diagnostic.Severity = .error) -> Diagnostic {
        diagnostic(message, line: mark?.line ?? 1, column: mark?.column ?? 1, severity: severity)
    }

    /// Parses the YAML, turning Yams errors into located diagnostics. Anchors and aliases are
    /// refused: they are how a small file expands into a huge one.
    func composeYAML() throws(Diagnostic) -> Node {
        // Yams resolves aliases while composing, so anchors are found in the text first.
        if let (line, column) = firstAnchor() {
            throw diagnostic("YAML anchors and aliases are not allowed here; write the value out", line: line, column: column)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlDiagnostic(error)
        } catch {
            throw diagnostic("YAML: \(error)", line: 1, column: 1)
        }
        guard let root else { throw diagnostic("the file is empty", line: 1, column: 1) }
        return root
    }

    /// The position of the first `&anchor` outside quotes and comments.
    func firstAnchor() -> (Int, Int)? {
        for (index, line) in lines.enumerated() {
            var quote: Character?
            var previous: Character = " "
            var column = 0
            var iterator = line.makeIterator()
            var current = iterator.next()
            while let c = current {
                column += 1
                let next = iterator.next()
                if let q = quote {
                    if c == q { quote = nil }
                } else if c == "\"" || c == "'" {
                    if " [{,:".contains(previous) { quote = c }
                } else if c == "#", previous == " " || column == 1 {
                    break
                } else if c == "&", " [{,-:".contains(previous) || column == 1, let n = next, !n.isWhitespace, !",[]{}".contains(n) {
                    return (index + 1, column)
                }
                previous = c
                current = next
            }
        }
        return nil
    }

    private func yamlDiagnostic(_ error: YamlError) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let extra = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return diagnostic("YAML syntax: \(problem)\(extra)", at: mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return diagnostic("YAML: key defined twice: \(duplicates.joined(separator: ", "))", at: context.mark)
        case .reader(let problem, let offset, _, _):
            let (line, column) = position(ofByte: offset ?? 0)
            return diagnostic("YAML: \(problem)", line: line, column: column)
        default:
            return diagnostic("YAML: \(error)", line: 1, column: 1)
        }
    }

    private func position(ofByte offset: Int) -> (Int, Int) {
        var line = 1, column = 1, count = 0
        for byte in text.utf8 {
            if count >= offset { break }
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
            count += 1
        }
        return (line, column)
    }
}

