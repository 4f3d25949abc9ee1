// Benchmarks for the workflow engine, the glossary and document assembly. Run in release, from the project folder:
//   swift run -c release AdvocateBenchmarks [core|send|import|agenda|deadline|glossary|forms|all]
// Figures are printed as a table; the README quotes them.
import Advocate
import Foundation

let workspace = Workspace(root: try! Workspace.locate())
let start = LocalDateTime(iso: "2026-11-19T09:00")!
let chosen = Set(CommandLine.arguments.dropFirst())
func wanted(_ name: String) -> Bool { chosen.isEmpty || chosen.contains(name) || chosen.contains("all") }

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func measure(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let began = clock.now
    try body()
    return seconds(clock.now - began)
}

func report(_ name: String, _ value: Double, _ unit: String, target: String) {
    let number = value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    print("\(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(number.padding(toLength: 12, withPad: " ", startingAt: 0)) \(unit.padding(toLength: 14, withPad: " ", startingAt: 0)) target \(target)")
}

func freshService(clock: LocalClock = .fixed(start)) throws -> CaseService {
    let folder = NSTemporaryDirectory() + "advocate-bench-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return CaseService(workspace: workspace, store: try CaseStore(path: folder + "/bench.sqlite"), clock: clock)
}

/// A protective-order case with a temporary order and open steps whose dates depend on the hearing.
func caseInProgress(_ machine: Machine) throws -> CaseState {
    var state = CaseState()
    _ = try machine.apply(.open(data: ["client.name": .string("Avery Fictional")]), to: &state, now: start)
    _ = try machine.apply(.event(name: "petition_filed", payload: ["petition.ex_parte_requested": .bool(true)]), to: &state, now: start)
    _ = try machine.apply(.event(name: "temporary_order_granted", payload: ["hearing.date": .dateTime(LocalDateTime(iso: "2026-12-03T09:00")!)]), to: &state, now: start)
    return state
}

func benchmarkCore() throws {
    let machine = workspace.machine(for: workspace.workflow("protective-order")!.definition)
    let onlyLifecycle = ProcessInfo.processInfo.environment["ADVOCATE_BENCH_ONLY_LIFECYCLE"] != nil
    if let source = ProcessInfo.processInfo.environment["ADVOCATE_BENCH_EVALUATE"] {
        // One expression, evaluated as a transition evaluates it: for profiling the evaluator alone.
        let state = try caseInProgress(machine)
        let expression = try Expression(source)
        var nulls = 0
        let elapsed = try measure {
            for _ in 0..<5_000_000 {
                var env = Environment(data: state.data, calendar: machine.calendar, now: start, filters: machine.filters)
                nulls &+= try expression.evaluate(in: &env).isNull ? 1 : 0
            }
        }
        print("evaluate \(source): \(String(format: "%.0f", elapsed / 5_000_000 * 1e9)) ns (\(nulls) null)")
        return
    }
    // 1. An event allowed in any state that changes data, so every open step's due date is recomputed.
    var state = try caseInProgress(machine)
    let phones: [Value] = (0..<16).map { .string("555-01\($0)") }
    let n = Int(ProcessInfo.processInfo.environment["ADVOCATE_BENCH_N"] ?? "") ?? 1_000_000
    var effects = 0
    // The caller hands its state over and takes the new one back, as an interpreter holding the
    // only copy does; a caller that keeps the old state too pays for a copy of the case's data.
    func events(_ state: inout CaseState) throws {
        for i in 0..<n {
            let owned = state
            state = CaseState()
            let (next, emitted) = try machine.transition(consume owned, .event(name: "client_moved", payload: ["client.phone": phones[i & 15]]), now: start)
            state = next
            effects &+= emitted.count
        }
    }
    let withData = onlyLifecycle ? 1 : try measure { try events(&state) }
    report("core: event that changes data", Double(n) / withData, "transitions/s", target: ">= 1,000,000")
    if ProcessInfo.processInfo.environment["ADVOCATE_BENCH_ONLY_EVENT"] != nil { return }
    // 2. A tick on a case with nothing due: the commonest input of all.
    state = try caseInProgress(machine)
    let ticks = onlyLifecycle ? 1 : try measure {
        for _ in 0..<n {
            let (next, emitted) = try machine.transition(state, .tick, now: start)
            state = next
            effects &+= emitted.count
        }
    }
    report("core: tick with nothing due", Double(n) / ticks, "transitions/s", target: ">= 1,000,000")
    // 3. A whole case, open to final order, again and again.
    let script: [CaseInput] = [
        .open(data: ["client.name": .string("Avery Fictional")]),
        .event(name: "safety_plan_made", payload: [:]),
        .event(name: "petition_filed", payload: ["petition.ex_parte_requested": .bool(true)]),
        .event(name: "temporary_order_granted", payload: ["hearing.date": .dateTime(LocalDateTime(iso: "2026-12-03T09:00")!)]),
        .event(name: "respondent_served", payload: [:]),
        .event(name: "final_order_granted", payload: [:]),
    ]
    let rounds = Int(ProcessInfo.processInfo.environment["ADVOCATE_BENCH_ROUNDS"] ?? "") ?? 100_000
    let lifecycle = try measure {
        for _ in 0..<rounds {
            var s = CaseState()
            for input in script {
                // Taken apart, so the new state moves out of the result instead of being copied.
                let (next, emitted) = try machine.transition(consume s, input, now: start)
                s = next
                effects &+= emitted.count
            }
        }
    }
    report("core: whole-case lifecycle (6 inputs)", Double(rounds * script.count) / lifecycle, "transitions/s", target: ">= 1,000,000")
    if ProcessInfo.processInfo.environment["ADVOCATE_BENCH_BREAKDOWN"] != nil {
        let state = try caseInProgress(machine)
        for source in ["petition.filed + 1 court day", "hearing.date - 3 court days", "petition.ex_parte_requested", "case.opened + 2 days", "renewal.declined != true"] {
            let expression = try Expression(source)
            let rounds = 1_000_000
            let clock = ContinuousClock()
            let began = clock.now
            for _ in 0..<rounds {
                var env = Environment(data: state.data, calendar: machine.calendar, now: start, filters: machine.filters)
                effects &+= try expression.evaluate(in: &env).isNull ? 1 : 0
            }
            print("  evaluate \(source.padding(toLength: 34, withPad: " ", startingAt: 0)) \(String(format: "%.0f", seconds(clock.now - began) / Double(rounds) * 1e9)) ns")
        }
        // Where a lifecycle's time goes, input by input (the clock reads add a little to each).
        var spent = [Duration](repeating: .zero, count: script.count)
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            var s = CaseState()
            for (index, input) in script.enumerated() {
                let began = clock.now
                let result = try machine.transition(s, input, now: start)
                spent[index] += clock.now - began
                s = result.state
                effects &+= result.effects.count
            }
        }
        for (index, input) in script.enumerated() {
            let name: String
            switch input {
            case .open: name = "open"
            case .event(let event, _): name = event
            default: name = "other"
            }
            print("  \(name.padding(toLength: 28, withPad: " ", startingAt: 0)) \(String(format: "%.2f", seconds(spent[index]) / Double(rounds) * 1e6)) µs")
        }
    }
    if effects == 42 { print("") }
}

func benchmarkSend() throws {
    let service = try freshService()
    let id = try service.open(workflow: "protective-order", fields: ["client.name": "Avery Fictional"]).caseId
    let n = 5_000
    let elapsed = try measure {
        for i in 0..<n { _ = try service.send(id, event: "client_moved", fields: ["client.phone": "555-01\(i % 100)"]) }
    }
    report("store: case send, one transaction each", Double(n) / elapsed, "events/s", target: ">= 2,000")
}

func benchmarkImport() throws {
    let service = try freshService()
    var items: [CaseService.BatchItem] = []
    for c in 0..<2_000 {
        let ref = "r\(c)"
        items.append(.open(workflow: "protective-order", values: ["client.name": .string("Client \(c)")], reference: ref, at: nil))
        for i in 0..<49 { items.append(.event(caseId: ref, name: "client_moved", payload: ["client.phone": .string("555-\(i)")], at: nil)) }
    }
    let elapsed = try measure { _ = try service.importBatch(items) }
    report("store: batch import (2,000 cases, 100,000 inputs)", Double(items.count) / elapsed, "events/s", target: ">= 50,000")
    // A caseload moved in from another system: many new cases, each with a few inputs.
    let newCases = try freshService()
    var opens: [CaseService.BatchItem] = []
    for c in 0..<20_000 {
        let ref = "n\(c)"
        opens.append(.open(workflow: "protective-order", values: ["client.name": .string("Client \(c)")], reference: ref, at: nil))
        opens.append(.event(caseId: ref, name: "petition_filed", payload: ["petition.ex_parte_requested": .bool(true)], at: nil))
        opens.append(.event(caseId: ref, name: "temporary_order_granted", payload: ["hearing.date": .dateTime(LocalDateTime(iso: "2026-12-03T09:00")!)], at: nil))
    }
    let opening = try measure { _ = try newCases.importBatch(opens) }
    report("store: batch import (20,000 new cases, 60,000 inputs)", Double(opens.count) / opening, "events/s", target: "(no target)")
}

func benchmarkAgenda() throws {
    // ADVOCATE_BENCH_AGENDA_STORE keeps the loaded store between runs (loading takes minutes).
    let kept = ProcessInfo.processInfo.environment["ADVOCATE_BENCH_AGENDA_STORE"]
    let service: CaseService
    if let kept {
        service = CaseService(workspace: workspace, store: try CaseStore(path: kept), clock: .fixed(start))
    } else {
        service = try freshService()
    }
    var items: [CaseService.BatchItem] = []
    let cases = Int(ProcessInfo.processInfo.environment["ADVOCATE_BENCH_AGENDA_CASES"] ?? "") ?? 100_000
    for c in 0..<cases {
        let ref = "r\(c)"
        let hearing = LocalDateTime(date: start.date.adding(days: c % 365), minuteOfDay: 9 * 60)
        items.append(.open(workflow: "protective-order", values: ["client.name": .string("Client \(c)")], reference: ref, at: nil))
        items.append(.event(caseId: ref, name: "petition_filed", payload: ["petition.ex_parte_requested": .bool(true)], at: nil))
        items.append(.event(caseId: ref, name: "temporary_order_granted", payload: ["hearing.date": .dateTime(hearing)], at: nil))
    }
    let loaded = try service.store.read { try $0.caseCount() }
    let loading = loaded >= cases ? 0 : try measure { _ = try service.importBatch(items) }
    _ = try service.tick()
    var times: [Double] = []
    var rows = 0
    for round in 0..<30 {
        let from = start.date.adding(days: 30 + round * 7)
        times.append(try measure { rows = try service.agenda(from: from, days: 7, overdue: false).count })
    }
    times.sort()
    print("  (loaded \(cases) open cases in \(String(format: "%.1f", loading)) s; a 7-day window holds \(rows) rows)")
    report("agenda: 7 days over 100,000 open cases, median", times[times.count / 2] * 1000, "ms", target: "<= 50 ms")
    report("agenda: 7 days over 100,000 open cases, worst", times.last! * 1000, "ms", target: "<= 50 ms")
}

func benchmarkDeadline() throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("advocate").path
    guard FileManager.default.isExecutableFile(atPath: binary) else {
        print("deadline: build the advocate binary in the same configuration first (swift build -c release)")
        return
    }
    // posix_spawn directly: Foundation's Process adds tens of milliseconds of its own.
    let arguments = [binary, "deadline", "--from", "2026-11-19", "--days", "7"]
    var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    var times: [Double] = []
    for _ in 0..<60 {
        times.append(measure {
            var pid: pid_t = 0
            let argv = arguments.map { strdup($0) } + [nil]
            defer { argv.forEach { free($0) } }
            guard posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 else { return }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        })
    }
    times.sort()
    report("advocate deadline, cold start, median", times[times.count / 2] * 1000, "ms", target: "<= 30 ms")
    report("advocate deadline, cold start, p90", times[times.count * 9 / 10] * 1000, "ms", target: "<= 30 ms")
}

/// Annotation throughput, lookup latency and load time for the glossary. Writes the text and the
/// keys it used to a folder, so the pyahocorasick anchor (Benchmarks/glossary_anchor.py) can run on
/// exactly the same input.
func benchmarkGlossary() throws {
    let folder = ProcessInfo.processInfo.environment["ADVOCATE_BENCH_DIR"] ?? NSTemporaryDirectory()
    let onlyAnnotation = ProcessInfo.processInfo.environment["ADVOCATE_BENCH_ONLY_ANNOTATE"] != nil
    var loadTimes: [Double] = []
    var glossary = workspace.glossary
    for _ in 0..<(onlyAnnotation ? 1 : 10) {
        loadTimes.append(measure { glossary = GlossaryLoader.load(folder: workspace.root + "/Glossary").0 })
    }
    loadTimes.sort()
    report("glossary: parse \(glossary.entries.count) terms from YAML, median", loadTimes[loadTimes.count / 2] * 1000, "ms", target: "(first load)")
    let cache = NSTemporaryDirectory() + "advocate-bench-cache-\(UUID().uuidString)"
    _ = GlossaryLoader.load(folder: workspace.root + "/Glossary", cacheFolder: cache)
    var cachedTimes: [Double] = []
    for _ in 0..<(onlyAnnotation ? 1 : 20) {
        cachedTimes.append(measure { glossary = GlossaryLoader.load(folder: workspace.root + "/Glossary", cacheFolder: cache).0 })
    }
    cachedTimes.sort()
    try? FileManager.default.removeItem(atPath: cache)
    report("glossary: load \(glossary.entries.count) terms, compiled, median", cachedTimes[cachedTimes.count / 2] * 1000, "ms", target: "<= 20 ms")

    // Lookups: every term and alias, and their plurals, timed one by one.
    let queries = glossary.entries.flatMap { [$0.term] + $0.aliases + [$0.term + "s"] }
    var times: [Double] = []
    let clock = ContinuousClock()
    for _ in 0..<(onlyAnnotation ? 1 : 20) {
        for query in queries {
            let began = clock.now
            _ = glossary.lookup(query)
            times.append(seconds(clock.now - began))
        }
    }
    times.sort()
    report("glossary: lookup p99 (terms, aliases, plurals)", times[times.count * 99 / 100] * 1e6, "µs", target: "<= 10 µs")
    let typos = ["subpena", "arraingment", "contnuance", "restitusion", "warent", "probaton"]
    var typoTimes: [Double] = []
    for _ in 0..<200 { for typo in typos { typoTimes.append(measure { _ = glossary.lookup(typo) }) } }
    typoTimes.sort()
    report("glossary: lookup p99, misspelled", typoTimes[typoTimes.count * 99 / 100] * 1e6, "µs", target: "(no target)")

    // Annotation: about 100 MB of advocate-style text against every term and alias.
    let paragraph = """
        On Monday the prosecutor told Ms. Example that the defendant asked for a continuance. The judge set a new date for the \
        arraignment and kept the no-contact order in place. Her advocate explained restitution and victim compensation, and \
        helped her write a victim impact statement before sentencing. The clerk mailed a copy to https://court.example/case.

        """
    var text = ""
    text.reserveCapacity(100 << 20)
    while text.utf8.count < 100 << 20 { text += paragraph }
    let annotator = Annotator(glossary: glossary, language: .en)
    // The median of several passes: this machine is shared and noisy.
    let passes = (0..<(onlyAnnotation ? 9 : 3)).map { _ in measure { _ = annotator.matches(in: text) } }.sorted()
    let elapsed = passes[passes.count / 2]
    if onlyAnnotation { print("  best pass \(String(format: "%.1f", Double(text.utf8.count) / 1e6 / passes[0])) MB/s") }
    let found = annotator.matches(in: text).count
    let megabytes = Double(text.utf8.count) / 1e6
    report("annotate: find terms in \(Int(megabytes)) MB, one core", megabytes / elapsed, "MB/s", target: ">= 100 MB/s")
    print("  (\(found) terms found)")
    try text.write(toFile: folder + "/advocate-annotate.txt", atomically: true, encoding: .utf8)
    var keys: Set<String> = []
    for entry in glossary.entries { for name in entry.names(in: .en) { keys.insert(Glossary.normalize(name)) } }
    try keys.sorted().joined(separator: "\n").write(toFile: folder + "/advocate-keys.txt", atomically: true, encoding: .utf8)
}

print("Advocate benchmarks (\(ProcessInfo.processInfo.activeProcessorCount) cores)")
if wanted("core") { try benchmarkCore() }
if wanted("send") { try benchmarkSend() }
if wanted("import") { try benchmarkImport() }
if wanted("agenda") { try benchmarkAgenda() }
if wanted("deadline") { try benchmarkDeadline() }
if chosen.contains("glossary") || chosen.isEmpty || chosen.contains("all") { try benchmarkGlossary() }
if wanted("forms") { try benchmarkForms() }

/// Fills the three-page benchmark letter and the 2,000-row table (Benchmarks/forms), the same
/// templates and data that Benchmarks/forms/docxtpl_anchor.py gives docxtpl.
func benchmarkForms() throws {
    let folder = workspace.root + "/Benchmarks/forms"
    let output = ProcessInfo.processInfo.environment["ADVOCATE_BENCH_DIR"] ?? NSTemporaryDirectory()
    let library = FormLibrary(workspace: workspace)
    let count = Int(ProcessInfo.processInfo.environment["ADVOCATE_BENCH_N"] ?? "") ?? 2_000
    let letterData = try DataFile.load(path: folder + "/letter.json")
    let environment = library.environment(data: letterData, now: start)
    var letter = try FormTemplate(path: folder + "/letter.docx")
    // Compile once, fill many: what a server or a batch does.
    var bytes = 0
    let warm = try letter.fill(environment)
    bytes = warm.count
    let filled = try measure {
        for index in 0..<count {
            let document = try letter.fill(environment)
            try Data(document).write(to: URL(fileURLWithPath: "\(output)/advocate-letter-\(index % 8).docx"))
        }
    }
    report("fill 3-page DOCX, compiled once, written", Double(count) / filled, "docs/s", target: ">= 500/s")
    report("  per document", filled / Double(count) * 1000, "ms", target: "")
    // Read, compile and fill every time: what one `advocate forms fill` does.
    let cold = try measure {
        for index in 0..<count / 4 {
            letter = try FormTemplate(path: folder + "/letter.docx")
            let document = try letter.fill(environment)
            try Data(document).write(to: URL(fileURLWithPath: "\(output)/advocate-letter-\(index % 8).docx"))
        }
    }
    report("read + compile + fill + write 3-page DOCX", cold / Double(count / 4) * 1000, "ms/doc", target: "")
    print("  (letter: \(bytes) bytes)")
    let table = try FormTemplate(path: folder + "/table.docx")
    let tableEnvironment = library.environment(data: try DataFile.load(path: folder + "/table.json"), now: start)
    var times: [Double] = []
    for _ in 0..<7 {
        times.append(try measure { _ = try table.fill(tableEnvironment) })
    }
    times.sort()
    report("2,000-row table loop (median of 7)", times[3] * 1000, "ms", target: "< 100 ms")
}
