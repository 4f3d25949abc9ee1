public import AdvocateAssembly
public import AdvocateCore
internal import AdvocateGlossary
internal import Foundation

/// The formats a finished document can be downloaded in.
public enum DocumentFormat: String, Sendable, CaseIterable {
    case docx, odt, html, pdf

    /// The HTTP media type.
    public var mediaType: String {
        switch self {
        case .docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case .odt: "application/vnd.oasis.opendocument.text"
        case .html: "text/html; charset=utf-8"
        case .pdf: "application/pdf"
        }
    }

    /// What a template in `format` can become: itself, and through LibreOffice (when
    /// `withOffice`) PDF and, for office files, the other office format.
    public static func choices(for format: FormTemplate.Format, withOffice: Bool) -> [DocumentFormat] {
        let own = DocumentFormat(rawValue: format.rawValue)!
        guard withOffice else { return [own] }
        switch format {
        case .docx: return [.docx, .odt, .pdf]
        case .odt: return [.odt, .docx, .pdf]
        case .html: return [.html, .pdf]
        }
    }
}

/// What to put in a filled document besides the template's own text.
public struct DocumentOptions: Sendable {
    public var fill: FillOptions
    /// Append a "Words to know" section explaining the glossary terms the document uses.
    public var explainTerms: Bool
    /// The language of that section.
    public var language: String

    public init(fill: FillOptions = FillOptions(), explainTerms: Bool = false, language: String = "en") {
        self.fill = fill
        self.explainTerms = explainTerms
        self.language = language
    }
}

extension FormLibrary {
    /// Case data as a template sees it: the case's fields, `case.id`, and no confidential safe
    /// address unless `includeSafeAddress`.
    public static func templateData(caseId: String, state: CaseState, definition: WorkflowDefinition, includeSafeAddress: Bool = false) -> [String: Value] {
        var data = state.data.dictionary
        if !includeSafeAddress {
            for field in definition.fields where field.safeAddress { data.removeValue(forKey: field.name) }
        }
        data["case.id"] = .string(caseId)
        return data
    }

    /// Fills `template` and returns the finished file, with glossary terms explained if asked.
    public func document(_ template: FormTemplate, environment: Environment, options: DocumentOptions = DocumentOptions()) throws(AdvocateError) -> [UInt8] {
        let bytes = try template.fill(environment, options: options.fill)
        guard options.explainTerms else { return bytes }
        return try explainTerms(in: bytes, template: template, language: options.language)
    }

    /// Appends a "Words to know" section, in `language`, explaining the glossary terms a filled document uses.
    public func explainTerms(in bytes: [UInt8], template: FormTemplate, language: String) throws(AdvocateError) -> [UInt8] {
        // The template's language is not known: terms are found by their English and Spanish names.
        let annotator = Annotator(glossary: workspace.glossary, language: language == "es" ? .es : .en, matching: [.en, .es])
        switch template.format {
        case .html:
            return Array(try annotator.annotate(html: String(decoding: bytes, as: UTF8.self)).utf8)
        case .docx:
            return try annotator.annotate(docxBytes: bytes, name: template.name)
        case .odt:
            return try annotator.annotate(odtBytes: bytes, name: template.name)
        }
    }
}

/// Writes a finished document readable by its owner only: it holds a victim's data.
public func writePrivately(_ bytes: [UInt8], to path: String) throws(AdvocateError) {
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
    } catch {
        throw AdvocateError("cannot write \(path): \((error as NSError).localizedDescription)")
    }
}

/// Converts documents with LibreOffice (to PDF, or between DOCX and ODT), headless, in a private
/// profile so it does not clash with a LibreOffice the user has open.
public enum OfficeConverter {
    /// The LibreOffice program on the PATH, if any.
    public static func office() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            for name in ["soffice", "libreoffice"] {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }

    /// How many LibreOffice conversions run at once; the rest wait their turn. Each takes a core
    /// and a few hundred megabytes for seconds, and a server must not start one per request.
    public static let slotCount = max(1, min(4, ProcessInfo.processInfo.activeProcessorCount))
    static let slots = DispatchSemaphore(value: slotCount)

    /// Converts `bytes` (a document of `format`) to `target` (`pdf`, `docx` or `odt`) and returns the result.
    /// Blocks while other conversions fill every slot.
    public static func convert(_ bytes: [UInt8], format: FormTemplate.Format, to target: DocumentFormat = .pdf) throws(AdvocateError) -> [UInt8] {
        if target.rawValue == format.rawValue { return bytes }
        slots.wait()
        defer { slots.signal() }
        guard let office = office() else {
            throw AdvocateError(
                "making \(target.rawValue.uppercased()) files needs LibreOffice, which is not installed (or not on the PATH). Install it with: sudo apt-get install libreoffice-writer-nogui (Debian, Ubuntu), or from libreoffice.org")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("advocate-convert-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // The input's name differs from the output's, so converting never overwrites it.
            let input = folder.appendingPathComponent("input.\(format.rawValue)")
            try Data(bytes).write(to: input)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: office)
            let filter =
                switch target {
                case .pdf: format == .html ? "pdf:writer_web_pdf_Export" : "pdf"
                case .docx: "docx:MS Word 2007 XML"
                case .odt: "odt"
                case .html: "html"
                }
            process.arguments = [
                "-env:UserInstallation=file://\(folder.path)/profile", "--headless", "--norestore", "--convert-to", filter, "--outdir", folder.path, input.path,
            ]
            process.standardOutput = FileHandle.nullDevice
            // A file, not a pipe: a chatty LibreOffice must not block on a full pipe.
            let errorsPath = folder.appendingPathComponent("errors.txt").path
            _ = FileManager.default.createFile(atPath: errorsPath, contents: nil)
            let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorsPath))
            defer { try? errors.close() }
            process.standardError = errors
            try process.run()
            let deadline = Date().addingTimeInterval(180)
            while process.isRunning {
                if Date() > deadline {
                    process.terminate()
                    throw AdvocateError("LibreOffice took more than 3 minutes to make the \(target.rawValue.uppercased()) file and was stopped")
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            let output = folder.appendingPathComponent("input.\(target.rawValue)")
            guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output.path) else {
                let message = String(decoding: FileManager.default.contents(atPath: errorsPath) ?? Data(), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
                throw AdvocateError("LibreOffice could not convert the document to \(target.rawValue.uppercased())\(message.isEmpty ? "" : " (\(message))")")
            }
            return [UInt8](data)
        } catch let error as AdvocateError {
            throw error
        } catch {
            throw AdvocateError("cannot run LibreOffice: \((error as NSError).localizedDescription)")
        }
    }
}
