internal import Foundation
internal import Yams
public import AdvocateCore

/// Reads a workflow's translation (`Workflows/translations/ID.LANG.yaml`) and checks it against
/// the workflow: a name no version of the workflow has is an error (one translation serves cases
/// pinned to older versions too), and a text the newest version has but the translation lacks
/// is a warning, since the English is shown in its place.
public enum TranslationLoader {
    static let keys = ["workflow", "language", "title", "summary", "tracks", "steps", "events", "fields", "reminders", "checklist", "referrals", "follow_up"]

    /// `versions`: every version of the workflow, the newest first.
    public static func load(path: String, versions: [WorkflowDefinition]) throws(Diagnostics) -> (WorkflowTranslation, [Diagnostic]) {
        let file: SourceFile
        do { file = try SourceFile.read(path) } catch { throw Diagnostics([error]) }
        let root: Node
        do { root = try file.composeYAML() } catch { throw Diagnostics([error]) }
        var reader = YAMLReader(file: file)
        let translation = read(root, versions: versions, &reader)
        guard let translation, !reader.diagnostics.contains(where: { $0.severity == .error }) else { throw Diagnostics(reader.diagnostics) }
        return (translation, reader.diagnostics)
    }

    /// The workflow id and language a file name promises: `protective-order.es.yaml`.
    public static func nameParts(of path: String) -> (workflow: String, language: String)? {
        let name = String(path.split(separator: "/").last ?? "")
        let parts = name.split(separator: ".").map(String.init)
        guard parts.count == 3, ["yaml", "yml"].contains(parts[2].lowercased()) else { return nil }
        return (parts[0], parts[1])
    }

    private static func read(_ root: Node, versions: [WorkflowDefinition], _ reader: inout YAMLReader) -> WorkflowTranslation? {
        guard let top = reader.mapping(root, allowed: keys, required: ["workflow", "language"], what: "a translation"), top["workflow"] != nil, top["language"] != nil
        else { return nil }
        let id = reader.string(top["workflow"], "workflow") ?? ""
        let language = reader.string(top["language"], "language") ?? ""
        if let expected = nameParts(of: reader.file.path) {
            if id != expected.workflow { reader.error("the workflow '\(id)' must match the file name '\(expected.workflow)'", top["workflow"]) }
            if language != expected.language { reader.error("the language '\(language)' must match the file name '\(expected.language)'", top["language"]) }
        } else {
            reader.error("name a translation file WORKFLOW.LANGUAGE.yaml, such as \(id).es.yaml", root)
        }
        guard let workflow = versions.first else {
            reader.error("no workflow '\(id)' in Workflows/ to translate", top["workflow"])
            return nil
        }
        let title = text(top["title"], "title", &reader)
        let summary = text(top["summary"], "summary", &reader)
        if title == nil { reader.warning("no translated title; the English is shown", root) }
        if summary == nil { reader.warning("no translated summary; the English is shown", root) }

        var tracks: [String: WorkflowTranslation.Track] = [:]
        let trackEntries = top["tracks"].flatMap { reader.mapping($0, what: "tracks") } ?? Entries()
        let allTracks = versions.flatMap(\.tracks)
        for (name, keyNode, value) in trackEntries.list {
            let versionsOfTrack = allTracks.filter { $0.name == name }
            guard !versionsOfTrack.isEmpty else {
                reader.error("the workflow has no track '\(name)'\(suggestion(name, workflow.tracks.map(\.name)))", keyNode)
                continue
            }
            let newest = workflow.track(name)
            guard let entries = reader.mapping(value, allowed: ["title", "states"], what: "track '\(name)'") else { continue }
            var states: [String: WorkflowTranslation.State] = [:]
            let stateEntries = entries["states"].flatMap { reader.mapping($0, what: "the states of '\(name)'") } ?? Entries()
            for (stateName, stateKey, stateValue) in stateEntries.list {
                guard let state = versionsOfTrack.lazy.compactMap({ $0.state(stateName) }).first else {
                    reader.error("track '\(name)' has no state '\(stateName)'\(suggestion(stateName, versionsOfTrack.flatMap { $0.states.map(\.name) }))", stateKey)
                    continue
                }
                guard let texts = reader.mapping(stateValue, allowed: ["title", "client"], what: "state '\(stateName)'") else { continue }
                let translated = WorkflowTranslation.State(title: text(texts["title"], "title", &reader), client: text(texts["client"], "client", &reader))
                if translated.client == nil, !state.client.isEmpty {
                    reader.warning("no translated client text for state '\(stateName)'; the English is shown", stateKey)
                }
                states[stateName] = translated
            }
            for state in newest?.states ?? [] where states[state.name] == nil {
                reader.warning("no translation for state '\(state.name)' of track '\(name)'; the English is shown", keyNode)
            }
            tracks[name] = WorkflowTranslation.Track(title: text(entries["title"], "title", &reader), states: states)
        }
        for track in workflow.tracks where tracks[track.name] == nil {
            reader.warning("no translation for track '\(track.name)'; the English is shown", top["tracks"] ?? root)
        }
        let steps = texts(top["steps"], known: versions.map { Set($0.steps.keys) }, what: "step", &reader)
        let events = texts(top["events"], known: versions.map { Set($0.events.keys) }, what: "event", &reader)
        var translation = WorkflowTranslation(workflow: id, language: language, title: title, summary: summary, tracks: tracks, steps: steps, events: events, fields: [:])
        readFields(top["fields"], versions: versions, into: &translation, &reader)
        let reminders = versions.map { Set($0.reminders.values.map(\.text)) }
        translation.reminders = texts(top["reminders"], known: reminders, what: "reminder", &reader)
        let checklistLines = versions.map { Set($0.steps.values.flatMap(\.checklist)) }
        translation.checklist = texts(top["checklist"], known: checklistLines, what: "checklist line", &reader)
        let referrals = versions.map { Set($0.referralNames) }
        translation.referrals = texts(top["referrals"], known: referrals, what: "referral", &reader)
        if let node = top["follow_up"], let followUp = text(node, "follow_up", &reader) {
            if followUp.contains("{to}") {
                translation.followUp = followUp
            } else {
                reader.error("follow_up must say where the program's name goes, with {to}", node)
            }
        } else if !(referrals.first ?? []).isEmpty {
            reader.warning("no translated follow_up title (with {to} for the program); the English is shown", root)
        }
        return translation
    }

    /// `fields:` maps each field to its label, or to `label`, `help` and (for an enum) `choices`.
    private static func readFields(_ node: Node?, versions: [WorkflowDefinition], into translation: inout WorkflowTranslation, _ reader: inout YAMLReader) {
        let allFields = versions.flatMap(\.fields)
        let entries = node.flatMap { reader.mapping($0, what: "fields") } ?? Entries()
        var labelled: Set<String> = []
        for (name, keyNode, value) in entries.list {
            let versionsOfField = allFields.filter { $0.name == name }
            guard let newest = versionsOfField.first else {
                reader.error("the workflow has no field '\(name)'\(suggestion(name, Set(allFields.map(\.name)).sorted()))", keyNode)
                continue
            }
            // A bare text is the label alone; a mapping may add help and choices.
            let parts: Entries
            let label: (node: Node?, what: String)
            if case .mapping = value {
                guard let mapping = reader.mapping(value, allowed: ["label", "help", "choices"], what: "field '\(name)'") else { continue }
                (parts, label) = (mapping, (mapping["label"], "the label of '\(name)'"))
            } else {
                (parts, label) = (Entries(), (value, "field '\(name)'"))
            }
            if let label = text(label.node, label.what, &reader) {
                translation.fields[name] = label
                labelled.insert(name)
            }
            if let help = text(parts["help"], "the help of '\(name)'", &reader) {
                translation.fieldHelp[name] = help
            } else if !newest.help.isEmpty {
                reader.warning("no translated help for field '\(name)'; the English is shown", keyNode)
            }
            let values = versionsOfField.map { field -> Set<String> in
                if case .enumeration(let options) = field.type { return Set(options) }
                return []
            }
            if let choices = parts["choices"] {
                guard values.contains(where: { !$0.isEmpty }) else {
                    reader.error("field '\(name)' is not an enum, so it has no choices to translate", choices)
                    continue
                }
                translation.choices[name] = texts(
                    choices, known: values, what: "choice", unknown: { "field '\(name)' has no choice '\($0)'" },
                    missingMessage: { "no translation for the choice \($0) of field '\(name)'" }, &reader)
            } else if !(values.first ?? []).isEmpty {
                reader.warning("no translated choices for field '\(name)'; the English values are shown", keyNode)
            }
        }
        let missing = Set((versions.first?.fields ?? []).map(\.name)).subtracting(labelled).sorted()
        if !missing.isEmpty {
            reader.warning("no translated field label\(missing.count == 1 ? "" : "s") for \(missing.map { "'\($0)'" }.joined(separator: ", ")); the English is shown", node)
        }
    }

    /// A text, or nil for an empty or null value (which would otherwise show as a blank or as
    /// "~"), so the English is shown in its place.
    private static func text(_ node: Node?, _ what: String, _ reader: inout YAMLReader) -> String? {
        guard let node, let text = reader.string(node, what) else { return nil }
        let null = if case .scalar(let scalar) = node { scalar.style == .plain && ["~", "null", "Null", "NULL"].contains(text) } else { false }
        if null || text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            reader.warning("\(what) is empty; the English is shown", node)
            return nil
        }
        return text
    }

    /// A mapping of names to texts, each name checked against every version's; the newest version's
    /// names left out are one warning.
    private static func texts(
        _ node: Node?, known versions: [Set<String>], what: String, unknown: ((String) -> String)? = nil, missingMessage: ((String) -> String)? = nil,
        _ reader: inout YAMLReader
    ) -> [String: String] {
        let known = versions.reduce(into: Set<String>()) { $0.formUnion($1) }
        var result: [String: String] = [:]
        let entries = node.flatMap { reader.mapping($0, what: "\(what)s") } ?? Entries()
        for (name, keyNode, value) in entries.list {
            guard known.contains(name) else {
                reader.error((unknown?(name) ?? "the workflow has no \(what) '\(name)'") + suggestion(name, known.sorted()), keyNode)
                continue
            }
            if let text = text(value, "\(what) '\(name)'", &reader) { result[name] = text }
        }
        let missing = (versions.first ?? []).subtracting(result.keys).sorted()
        if !missing.isEmpty {
            let noun = ["step", "event"].contains(what) ? "title" : "text"
            let list = missing.map { "'\($0)'" }.joined(separator: ", ")
            reader.warning((missingMessage?(list) ?? "no translated \(what) \(noun)\(missing.count == 1 ? "" : "s") for \(list)") + "; the English is shown", node)
        }
        return result
    }
}
