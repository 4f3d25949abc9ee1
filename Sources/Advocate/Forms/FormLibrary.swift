public import AdvocateAssembly
public import AdvocateCore
public import AdvocateFormat
internal import AdvocateGlossary
internal import Foundation

/// The templates in a workspace's `Forms/`, compiled on first use and kept until their file changes.
public final class FormLibrary: @unchecked Sendable {
    public let workspace: Workspace
    /// Template filters, with `explain` reading this workspace's glossary.
    public let filters: FilterLibrary
    private let lock = NSLock()
    private var compiled: [String: (modified: Date, size: Int, template: FormTemplate)] = [:]

    public init(workspace: Workspace) {
        self.workspace = workspace
        let glossary = workspace.glossary
        filters = .assembly { term, language in
            // The term may be written in either language; the definition comes in the one asked for.
            let entry = glossary.entry(named: term, language: .en) ?? glossary.entry(named: term, language: .es)
            return entry?.definition(in: language == "es" ? .es : .en)
        }
    }

    public var folder: String { workspace.root + "/Forms" }

    /// Paths of every template in `Forms/`, sorted by name.
    public var paths: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasPrefix("~$") && FormTemplate.Format(path: $0) != nil }.sorted().map { folder + "/" + $0 }
    }

    /// A template by form name (`referral-letter`) or by the path of any template file.
    public func template(_ nameOrPath: String) throws(AdvocateError) -> FormTemplate {
        let path: String
        if FormTemplate.Format(path: nameOrPath) != nil, FileManager.default.fileExists(atPath: nameOrPath) {
            path = nameOrPath
        } else if let found = paths.first(where: { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension == nameOrPath }) {
            path = found
        } else {
            let names = paths.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
            throw AdvocateError("no form '\(nameOrPath)' in Forms/\(suggestion(nameOrPath, names)); 'advocate forms list' shows them")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let modified = attributes?[.modificationDate] as? Date ?? .distantPast
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        if let cached = lock.withLock({ compiled[path] }), cached.modified == modified, cached.size == size { return cached.template }
        let template = try FormTemplate(path: path)
        lock.withLock { compiled[path] = (modified, size, template) }
        return template
    }

    /// A template in `Forms/` by its name only, never a path: what the web app and the API accept,
    /// so a request cannot name another file on the server.
    public func template(named name: String) throws(AdvocateError) -> FormTemplate {
        guard let path = paths.first(where: { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension == name }) else {
            let names = paths.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
            throw AdvocateError("no form '\(name)' in Forms/\(suggestion(name, names))", kind: .invalid)
        }
        return try template(path)
    }

    /// The workflows that fill a form, by a `fill:` effect or a step's `form:`.
    public func workflows(using form: String) -> [WorkflowDefinition] {
        workspace.latestWorkflows.map(\.definition).filter { $0.formsUsed.contains(form) }
    }

    /// An environment over `data` for filling: `today` from `now`, the template filters, and
    /// the calendar for date arithmetic.
    public func environment(data: [String: Value], calendar: CourtCalendar = .usFederal, now: LocalDateTime) -> Environment {
        Environment(data: data, calendar: calendar, now: now, filters: filters)
    }

    /// Every problem in a form: its own, and its variables checked against each workflow that
    /// uses it (or none, when no workflow does).
    public func check(_ template: FormTemplate) -> [TemplateProblem] {
        var problems = template.problems
        let users = workflows(using: template.name)
        if users.isEmpty {
            // Checked for syntax and filters only: any variable may come from --data.
            problems += template.check(fields: [:], filters: filters).filter { !$0.message.hasPrefix("unknown field") }
            return problems
        }
        var fields: [String: ValueType] = [:]
        for workflow in users { fields.merge(workflow.fieldTypes) { first, _ in first } }
        let names = users.map(\.id).joined(separator: ", ")
        for problem in template.check(fields: fields, filters: filters) {
            var problem = problem
            if problem.message.hasPrefix("unknown field") {
                problem.message = problem.message.replacingOccurrences(of: "unknown field", with: "no workflow that uses this form (\(names)) provides")
            }
            problems.append(problem)
        }
        return problems
    }
}

extension WorkflowDefinition {
    /// The forms this workflow fills or names in its steps.
    public var formsUsed: Set<String> {
        var forms: Set<String> = []
        func collect(_ effects: [EffectDefinition]) {
            for effect in effects { if case .fill(let form, _) = effect { forms.insert(form) } }
        }
        for step in steps.values { if let form = step.form { forms.insert(form) } }
        for track in tracks {
            for state in track.states {
                collect(state.onEnter)
                for transitions in state.transitions.values { for transition in transitions { collect(transition.effects) } }
                for timer in state.timers { collect(timer.effects) }
            }
        }
        return forms
    }
}
