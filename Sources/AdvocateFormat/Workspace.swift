internal import Foundation
public import AdvocateCore
public import AdvocateGlossary

/// The project folder a user works in: `Workflows/`, `Workflows/calendars/`, `Forms/` and `Glossary/`.
public struct Workspace: Sendable {
    public let root: String
    public private(set) var workflows: [LoadedWorkflow] = []
    public private(set) var calendars: [String: CourtCalendar] = ["us-federal": .usFederal]
    public private(set) var references = References()
    /// The glossary from `Glossary/`, with the overlay's local terms.
    public private(set) var glossary = Glossary(entries: [], categories: [])
    /// Translations of workflows (`Workflows/translations/ID.LANG.yaml`), by workflow id, then language.
    public private(set) var translations: [String: [String: WorkflowTranslation]] = [:]
    /// Every problem found while loading, warnings included.
    public private(set) var diagnostics: [Diagnostic] = []

    /// A workflow file that loaded without errors, with its text (stored with each case that runs on it).
    public struct LoadedWorkflow: Sendable {
        public var definition: WorkflowDefinition
        public var path: String
        public var source: String
    }

    /// Finds the folder: the explicit one, else `ADVOCATE_HOME`, else the nearest folder holding
    /// `Workflows/` above the current directory or above the `advocate` executable.
    public static func locate(explicit: String? = nil) throws(WorkspaceError) -> String {
        if let explicit { return try existing(explicit) }
        if let home = ProcessInfo.processInfo.environment["ADVOCATE_HOME"], !home.isEmpty { return try existing(home) }
        let starts = [FileManager.default.currentDirectoryPath, URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath().deletingLastPathComponent().path]
        for start in starts {
            var url = URL(fileURLWithPath: start)
            while true {
                if isDirectory(url.appendingPathComponent("Workflows").path) { return url.path }
                let parent = url.deletingLastPathComponent()
                if parent.path == url.path { break }
                url = parent
            }
        }
        throw WorkspaceError("no Workflows/ folder found here or above; run from the project folder, or set ADVOCATE_HOME")
    }

    private static func existing(_ path: String) throws(WorkspaceError) -> String {
        guard isDirectory(path + "/Workflows") else { throw WorkspaceError("\(path) has no Workflows/ folder") }
        return path
    }

    static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Files in `folder` with one of `extensions`, sorted by name.
    static func files(in folder: String, extensions: Set<String>) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") && extensions.contains(($0 as NSString).pathExtension.lowercased()) }.sorted().map { folder + "/" + $0 }
    }

    /// A form is named by its file name without the extension, so `safety-plan.docx` next to
    /// `safety-plan.odt` leaves `fill: safety-plan` meaning either one.
    static func repeatedFormNames(_ paths: [String]) -> [Diagnostic] {
        var first: [String: String] = [:]
        var problems: [Diagnostic] = []
        for path in paths {
            let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            if let earlier = first[name] {
                let message = "another template is also named '\(name)' (\((earlier as NSString).lastPathComponent)); workflows name forms without the extension, so rename one of them"
                problems.append(Diagnostic(file: path, line: 1, column: 1, message: message))
            } else {
                first[name] = path
            }
        }
        return problems
    }

    /// Loads calendars, form names, glossary terms and every workflow under `root`.
    public init(root: String) {
        self.root = root
        for path in Workspace.files(in: root + "/Workflows/calendars", extensions: ["yaml", "yml"]) {
            do {
                let calendar = try CalendarLoader.load(path: path)
                calendars[calendar.name] = calendar
            } catch {
                diagnostics += error.items
            }
        }
        let formFiles = Workspace.files(in: root + "/Forms", extensions: ["docx", "odt", "html", "xhtml", "htm"])
        diagnostics += Workspace.repeatedFormNames(formFiles)
        let overlayFolder = GlossaryImport.defaultOverlayFolder()
        let overlay = Workspace.isDirectory(overlayFolder) ? overlayFolder : nil
        let (glossary, glossaryProblems) = GlossaryLoader.load(folder: root + "/Glossary", overlay: overlay, cacheFolder: GlossaryLoader.defaultCacheFolder())
        self.glossary = glossary
        diagnostics += glossaryProblems
        references = References(
            forms: Set(formFiles.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }), glossaryTerms: glossary.allKeys,
            calendars: Set(calendars.keys))
        for path in Workspace.files(in: root + "/Workflows", extensions: ["yaml", "yml"]) { load(path) }
        for path in Workspace.files(in: root + "/Workflows/translations", extensions: ["yaml", "yml"]) { loadTranslation(path) }
    }

    /// A workflow's words in `language`: its translation where there is one, else its own.
    public func words(for definition: WorkflowDefinition, language: String) -> WorkflowWords {
        WorkflowWords(definition: definition, translation: translations[definition.id]?[language])
    }

    /// Checks a translation against the newest version of its workflow, and keeps it if it loads.
    @discardableResult
    mutating func loadTranslation(_ path: String) -> [Diagnostic] {
        let id = TranslationLoader.nameParts(of: path)?.workflow ?? ""
        do {
            let versions = workflows.map(\.definition).filter { $0.id == id }.sorted { $0.version > $1.version }
            let (translation, warnings) = try TranslationLoader.load(path: path, versions: versions)
            diagnostics += warnings
            translations[translation.workflow, default: [:]][translation.language] = translation
            return warnings
        } catch {
            diagnostics += error.items
            return error.items
        }
    }

    /// Checks one more file (a workflow, or a translation under `translations/`) against this workspace, and keeps it if it loads.
    @discardableResult
    public mutating func load(_ path: String) -> [Diagnostic] {
        if path.split(separator: "/").dropLast().last == "translations" { return loadTranslation(path) }
        let source: SourceFile
        do { source = try SourceFile.read(path) } catch {
            diagnostics.append(error)
            return [error]
        }
        do {
            let (definition, warnings) = try WorkflowLoader.load(file: source, references: references)
            diagnostics += warnings
            // The same file may be named two ways (`Workflows/x.yaml` and its full path).
            let file = Workspace.canonical(path)
            if let other = workflows.first(where: { $0.definition.id == definition.id && $0.definition.version == definition.version }), Workspace.canonical(other.path) != file {
                let problem = Diagnostic(file: path, line: 1, column: 1, message: "workflow '\(definition.id)' version \(definition.version) is also defined in \(other.path)")
                diagnostics.append(problem)
                return warnings + [problem]
            }
            workflows.removeAll { Workspace.canonical($0.path) == file }
            workflows.append(LoadedWorkflow(definition: definition, path: path, source: source.text))
            return warnings
        } catch {
            diagnostics += error.items
            return error.items
        }
    }

    /// The newest version of a workflow, or a given version.
    public func workflow(_ id: String, version: Int? = nil) -> LoadedWorkflow? {
        workflows.filter { $0.definition.id == id && (version == nil || $0.definition.version == version) }.max { $0.definition.version < $1.definition.version }
    }

    /// Newest version of each workflow, sorted by id.
    public var latestWorkflows: [LoadedWorkflow] {
        Dictionary(grouping: workflows, by: \.definition.id).values.compactMap { $0.max { $0.definition.version < $1.definition.version } }
            .sorted { $0.definition.id < $1.definition.id }
    }

    public func calendar(named name: String?) -> CourtCalendar {
        name.flatMap { calendars[$0] } ?? .usFederal
    }

    public func machine(for definition: WorkflowDefinition) -> Machine {
        Machine(definition: definition, calendar: calendar(named: definition.calendar))
    }
}

public struct WorkspaceError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension WorkflowLoader {
    /// Loads a stored workflow text (a case's pinned definition) without checking outside references.
    public static func loadPinned(source: String, path: String) throws(Diagnostics) -> WorkflowDefinition {
        try load(text: source, path: path).0
    }
}
