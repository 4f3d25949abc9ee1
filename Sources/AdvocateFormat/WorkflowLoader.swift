internal import Crypto
internal import Yams
public import AdvocateCore
internal import AdvocateGlossary

/// What a workflow may refer to outside itself: forms in `Forms/` and terms in `Glossary/`.
public struct References: Sendable {
    /// Form names (file names without extension); nil skips the check.
    public var forms: Set<String>?
    /// Glossary terms and aliases, normalised with `Glossary.normalize(_:)`; nil skips the check.
    public var glossaryTerms: Set<String>?
    /// Calendar names available under `Workflows/calendars/`.
    public var calendars: Set<String>?

    public init(forms: Set<String>? = nil, glossaryTerms: Set<String>? = nil, calendars: Set<String>? = nil) {
        self.forms = forms
        self.glossaryTerms = glossaryTerms
        self.calendars = calendars
    }
}

/// Reads a workflow file into a ``WorkflowDefinition`` and checks it.
public enum WorkflowLoader {
    static let topKeys = ["id", "version", "title", "summary", "calendar", "fields", "events", "tracks", "steps", "reminders"]
    static let fieldKeys = ["type", "label", "required", "personal", "safe_address", "court_date", "values", "of", "help"]
    static let eventKeys = ["title", "payload", "anytime"]
    static let trackKeys = ["title", "start", "states"]
    static let stateKeys = ["title", "client", "terminal", "steps", "on_enter", "on", "timers"]
    static let transitionKeys = ["to", "when", "effects"]
    static let timerKeys = ["id", "at", "when", "to", "effects"]
    static let stepKeys = ["id", "title", "who", "due", "checklist", "form", "explain", "service", "keep_open"]
    static let reminderKeys = ["who", "at", "text"]
    static let effectKinds = ["schedule", "fill", "remind", "service", "refer", "close_referral", "set"]

    /// Loads the file at `path`. Throws ``Diagnostics`` holding every error (and warning) when any error is found.
    public static func load(path: String, references: References = References()) throws(Diagnostics) -> (WorkflowDefinition, warnings: [Diagnostic]) {
        let file: SourceFile
        do { file = try SourceFile.read(path) } catch { throw Diagnostics([error]) }
        return try load(file: file, references: references)
    }

    /// Loads workflow text, as if read from `path`.
    public static func load(text: String, path: String, references: References = References()) throws(Diagnostics) -> (WorkflowDefinition, warnings: [Diagnostic]) {
        try load(file: SourceFile(path: path, text: text), references: references)
    }

    static func load(file: SourceFile, references: References) throws(Diagnostics) -> (WorkflowDefinition, warnings: [Diagnostic]) {
        let root: Node
        do { root = try file.composeYAML() } catch { throw Diagnostics([error]) }
        var builder = Builder(reader: YAMLReader(file: file), references: references)
        let definition = builder.build(root, hash: sha256(file.text))
        let diagnostics = builder.reader.diagnostics.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
        guard let definition, !diagnostics.contains(where: { $0.severity == .error }) else { throw Diagnostics(diagnostics) }
        return (definition, diagnostics)
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// Builds a definition from the YAML tree in two passes: declarations first (fields, events,
/// steps, states), then everything that refers to them (expressions, targets, references).
private struct Builder {
    var reader: YAMLReader
    let references: References
    var fields: [FieldDefinition] = []
    var fieldTypes: [String: ValueType] = [:]
    var eventNames: Set<String> = []
    var steps: [String: StepDefinition] = [:]
    var stepNodes: [String: Node] = [:]
    var reminders: [String: ReminderDefinition] = [:]
    /// Reminders declared by name under `reminders:`, with where, and whether an effect uses them.
    var namedReminders: [String: (node: Node, used: Bool)] = [:]
    /// Every state of every track, for `keep_open` lists.
    var stateNames: Set<String> = []

    init(reader: YAMLReader, references: References) {
        self.reader = reader
        self.references = references
    }

    var scope: TypeScope { TypeScope(fields: fieldTypes) }

    mutating func build(_ root: Node, hash: String) -> WorkflowDefinition? {
        guard let top = reader.mapping(root, allowed: WorkflowLoader.topKeys, required: ["id", "version", "title", "summary", "tracks"], what: "the workflow") else {
            return nil
        }
        let id = reader.string(top["id"], "id") ?? ""
        if !id.isEmpty, !id.allSatisfy({ $0.isLowercase || $0.isNumber || $0 == "-" }) {
            reader.error("id must be lowercase letters, digits and '-'", top["id"])
        }
        let version = reader.int(top["version"], "version") ?? 0
        if let node = top["version"], version < 1 { reader.error("version must be 1 or more", node) }
        let calendar = reader.string(top["calendar"], "calendar")
        if let calendar, let known = references.calendars, !known.contains(calendar) {
            reader.error("no calendar '\(calendar)' in Workflows/calendars\(suggestion(calendar, Array(known)))", top["calendar"])
        }
        if let node = top["fields"] { readFields(node) }
        for (name, type) in WorkflowDefinition.builtinFields { fieldTypes[name] = type }
        if let node = top["steps"], let entries = reader.mapping(node, what: "steps") {
            for entry in entries.list { declareStep(entry.value, id: entry.key, keyNode: entry.keyNode) }
        }
        if let node = top["reminders"], let entries = reader.mapping(node, what: "reminders") {
            for entry in entries.list { declareReminder(entry.key, entry.value, keyNode: entry.keyNode) }
        }
        var events: [String: EventDefinition] = [:]
        var eventNodes: [String: Node] = [:]
        if let node = top["events"], let entries = reader.mapping(node, what: "events") {
            for entry in entries.list {
                eventNames.insert(entry.key)
                eventNodes[entry.key] = entry.keyNode
                if let event = readEvent(entry.key, entry.value) { events[entry.key] = event }
            }
        }
        // Declare inline steps of every state before reading effects that schedule them.
        var trackEntries: [(String, Node, Entries)] = []
        if let node = top["tracks"], let entries = reader.mapping(node, what: "tracks") {
            if entries.list.isEmpty { reader.error("a workflow needs at least one track", node) }
            for entry in entries.list {
                guard let track = reader.mapping(entry.value, allowed: WorkflowLoader.trackKeys, required: ["start", "states"], what: "track '\(entry.key)'") else { continue }
                trackEntries.append((entry.key, entry.keyNode, track))
                if let states = track["states"], let stateEntries = reader.mapping(states, what: "states of track '\(entry.key)'") {
                    for state in stateEntries.list {
                        guard case .mapping = state.value, let stepsNode = Entries.lookup(state.value, "steps"), case .sequence(let list) = stepsNode else { continue }
                        for item in list where item.scalarString == nil {
                            let stepId = Entries.lookup(item, "id")?.scalarString ?? ""
                            if stepId.isEmpty { reader.error("an inline step needs an 'id'", item); continue }
                            declareStep(item, id: stepId, keyNode: item)
                        }
                    }
                }
            }
        }
        for (_, _, track) in trackEntries {
            guard let states = track["states"], case .mapping(let mapping) = states else { continue }
            for key in mapping.keys { if let name = key.scalarString { stateNames.insert(name) } }
        }
        for (id, node) in stepNodes { checkStep(id, node) }
        var tracks: [TrackDefinition] = []
        var usedEvents: Set<String> = []
        for (name, keyNode, track) in trackEntries {
            if let definition = readTrack(name, keyNode, track, usedEvents: &usedEvents) { tracks.append(definition) }
        }
        for (name, reminder) in namedReminders where !reminder.used {
            reader.warning("reminder '\(name)' is never used by a 'remind' effect", reminder.node)
        }
        for (name, node) in eventNodes where !usedEvents.contains(name) && !(events[name]?.anytime ?? false) {
            reader.warning("event '\(name)' is never used by a transition and is not 'anytime'", node)
        }
        return WorkflowDefinition(
            id: id, version: version, title: reader.string(top["title"], "title") ?? "", summary: reader.string(top["summary"], "summary") ?? "",
            calendar: calendar, fields: fields, events: events, tracks: tracks, steps: steps, reminders: reminders, contentHash: hash)
    }

    // MARK: Fields

    mutating func readFields(_ node: Node) {
        guard let entries = reader.mapping(node, what: "fields") else { return }
        for entry in entries.list {
            if !Builder.isPath(entry.key) {
                reader.error("field names are lowercase words joined by '.' or '_' (like hearing.date)", entry.keyNode)
                continue
            }
            if let field = readField(entry.key, entry.value, allowList: true) {
                fields.append(field)
                fieldTypes[field.name] = field.type
            }
        }
    }

    mutating func readField(_ name: String, _ node: Node, allowList: Bool) -> FieldDefinition? {
        // Short form: `hearing.date: date`.
        if let kindName = node.scalarString {
            guard let kind = FieldDefinition.Kind(rawValue: kindName), kind != .enum, kind != .list else {
                reader.error("unknown field type '\(kindName)' (types: string, text, date, datetime, bool, number, money; enum and list need the long form)", node)
                return nil
            }
            return FieldDefinition(name: name, kind: kind, type: Builder.type(of: kind), label: Builder.label(name))
        }
        guard let spec = reader.mapping(node, allowed: WorkflowLoader.fieldKeys, required: ["type"], what: "field '\(name)'") else { return nil }
        guard let kindName = reader.string(spec["type"], "type") else { return nil }
        guard let kind = FieldDefinition.Kind(rawValue: kindName) else {
            reader.error("unknown field type '\(kindName)'\(suggestion(kindName, FieldDefinition.Kind.allCases.map(\.rawValue)))", spec["type"])
            return nil
        }
        var type = Builder.type(of: kind)
        switch kind {
        case .enum:
            let values = reader.strings(spec["values"], "values").map(\.0)
            if values.isEmpty { reader.error("an enum field needs 'values'", spec["type"]) }
            type = .enumeration(values)
        case .list:
            guard allowList else {
                reader.error("a list cannot hold another list", spec["type"])
                return nil
            }
            guard let of = spec["of"], let members = reader.mapping(of, what: "the records of '\(name)'") else {
                reader.error("a list field needs 'of': the fields of each record", spec["type"])
                return nil
            }
            var record: [String: ValueType] = [:]
            for member in members.list {
                if let field = readField(member.key, member.value, allowList: false) { record[member.key] = field.type }
            }
            type = .list(.record(record))
        default:
            if spec["values"] != nil { reader.error("'values' is only for enum fields", spec["values"]) }
            if spec["of"] != nil { reader.error("'of' is only for list fields", spec["of"]) }
        }
        let courtDate = reader.bool(spec["court_date"], "court_date") ?? false
        if courtDate, kind != .date, kind != .datetime { reader.error("only date and datetime fields can be court dates", spec["court_date"]) }
        return FieldDefinition(
            name: name, kind: kind, type: type, label: reader.string(spec["label"], "label") ?? Builder.label(name),
            help: reader.string(spec["help"], "help") ?? "", required: reader.bool(spec["required"], "required") ?? false, personal: reader.bool(spec["personal"], "personal") ?? false,
            safeAddress: reader.bool(spec["safe_address"], "safe_address") ?? false, courtDate: courtDate)
    }

    static func type(of kind: FieldDefinition.Kind) -> ValueType {
        switch kind {
        case .string, .text: return .string
        case .date: return .date
        case .datetime: return .dateTime
        case .bool: return .bool
        case .number: return .number
        case .money: return .money
        case .enum: return .enumeration([])
        case .list: return .list(.any)
        }
    }

    static func label(_ name: String) -> String {
        let words = name.replacingAll(".", " ").replacingAll("_", " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    static func isPath(_ name: String) -> Bool {
        !name.isEmpty && name.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { part in
            !part.isEmpty && part.first!.isLetter && part.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "_" }
        }
    }

    /// A single lowercase word, or words joined by '_'.
    static func isIdentifier(_ name: String) -> Bool { name.allSatisfy(\.isASCII) && !name.contains(".") && isPath(name) }

    // MARK: Events

    mutating func readEvent(_ name: String, _ node: Node) -> EventDefinition? {
        guard let spec = reader.mapping(node, allowed: WorkflowLoader.eventKeys, what: "event '\(name)'") else { return nil }
        var payload: [PayloadField] = []
        if let payloadNode = spec["payload"] {
            if case .sequence = payloadNode {
                for (field, itemNode) in reader.strings(payloadNode, "payload") where checkField(field, itemNode) {
                    payload.append(PayloadField(field: field, required: true))
                }
            } else if let entries = reader.mapping(payloadNode, what: "the payload of '\(name)'") {
                for entry in entries.list where checkField(entry.key, entry.keyNode) {
                    var required = true
                    var fallback: Expression?
                    if case .mapping = entry.value, let options = reader.mapping(entry.value, allowed: ["required", "default"], what: "payload field '\(entry.key)'") {
                        required = reader.bool(options["required"], "required") ?? true
                        if let located = reader.expression(options["default"], "default") {
                            checkType(located, expected: fieldTypes[entry.key] ?? .any, what: "default of '\(entry.key)'")
                            fallback = located.expression
                        }
                    } else if let word = entry.value.scalarString, ["required", "optional"].contains(word) {
                        required = word == "required"
                    } else if entry.value.scalarString != "" {
                        reader.error("a payload field is 'required', 'optional' or a mapping with 'required' and 'default'", entry.value)
                    }
                    payload.append(PayloadField(field: entry.key, required: required, defaultValue: fallback))
                }
            }
        }
        return EventDefinition(
            name: name, title: reader.string(spec["title"], "title") ?? Builder.label(name), payload: payload,
            anytime: reader.bool(spec["anytime"], "anytime") ?? false)
    }

    mutating func checkField(_ name: String, _ node: Node) -> Bool {
        guard fieldTypes[name] != nil, !name.hasPrefix("case.") else {
            reader.error("unknown field '\(name)'\(suggestion(name, fields.map(\.name)))", node)
            return false
        }
        return true
    }

    // MARK: Steps

    mutating func declareStep(_ node: Node, id: String, keyNode: Node) {
        if steps[id] != nil {
            reader.error("step '\(id)' is defined twice", keyNode)
            return
        }
        guard let spec = reader.mapping(node, allowed: WorkflowLoader.stepKeys, required: ["title"], what: "step '\(id)'") else { return }
        let explain = reader.strings(spec["explain"], "explain")
        if let terms = references.glossaryTerms {
            for (term, termNode) in explain where !terms.contains(Glossary.normalize(term)) {
                reader.error("no glossary term '\(term)' in Glossary/", termNode)
            }
        }
        let form = reader.string(spec["form"], "form")
        if let form, let forms = references.forms, !forms.contains(form) {
            reader.error("no form '\(form)' in Forms/\(suggestion(form, Array(forms)))", spec["form"])
        }
        let service = reader.string(spec["service"], "service")
        if let service { checkService(service, spec["service"]) }
        steps[id] = StepDefinition(
            id: id, title: reader.string(spec["title"], "title") ?? id, who: reader.string(spec["who"], "who") ?? "advocate", due: nil,
            checklist: reader.strings(spec["checklist"], "checklist").map(\.0), form: form, explain: explain.map(\.0), service: service,
            keepOpen: .never)
        stepNodes[id] = node
    }

    /// A reminder declared once under `reminders:` and put on the agenda by `remind: ID`.
    /// Every effect naming it makes the same agenda item, so a case never holds two of it.
    mutating func declareReminder(_ id: String, _ node: Node, keyNode: Node) {
        if !Builder.isIdentifier(id) {
            reader.error("reminder names are lowercase words joined by '_' (like order_ends_soon)", keyNode)
            // Known all the same, so each effect naming it is not reported a second time.
            namedReminders[id] = (keyNode, true)
            return
        }
        guard readReminder(node, id: id, what: "reminder '\(id)'") else { return }
        namedReminders[id] = (keyNode, false)
    }

    /// Reads `{who, at, text}` into ``reminders`` under `id`; false when it cannot be read.
    mutating func readReminder(_ node: Node, id: String, what: String) -> Bool {
        guard let spec = reader.mapping(node, allowed: WorkflowLoader.reminderKeys, required: ["at", "text"], what: what),
            let at = reader.expression(spec["at"], "remind time")
        else { return false }
        checkType(at, expected: .date, what: "remind time")
        reminders[id] = ReminderDefinition(id: id, who: reader.string(spec["who"], "who") ?? "advocate", at: at.expression, text: reader.string(spec["text"], "text") ?? "")
        return true
    }

    /// Due dates are read once every field is declared, so they can be type-checked.
    mutating func checkStep(_ id: String, _ node: Node) {
        if let keepNode = Entries.lookup(node, "keep_open") {
            let keepOpen = readKeepOpen(keepNode)
            steps[id]?.keepOpen = keepOpen
        }
        guard let dueNode = Entries.lookup(node, "due"), let located = reader.expression(dueNode, "due date of step '\(id)'") else { return }
        checkType(located, expected: .date, what: "due date of step '\(id)'")
        steps[id]?.due = located.expression
    }

    /// `keep_open: true` (into any state), `false`, or a list of the states the step follows its track into.
    mutating func readKeepOpen(_ node: Node) -> KeepOpen {
        guard case .sequence(let list) = node else { return reader.bool(node, "keep_open") == true ? .untilDone : .never }
        var states: Set<String> = []
        for item in list {
            guard let name = reader.string(item, "keep_open") else { continue }
            if stateNames.contains(name) {
                states.insert(name)
            } else {
                reader.error("keep_open: unknown state '\(name)'\(suggestion(name, Array(stateNames)))", item)
            }
        }
        return .into(states)
    }

    mutating func checkService(_ code: String, _ node: Node?) {
        let letter = code.first.map { "ABCDE".contains($0) } ?? false
        let number = Int(code.dropFirst()) ?? 0
        if !letter || !(1...11).contains(number) {
            reader.error("'\(code)' is not a VOCA service category (A1-A4, B1-B10, C1-C7, D1-D3, E1-E11)", node)
        }
    }

    // MARK: Tracks and states

    mutating func readTrack(_ name: String, _ keyNode: Node, _ track: Entries, usedEvents: inout Set<String>) -> TrackDefinition? {
        guard let statesNode = track["states"], let stateEntries = reader.mapping(statesNode, what: "states of track '\(name)'") else { return nil }
        let stateNames = Set(stateEntries.list.map(\.key))
        // Names are stored as JSON keys and values; plain lowercase names keep them unambiguous.
        if !Builder.isPath(name) || name.contains(".") {
            reader.error("track name '\(name)' must be lowercase letters, digits and _ (starting with a letter)", keyNode)
        }
        for entry in stateEntries.list where !Builder.isPath(entry.key) || entry.key.contains(".") {
            reader.error("state name '\(entry.key)' must be lowercase letters, digits and _ (starting with a letter)", entry.keyNode)
        }
        let start = reader.string(track["start"], "start") ?? ""
        if !stateNames.contains(start) {
            reader.error("track '\(name)' starts at unknown state '\(start)'\(suggestion(start, Array(stateNames)))", track["start"])
        }
        var states: [StateDefinition] = []
        var edges: [String: Set<String>] = [:]
        for entry in stateEntries.list {
            guard let spec = reader.mapping(entry.value, allowed: WorkflowLoader.stateKeys, what: "state '\(entry.key)'") else { continue }
            var context = StateContext(track: name, state: entry.key, states: stateNames)
            var stepIds: [String] = []
            if let stepsNode = spec["steps"] {
                guard case .sequence(let list) = stepsNode else {
                    reader.error("steps must be a list of step ids or step definitions", stepsNode)
                    continue
                }
                for item in list {
                    let id = item.scalarString ?? Entries.lookup(item, "id")?.scalarString ?? ""
                    if item.scalarString != nil, steps[id] == nil {
                        reader.error("unknown step '\(id)'\(suggestion(id, Array(steps.keys)))", item)
                    }
                    if steps[id] != nil { stepIds.append(id) }
                }
            }
            let onEnter = readEffects(spec["on_enter"], context: &context, path: "on_enter")
            var transitions: [String: [TransitionDefinition]] = [:]
            if let onNode = spec["on"], let events = reader.mapping(onNode, what: "'on' of state '\(entry.key)'") {
                for event in events.list {
                    guard eventNames.contains(event.key) else {
                        reader.error("unknown event '\(event.key)'\(suggestion(event.key, Array(eventNames)))", event.keyNode)
                        continue
                    }
                    usedEvents.insert(event.key)
                    var items: [Node] = []
                    if case .sequence(let list) = event.value { items = Array(list) } else { items = [event.value] }
                    transitions[event.key] = items.enumerated().compactMap { index, item in
                        readTransition(item, context: &context, path: "on/\(event.key)/\(index)", edges: &edges)
                    }
                }
            }
            var timers: [TimerDefinition] = []
            if let timersNode = spec["timers"] {
                guard case .sequence(let list) = timersNode else {
                    reader.error("timers must be a list", timersNode)
                    continue
                }
                for (index, item) in list.enumerated() {
                    if let timer = readTimer(item, index: index, context: &context, edges: &edges) { timers.append(timer) }
                }
            }
            let terminal = reader.bool(spec["terminal"], "terminal") ?? false
            if terminal, !transitions.isEmpty || !timers.isEmpty {
                reader.error("terminal state '\(entry.key)' cannot have transitions or timers", entry.keyNode)
            }
            if !terminal, transitions.isEmpty, timers.isEmpty {
                reader.error("state '\(entry.key)' is not terminal and has no way out: add transitions under 'on', a timer, or 'terminal: true'", entry.keyNode)
            }
            states.append(
                StateDefinition(
                    name: entry.key, title: reader.string(spec["title"], "title") ?? Builder.label(entry.key), client: reader.string(spec["client"], "client") ?? "",
                    terminal: terminal, steps: stepIds, onEnter: onEnter, transitions: transitions, timers: timers))
        }
        // Every state must be reachable from the start.
        var reached: Set<String> = [start]
        var queue = [start]
        while let next = queue.popLast() {
            for target in edges[next] ?? [] where reached.insert(target).inserted { queue.append(target) }
        }
        for entry in stateEntries.list where !reached.contains(entry.key) && stateNames.contains(start) {
            reader.error("state '\(entry.key)' cannot be reached from '\(start)'", entry.keyNode)
        }
        if !states.contains(where: \.terminal) {
            reader.warning("track '\(name)' has no terminal state, so its cases never close", keyNode)
        }
        return TrackDefinition(name: name, title: reader.string(track["title"], "title") ?? Builder.label(name), start: start, states: states)
    }

    struct StateContext {
        var track: String
        var state: String
        var states: Set<String>
    }

    mutating func readTransition(_ node: Node, context: inout StateContext, path: String, edges: inout [String: Set<String>]) -> TransitionDefinition? {
        // Short form: `event: target_state`.
        if let target = node.scalarString {
            guard checkTarget(target, node, context) else { return nil }
            edges[context.state, default: []].insert(target)
            return TransitionDefinition(target: target)
        }
        guard let spec = reader.mapping(node, allowed: WorkflowLoader.transitionKeys, what: "a transition") else { return nil }
        let target = reader.string(spec["to"], "to")
        if let target {
            guard checkTarget(target, spec["to"]!, context) else { return nil }
            edges[context.state, default: []].insert(target)
        }
        let guardExpression = readGuard(spec["when"])
        let effects = readEffects(spec["effects"], context: &context, path: path)
        return TransitionDefinition(guardExpression: guardExpression, target: target, effects: effects)
    }

    mutating func readTimer(_ node: Node, index: Int, context: inout StateContext, edges: inout [String: Set<String>]) -> TimerDefinition? {
        guard let spec = reader.mapping(node, allowed: WorkflowLoader.timerKeys, required: ["at"], what: "a timer") else { return nil }
        let id = reader.string(spec["id"], "id") ?? "timer\(index + 1)"
        guard let at = reader.expression(spec["at"], "timer") else { return nil }
        checkType(at, expected: .date, what: "timer")
        let target = reader.string(spec["to"], "to")
        if let target {
            guard checkTarget(target, spec["to"]!, context) else { return nil }
            edges[context.state, default: []].insert(target)
        }
        let guardExpression = readGuard(spec["when"])
        let effects = readEffects(spec["effects"], context: &context, path: "timers/\(id)")
        return TimerDefinition(id: id, at: at.expression, guardExpression: guardExpression, target: target, effects: effects)
    }

    mutating func checkTarget(_ target: String, _ node: Node, _ context: StateContext) -> Bool {
        guard context.states.contains(target) else {
            reader.error("unknown state '\(target)' in track '\(context.track)'\(suggestion(target, Array(context.states)))", node)
            return false
        }
        return true
    }

    mutating func readGuard(_ node: Node?) -> Expression? {
        guard let located = reader.expression(node, "condition") else { return nil }
        let (type, errors) = located.expression.check(in: scope)
        for error in errors { reader.report(error.message, at: error.range, in: located.site, what: "condition") }
        if errors.isEmpty, type != .bool, type != .any {
            reader.report("a condition must be true or false, but this is a \(type)", at: 0..<0, in: located.site, what: "condition")
        }
        return located.expression
    }

    /// Checks an expression's type; `.date` accepts dates and date-times, as due dates do.
    mutating func checkType(_ located: LocatedExpression, expected: ValueType, what: String) {
        let (type, errors) = located.expression.check(in: scope)
        for error in errors { reader.report(error.message, at: error.range, in: located.site, what: what) }
        guard errors.isEmpty else { return }
        let fits: Bool
        switch expected {
        case .date: fits = [.date, .dateTime, .any, .null].contains(type)
        case .any: fits = true
        default: fits = type == expected || type == .any || type == .null || (expected.isStringLike && type.isStringLike) || (expected == .money && type == .number)
        }
        if !fits { reader.report("expected a \(expected), but this is a \(type)", at: 0..<0, in: located.site, what: what) }
    }

    // MARK: Effects

    mutating func readEffects(_ node: Node?, context: inout StateContext, path: String) -> [EffectDefinition] {
        guard let node else { return [] }
        guard case .sequence(let list) = node else {
            reader.error("effects must be a list, each item one of: \(WorkflowLoader.effectKinds.joined(separator: ", "))", node)
            return []
        }
        var effects: [EffectDefinition] = []
        for (index, item) in list.enumerated() {
            guard let entries = reader.mapping(item, allowed: WorkflowLoader.effectKinds, what: "an effect"), let entry = entries.list.first else { continue }
            if entries.list.count > 1 {
                reader.error("an effect has exactly one key; put each effect in its own list item", entries.list[1].keyNode)
            }
            let value = entry.value
            switch entry.key {
            case "schedule":
                let id = reader.string(value, "schedule") ?? ""
                if steps[id] == nil { reader.error("unknown step '\(id)'\(suggestion(id, Array(steps.keys)))", value) } else { effects.append(.schedule(id)) }
            case "fill":
                // `fill: FORM`, or `fill: {form: FORM, when: CONDITION}`.
                var formNode: Node? = value
                var condition: Expression? = nil
                if case .mapping = value {
                    guard let spec = reader.mapping(value, allowed: ["form", "when"], required: ["form"], what: "fill") else { continue }
                    formNode = spec["form"]
                    condition = readGuard(spec["when"])
                }
                let form = reader.string(formNode, "fill") ?? ""
                if let forms = references.forms, !forms.contains(form) {
                    reader.error("no form '\(form)' in Forms/\(suggestion(form, Array(forms)))", formNode)
                }
                effects.append(.fill(form, when: condition))
            case "remind":
                // `remind: NAME` names a reminder declared under `reminders:`; a mapping declares one here.
                if case .scalar = value {
                    let name = reader.string(value, "remind") ?? ""
                    guard namedReminders[name] != nil else {
                        reader.error("unknown reminder '\(name)'\(suggestion(name, Array(namedReminders.keys)))", value)
                        continue
                    }
                    namedReminders[name]?.used = true
                    effects.append(.remind(name))
                    continue
                }
                let id = "\(context.track)/\(context.state)/\(path)/\(index)"
                if readReminder(value, id: id, what: "remind") { effects.append(.remind(id)) }
            case "service":
                let code = reader.string(value, "service") ?? ""
                checkService(code, value)
                effects.append(.service(code))
            case "refer":
                guard let spec = reader.mapping(value, allowed: ["id", "to", "follow_up"], required: ["id", "to", "follow_up"], what: "refer"),
                    let id = reader.string(spec["id"], "id"), let to = reader.string(spec["to"], "to"), let text = reader.string(spec["follow_up"], "follow_up")
                else { continue }
                guard let period = Period(text), period.amount > 0 else {
                    reader.error("follow_up must be a period such as '3 court days'", spec["follow_up"])
                    continue
                }
                effects.append(.refer(id: id, to: to, followUp: period))
            case "close_referral":
                guard let spec = reader.mapping(value, allowed: ["id", "outcome"], required: ["id", "outcome"], what: "close_referral"),
                    let id = reader.string(spec["id"], "id"), let outcome = reader.string(spec["outcome"], "outcome")
                else { continue }
                effects.append(.closeReferral(id: id, outcome: outcome))
            case "set":
                guard let spec = reader.mapping(value, what: "set") else { continue }
                for field in spec.list where checkField(field.key, field.keyNode) {
                    guard let located = reader.expression(field.value, "value of '\(field.key)'") else { continue }
                    checkType(located, expected: fieldTypes[field.key] ?? .any, what: "value of '\(field.key)'")
                    effects.append(.set(field: field.key, located.expression))
                }
            default:
                break
            }
        }
        return effects
    }
}

extension Entries {
    static func lookup(_ node: Node, _ key: String) -> Node? {
        guard case .mapping(let mapping) = node else { return nil }
        return mapping[key]
    }
}

extension String {
    func replacingAll(_ target: Character, _ replacement: Character) -> String {
        String(map { $0 == target ? replacement : $0 })
    }
}
