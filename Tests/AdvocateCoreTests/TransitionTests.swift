import Foundation
import Testing
@testable import AdvocateCore

/// The pure transition on a small workflow written here, for cases no shipped workflow has.
@Suite("Transitions on a hand-made workflow")
struct TransitionTests {
    static let now = LocalDateTime(iso: "2026-11-19T09:00")!

    /// One track: `waiting` → `filed` → `heard`. Filing opens a step kept open into `heard` and
    /// one that is not; the filing event lists its date field twice, as a file may.
    static func machine() throws -> Machine {
        let definition = WorkflowDefinition(
            id: "hand-made", version: 1, title: "Hand-made", summary: "", calendar: nil,
            fields: [
                FieldDefinition(name: "client.name", kind: .string, type: .string, label: "Name", required: true),
                FieldDefinition(name: "filed.date", kind: .date, type: .date, label: "Filed"),
            ],
            events: [
                "file": EventDefinition(
                    name: "file", title: "Filed",
                    payload: [PayloadField(field: "filed.date", required: true), PayloadField(field: "filed.date", required: true)]),
                "hear": EventDefinition(name: "hear", title: "Heard", payload: []),
            ],
            tracks: [
                TrackDefinition(name: "court", title: "Court", start: "waiting", states: [
                    state("waiting", on: ["file": "filed"]),
                    state("filed", steps: ["serve", "copy"], on: ["hear": "heard"]),
                    state("heard", on: ["file": "filed"]),
                ])
            ],
            steps: [
                "serve": StepDefinition(
                    id: "serve", title: "Serve the papers", who: "advocate", due: try Expression("filed.date + 2 court days"),
                    keepOpen: .into(["heard"])),
                "copy": StepDefinition(id: "copy", title: "Give the client a copy", who: "advocate", due: try Expression("filed.date + 1 day")),
            ],
            reminders: [:], contentHash: "")
        return Machine(definition: definition, calendar: .usFederal)
    }

    /// A state of the hand-made workflows' one track, moving to `on[event]` when that event arrives.
    static func state(
        _ name: String, steps: [String] = [], onEnter: [EffectDefinition] = [], on moves: [String: String] = [:], timers: [TimerDefinition] = []
    ) -> StateDefinition {
        StateDefinition(
            name: name, title: name.capitalized, client: "", terminal: false, steps: steps, onEnter: onEnter,
            transitions: moves.mapValues { [TransitionDefinition(target: $0)] }, timers: timers)
    }

    /// A case opened and filed on Tuesday 2026-11-24.
    static func filedCase(_ machine: Machine) throws -> CaseState {
        var state = CaseState()
        _ = try machine.apply(.open(data: ["client.name": .string("Rowan Example")]), to: &state, now: now)
        _ = try machine.apply(.event(name: "file", payload: ["filed.date": .date(CivilDate(iso: "2026-11-24")!)]), to: &state, now: now)
        return state
    }

    @Test("a payload that lists a field twice fills it from the one value given")
    func payloadListingAFieldTwice() throws {
        let state = try Self.filedCase(try Self.machine())
        #expect(state.data["filed.date"] == .date(CivilDate(iso: "2026-11-24")!))
        #expect(state.tracks["court"] == "filed")
        // Two court days after Tuesday 2026-11-24, passing over Thanksgiving.
        #expect(state.items.first { $0.key == "serve" }?.due?.date == CivilDate(iso: "2026-11-27")!)
        #expect(state.items.first { $0.key == "serve" }?.due?.reasons.contains { $0.contains("Thanksgiving") } == true)
    }

    @Test("a step kept open follows its track, read back from storage or not; the others close")
    func keptOpenSteps() throws {
        let machine = try Self.machine()
        var state = try Self.filedCase(machine)
        // A state read back from storage carries no rules; they are found again by key.
        var stored = try JSONDecoder().decode(CaseState.self, from: JSONEncoder().encode(state))
        #expect(stored.items.allSatisfy { $0.rule == nil })
        for var copy in [state, stored] {
            _ = try machine.apply(.event(name: "hear", payload: [:]), to: &copy, now: Self.now)
            #expect(copy.items.map(\.key) == ["serve"])
            #expect(copy.items.first?.state == "heard")
            #expect(copy.items.first?.rule?.keepOpen == .into(["heard"]))
        }
        _ = try machine.apply(.event(name: "hear", payload: [:]), to: &stored, now: Self.now)
        _ = try machine.apply(.event(name: "hear", payload: [:]), to: &state, now: Self.now)
        #expect(stored == state)
    }

    /// A workflow whose one step and one reminder are both due at `due`, opened when `file`
    /// arrives, with a timer set for the same time.
    static func machine(due: String) throws -> Machine {
        let definition = WorkflowDefinition(
            id: "due-dates", version: 1, title: "Due dates", summary: "", calendar: nil,
            fields: [
                FieldDefinition(name: "filed.date", kind: .date, type: .date, label: "Filed"),
                FieldDefinition(name: "filed.at", kind: .datetime, type: .dateTime, label: "Filed at"),
            ],
            events: [
                "file": EventDefinition(
                    name: "file", title: "Filed",
                    payload: [PayloadField(field: "filed.date", required: false), PayloadField(field: "filed.at", required: false)])
            ],
            tracks: [
                TrackDefinition(name: "court", title: "Court", start: "waiting", states: [
                    state("waiting", on: ["file": "filed"]),
                    state("filed", steps: ["serve"], onEnter: [.remind("call")], timers: [TimerDefinition(id: "wake", at: try Expression(due), target: nil)]),
                ])
            ],
            steps: ["serve": StepDefinition(id: "serve", title: "Serve the papers", who: "advocate", due: try Expression(due))],
            reminders: ["call": ReminderDefinition(id: "call", who: "client", at: try Expression(due), text: "Call the client")],
            contentHash: "")
        return Machine(definition: definition, calendar: .usFederal)
    }

    /// A case of `machine(due:)` opened with no data and then filed with `payload`.
    static func opened(_ machine: Machine, filing payload: [String: Value]) throws -> CaseState {
        var state = CaseState()
        _ = try machine.apply(.open(data: [:]), to: &state, now: now)
        _ = try machine.apply(.event(name: "file", payload: payload), to: &state, now: now)
        return state
    }

    /// A transition counts `field ± period` and plain-field due dates and timers without evaluating
    /// them; what it finds must be what evaluating the expression gives, reasons and all, for steps
    /// (which roll off closed days), reminders (which do not) and timers (which do, and explain nothing).
    @Test(
        "due dates counted directly agree with evaluating their expressions",
        arguments: [
            "filed.date + 2 court days", "filed.date - 3 court days", "filed.date + 3 days", "filed.date - 1 day", "filed.date + 2 weeks",
            "filed.date + 1 month", "filed.at + 72 hours", "filed.at - 3 court days", "filed.at + 1 day", "filed.date", "filed.at",
            "today + 7 days", "now + 3 court days", "today",
        ])
    func directCountsAgreeWithEvaluation(due: String) throws {
        let machine = try Self.machine(due: due)
        // Wednesday before Thanksgiving 2026, and a Saturday afternoon.
        for payload: [String: Value] in [
            ["filed.date": .date(CivilDate(iso: "2026-11-25")!), "filed.at": .dateTime(LocalDateTime(iso: "2026-11-25T16:30")!)],
            ["filed.date": .date(CivilDate(iso: "2026-11-28")!), "filed.at": .dateTime(LocalDateTime(iso: "2026-11-28T13:00")!)],
        ] {
            let state = try Self.opened(machine, filing: payload)
            for (key, rolling) in [("serve", true), ("reminder:call", false)] {
                let item = try #require(state.items.first { $0.key == key })
                var env = Environment(data: state.data, calendar: .usFederal, now: Self.now)
                env.rollsDeadlines = rolling
                let expected = try Expression(due).evaluate(in: &env)
                switch expected {
                case .date(let date):
                    #expect(item.due?.moment == LocalDateTime(date: date) && item.due?.hasTime == false, "\(due) for \(key)")
                case .dateTime(let moment):
                    #expect(item.due?.moment == moment && item.due?.hasTime == true, "\(due) for \(key)")
                default:
                    Issue.record("\(due) gave \(expected)")
                }
                #expect(item.due?.reasons == env.reasons, "\(due) for \(key)")
            }
            var env = Environment(data: state.data, calendar: .usFederal, now: Self.now)
            env.explainsDeadlines = false
            switch try Expression(due).evaluate(in: &env) {
            case .date(let date): #expect(state.nextWake == LocalDateTime(date: date), "\(due) as a timer")
            case .dateTime(let moment): #expect(state.nextWake == moment, "\(due) as a timer")
            case let other: Issue.record("\(due) gave \(other)")
            }
        }
    }

    /// A payload default of the shape `field ± period` or `today ± period` is counted without
    /// evaluating it; the value set must be what evaluating it gives.
    @Test(
        "payload defaults counted directly agree with evaluating them",
        arguments: [
            "today", "now", "today + 7 days", "now + 3 court days", "today - 1 day", "filed.date + 1 month", "filed.date - 3 court days",
            "filed.at + 72 hours", "filed.date", "filed.date | default(today)",
        ])
    func payloadDefaultsAgreeWithEvaluation(fallback: String) throws {
        var definition = try Self.machine(due: "filed.date").definition
        definition.fields.append(FieldDefinition(name: "next.date", kind: .date, type: .date, label: "Next"))
        definition.events["file"]?.payload.append(PayloadField(field: "next.date", required: false, defaultValue: try Expression(fallback)))
        let machine = Machine(definition: definition, calendar: .usFederal)
        let payload: [String: Value] = ["filed.date": .date(CivilDate(iso: "2026-11-25")!), "filed.at": .dateTime(LocalDateTime(iso: "2026-11-28T13:00")!)]
        let state = try Self.opened(machine, filing: payload)
        var env = Environment(data: payload, calendar: .usFederal, now: Self.now)
        env.explainsDeadlines = false
        let expected = try Expression(fallback).evaluate(in: &env)
        #expect(!expected.isNull)
        #expect(state.data["next.date"] == expected, "\(fallback)")
    }

    @Test("a due date whose field holds no date is left unset, as evaluating it gives no date")
    func directCountsOnAFieldWithoutADate() throws {
        let machine = try Self.machine(due: "filed.date + 2 court days")
        let state = try Self.opened(machine, filing: ["filed.at": .dateTime(LocalDateTime(iso: "2026-11-25T16:30")!)])
        #expect(state.items.count == 2)
        #expect(state.items.allSatisfy { $0.due == nil })
    }

    /// Counting from a field that is unset (or set to null) gives null without evaluating, as
    /// evaluating gives: no due date on the step or reminder, no wake-up time, a null default.
    @Test(
        "due dates, timers and defaults on an unset field are null, as evaluating them gives",
        arguments: ["filed.date + 2 court days", "filed.at - 3 hours", "filed.date"])
    func unsetFieldsGiveNull(due: String) throws {
        // Unset, and set to null when the case opened (a payload's nulls are not stored).
        for opening: [String: Value] in [[:], ["filed.date": .null, "filed.at": .null]] {
            let machine = try Self.machine(due: due)
            var state = CaseState()
            _ = try machine.apply(.open(data: opening), to: &state, now: Self.now)
            #expect(opening.isEmpty || state.data["filed.date"] == .null)
            _ = try machine.apply(.event(name: "file", payload: [:]), to: &state, now: Self.now)
            #expect(state.items.count == 2)
            #expect(state.items.allSatisfy { $0.due == nil }, "\(due)")
            #expect(state.nextWake == nil, "\(due)")
        }
        var definition = try Self.machine(due: "filed.date").definition
        definition.fields.append(FieldDefinition(name: "next.date", kind: .date, type: .date, label: "Next"))
        definition.events["file"]?.payload.append(PayloadField(field: "next.date", required: false, defaultValue: try Expression(due)))
        let state = try Self.opened(Machine(definition: definition, calendar: .usFederal), filing: [:])
        #expect(state.data["next.date"] == nil)
    }

    /// A due date keeps its moment as minutes from the calendar's first day; before that day too.
    @Test("a moment kept as minutes reads back as itself", arguments: ["2026-11-19T09:00", "1970-01-01T00:00", "1969-12-31T23:59", "1900-03-01T12:30", "2100-12-31T23:59"])
    func momentsAsMinutes(iso: String) throws {
        let moment = try #require(LocalDateTime(iso: iso))
        #expect(LocalDateTime(totalMinutes: moment.totalMinutes) == moment)
        let due = DueDate(moment: moment, hasTime: true, reasons: ["counted by hand"])
        #expect(due.moment == moment)
    }

    @Test("a due date moved by hand keeps the reasons it was counted with")
    func dueDateMovedByHand() throws {
        let machine = try Self.machine(due: "filed.date + 2 court days")
        let state = try Self.opened(machine, filing: ["filed.date": .date(CivilDate(iso: "2026-11-25")!)])
        var due = try #require(state.items.first { $0.key == "serve" }?.due)
        let reasons = due.reasons
        #expect(!reasons.isEmpty)
        due.moment = LocalDateTime(iso: "2026-12-04T00:00")!
        due.hasTime = true
        #expect(due.reasons == reasons)
        #expect(due.iso == "2026-12-04T00:00")
    }

    /// `CaseService.replay` moves a state in memory from one version's machine to the next: an open
    /// item the new version does not declare must not keep the old version's rule.
    @Test("an item the new version does not declare drops the old version's rule")
    func itemsOfAnotherVersionDropTheirRule() throws {
        let state = try Self.filedCase(try Self.machine())
        #expect(state.items.first { $0.key == "copy" }?.rule != nil)
        let other = try Self.machine(due: "filed.date + 3 days")
        let carried = try other.recomputedFully(state, now: Self.now)
        let copy = try #require(carried.items.first { $0.key == "copy" })
        #expect(copy.rule == nil)
        #expect(copy.due == state.items.first { $0.key == "copy" }?.due)
        let serve = try #require(carried.items.first { $0.key == "serve" })
        #expect(serve.rule === other.plan.entries["serve"]?.rule)
        #expect(serve.due?.date == CivilDate(iso: "2026-11-27"))
    }
}
