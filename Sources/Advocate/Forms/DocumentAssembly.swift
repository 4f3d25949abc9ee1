public import AdvocateAssembly
public import AdvocateCore
internal import AdvocateGlossary
internal import Foundation

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
        var data = state.data
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
        // The template's language is not known: terms are found by their English and Spanish names.
        let annotator = Annotator(glossary: workspace.glossary, language: options.language == "es" ? .es : .en, matching: [.en, .es])
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

/// Converts office documents to PDF with LibreOffice, headless, in a private profile so it does
/// not clash with a LibreOffice the user has open.
public enum PDFConverter {
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

    /// Converts `bytes` (a document of `format`) and returns the PDF's bytes.
    public static func convert(_ bytes: [UInt8], format: FormTemplate.Format) throws(AdvocateError) -> [UInt8] {
        guard let office = office() else {
            throw AdvocateError(
                "--pdf needs LibreOffice, which is not installed (or not on the PATH). Install it with: sudo apt-get install libreoffice-writer-nogui (Debian, Ubuntu), or from libreoffice.org")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("advocate-pdf-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let input = folder.appendingPathComponent("document.\(format.rawValue)")
            try Data(bytes).write(to: input)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: office)
            let filter = format == .html ? "pdf:writer_web_pdf_Export" : "pdf"
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
                    throw AdvocateError("LibreOffice took more than 3 minutes to make the PDF and was stopped")
                }
                Thread.sleep(forTimeInterval: 0.05)
            }
            let pdf = folder.appendingPathComponent("document.pdf")
            guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: pdf.path) else {
                let message = String(decoding: FileManager.default.contents(atPath: errorsPath) ?? Data(), as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
                throw AdvocateError("LibreOffice could not convert the document to PDF\(message.isEmpty ? "" : " (\(message))")")
            }
            return [UInt8](data)
        } catch let error as AdvocateError {
            throw error
        } catch {
            throw AdvocateError("cannot run LibreOffice: \((error as NSError).localizedDescription)")
        }
    }
}
