import Foundation
import Testing
import TestSupport
@testable import AdvocateCore
import AdvocateFormat
import AdvocateStore

/// A small seeded generator, so a failing walk can be repeated.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A plausible value of a type, near `now`.
func sample(_ type: ValueType, now: LocalDateTime, using rng: inout SplitMix) -> Value {
    switch type {
    case .string, .any: return .string(["Dana Whitfield", "Ms. O'Hara & Sons", "Citación <pendiente>", "line one\nline \"two\"\t\\ \u{1}"].randomElement(using: &rng)!)
    case .enumeration(let values): return .string(values.randomElement(using: &rng)!)
    case .bool: return .bool(Bool.random(using: &rng))
    case .number: return .number(Double(Int.random(in: 0...20, using: &rng)))
    case .money: return .money(Int64.random(in: 0...500_000, using: &rng))
    case .date: return .date(now.date.adding(days: Int.random(in: -10...40, using: &rng)))
    case .dateTime: return .dateTime(LocalDateTime(date: now.date.adding(days: Int.random(in: -3...40, using: &rng)), minuteOfDay: 9 * 60))
    case .list(let element): return .list((0..<Int.random(in: 0...2, using: &rng)).map { _ in sample(element, now: now, using: &rng) })
    case .record(let members): return .record(members.mapValues { sample($0, now: now, using: &rng) })
    case .null, .period: return .null
    }
}

/// Walks a case through a workflow at random and returns the journal and final state.
func randomWalk(_ machine: Machine, seed: UInt64, steps: Int) -> (journal: [(input: CaseInput, at: LocalDateTime)], state: CaseState) {
    var rng = SplitMix(state: seed)
    var now = LocalDateTime(iso: "2026-11-19T09:00")!
    let definition = machine.definition
    var data: [String: Value] = [:]
    for field in definition.fields where field.required || Bool.random(using: &rng) {
        data[field.name] = sample(field.type, now: now, using: &rng)
    }
    var state = CaseState()
    var journal: [(input: CaseInput, at: LocalDateTime)] = []
    func attempt(_ input: CaseInput) {
        if (try? machine.apply(input, to: &state, now: now)) != nil { journal.append((input, now)) }
    }
    attempt(.open(data: data))
    for _ in 0..<steps where !state.closed {
        now = now.adding(minutes: Int.random(in: 0...(3 * 1440), using: &rng))
        switch Int.random(in: 0..<10, using: &rng) {
        case 0..<6:
            var names = Set(definition.events.filter(\.value.anytime).map(\.key))
            for track in definition.tracks {
                if let current = state.tracks[track.name], let s = track.state(current) { names.formUnion(s.transitions.keys) }
            }
            guard let name = names.sorted().randomElement(using: &rng), let event = definition.events[name] else { continue }
            var payload: [String: Value] = [:]
            for field in event.payload where field.required || Bool.random(using: &rng) {
                payload[field.field] = sample(definition.fieldTypes[field.field] ?? .any, now: now, using: &rng)
            }
            attempt(.event(name: name, payload: payload))
        case 6..<8:
            if let item = state.items.randomElement(using: &rng) { attempt(.completeStep(key: item.key)) }
        default:
            attempt(.tick)
        }
    }
    return (journal, state)
}

@Suite("Replaying a journal gives the same state")
struct ReplayTests {
    static let workflows = TestSupport.workspace.latestWorkflows.map(\.definition.id)

    @Test("Random walks on every shipped workflow replay exactly", arguments: workflows)
    func replay(workflow: String) throws {
        let workspace = TestSupport.workspace
        let machine = workspace.machine(for: try #require(workspace.workflow(workflow)).definition)
        var visited: Set<String> = []
        for seed in 1...60 as ClosedRange<UInt64> {
            let (journal, state) = randomWalk(machine, seed: seed, steps: 60)
            #expect(journal.count > 1)
            let replayed = try machine.replay(journal)
            #expect(replayed == state, "seed \(seed)")
            // Due dates recomputed only where their fields changed agree with computing them all again.
            if let last = journal.last?.at {
                #expect(try machine.recomputedFully(state, now: last) == state, "seed \(seed)")
            }
            // The stored forms, written directly, read back through Codable as the same values.
            for (input, _) in journal {
                #expect(try JSONDecoder().decode(CaseInput.self, from: Data(StateJSON.encode(input).utf8)) == input)
            }
            #expect(try JSONDecoder().decode(CaseState.self, from: Data(StateJSON.encode(state).utf8)) == state, "seed \(seed)")
            // A state read back from storage before every input (its items without their rules, its
            // data not laid out) goes on exactly as the one kept in memory.
            var stored = CaseState()
            for (input, at) in journal {
                stored = try JSONDecoder().decode(CaseState.self, from: Data(StateJSON.encode(stored).utf8))
                _ = try machine.apply(input, to: &stored, now: at)
            }
            #expect(stored == state, "seed \(seed)")
            for (track, name) in state.tracks { visited.insert("\(track)/\(name)") }
        }
        // The walks get past the start of every track.
        let starts = Set(machine.definition.tracks.map { "\($0.name)/\($0.start)" })
        #expect(!visited.subtracting(starts).isEmpty)
    }
}
