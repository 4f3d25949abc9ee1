public import AdvocateAssembly
public import AdvocateCore
public import AdvocateFormat
internal import Foundation

/// A template from `Forms/` (or anywhere), compiled once and filled many times.
///
/// DOCX and ODT templates are office packages: their XML parts are compiled, the other parts are
/// compressed ahead of time, so a fill renders the templated parts and writes the archive.
/// HTML templates are text templates whose values are always escaped.
public final class FormTemplate: Sendable {
    public enum Format: String, Sendable, CaseIterable {
        case docx, odt, html

        /// The format a file name's extension names, if it is one templates come in.
        public init?(path: String) {
            switch (path as NSString).pathExtension.lowercased() {
            case "docx": self = .docx
            case "odt": self = .odt
            case "html", "htm", "xhtml": self = .html
            default: return nil
            }
        }
    }

    enum Body: Sendable {
        case office(OfficeTemplate, slots: [Slot])
        case text(TextTemplate)
    }

    /// A part of the package, in its original order: copied as compressed ahead, or filled.
    enum Slot: Sendable {
        case fixed(ZIPEntry)
        case filled(path: String, deflate: Bool, original: ZIPEntry)
    }

    /// The form's name: its file name without extension.
    public let name: String
    public let path: String
    public let format: Format
    /// Problems found compiling it; the template cannot be filled while any is an error.
    public let problems: [TemplateProblem]
    let body: Body

    /// Whether the template compiled without errors.
    public var isUsable: Bool { !problems.contains { $0.severity == .error } }

    /// Reads and compiles a template. A file that cannot be read at all (not a ZIP, a ZIP bomb, a
    /// part with a DTD) throws; problems in the template's tags are kept in ``problems``.
    public init(path: String) throws(AdvocateError) {
        self.path = path
        let fileName = (path as NSString).lastPathComponent
        name = (fileName as NSString).deletingPathExtension
        guard let format = Format(path: path) else {
            throw AdvocateError("\(fileName): templates are .docx, .odt or .html files")
        }
        self.format = format
        switch format {
        case .html:
            guard let data = FileManager.default.contents(atPath: path) else { throw AdvocateError("cannot read \(path)") }
            guard data.count <= OfficePackage.maximumPartSize else { throw AdvocateError("\(fileName) is too large for a template (over \(OfficePackage.maximumPartSize >> 20) MiB)") }
            guard let source = String(data: data, encoding: .utf8) else { throw AdvocateError("\(fileName) is not UTF-8 text") }
            let xhtml = (path as NSString).pathExtension.lowercased() == "xhtml"
            let (template, problems) = TextTemplate.compile(source, escaping: xhtml ? .xhtml : .html)
            self.problems = problems
            body = .text(template)
        case .docx, .odt:
            let package = try OfficePackage(path: path)
            let dialect: OfficeDialect = format == .docx ? .word : .openDocument
            if format == .docx, package.data("word/document.xml") == nil {
                throw AdvocateError("\(fileName) is not a Word document (it has no word/document.xml)")
            }
            if format == .odt, package.data("content.xml") == nil {
                throw AdvocateError("\(fileName) is not an OpenDocument text (it has no content.xml)")
            }
            let (template, problems) = OfficeTemplate.compile(dialect: dialect, parts: package.parts.map { ($0.path, [UInt8]($0.data)) })
            let filled = Set(template.parts.map(\.path) + (format == .docx ? ["word/numbering.xml"] : []))
            var slots: [Slot] = []
            for part in package.parts {
                // Kept in the package's order: OpenDocument's mimetype must stay first.
                let entry = try package.entry(for: part)
                slots.append(filled.contains(part.path) ? .filled(path: part.path, deflate: entry.deflated, original: entry) : .fixed(entry))
            }
            self.problems = problems
            body = .office(template, slots: slots)
        }
    }

    /// Every variable the template reads, with where.
    public var variables: [VariableUse] {
        switch body {
        case .office(let template, _): return template.variables
        case .text(let template): return template.variables
        }
    }

    /// Type errors, unknown filters and variables that `fields` do not provide.
    public func check(fields: [String: ValueType], filters: FilterLibrary) -> [TemplateProblem] {
        var fields = fields
        fields["case.id"] = .string
        switch body {
        case .office(let template, _): return template.check(fields: fields, filters: filters)
        case .text(let template): return template.check(fields: fields, filters: filters)
        }
    }

    /// Fills the template and returns the finished file's bytes.
    public func fill(_ environment: Environment, options: FillOptions = FillOptions()) throws(AdvocateError) -> [UInt8] {
        try fillReportingMissing(environment, options: options).bytes
    }

    /// Fills the template; also lists the values found missing when `options` allow them.
    public func fillReportingMissing(_ environment: Environment, options: FillOptions = FillOptions()) throws(AdvocateError) -> (bytes: [UInt8], missing: [String]) {
        guard isUsable else {
            throw AdvocateError("\(name) has template errors; see advocate forms check \(name)", diagnostics: diagnostics(file: path))
        }
        do {
            switch body {
            case .text(let template):
                let (text, missing) = try template.fillReportingMissing(environment, options: options)
                return (Array(text.utf8), missing)
            case .office(let template, let slots):
                let (outputs, missing) = try template.fill(environment, options: options)
                var byPath: [String: [UInt8]] = [:]
                for output in outputs { byPath[output.path] = output.bytes }
                var entries: [ZIPEntry] = []
                entries.reserveCapacity(slots.count)
                for slot in slots {
                    switch slot {
                    case .fixed(let entry): entries.append(entry)
                    case .filled(let path, let deflate, let original):
                        if let bytes = byPath[path] {
                            do { entries.append(try ZIPEntry(path: path, bytes: bytes, deflate: deflate)) } catch {
                                throw AdvocateError("cannot compress \(path)")
                            }
                        } else {
                            entries.append(original)
                        }
                    }
                }
                return (ZIPWriter.archive(entries), missing)
            }
        } catch let error as FillError {
            throw AdvocateError("cannot fill \(name): \(error.description)", diagnostics: error.problems.map { $0.diagnostic(file: path) })
        } catch let error as AdvocateError {
            throw error
        } catch {
            throw AdvocateError("cannot fill \(name): \(error)")
        }
    }

    /// The template's problems as file diagnostics.
    public func diagnostics(file: String) -> [Diagnostic] {
        problems.map { $0.diagnostic(file: file) }
    }
}

extension TemplateProblem {
    /// `file:line:column` for a text template; for an office part, the line is the paragraph's
    /// number and the message says which part it is in.
    public func diagnostic(file: String) -> Diagnostic {
        var message = message
        if location.part != nil, location.line > 0 { message += " (\(location.short))" }
        return Diagnostic(
            file: file, line: max(location.line, 1), column: max(location.column, 1), severity: severity == .error ? .error : .warning, message: message,
            sourceLine: location.context.isEmpty ? nil : location.context)
    }
}
