import AdvocateCore
import AdvocateStore
import Foundation
import Testing
import TestSupport
@testable import Advocate

/// `advocate case import`: many inputs in one transaction, the same result as sending them one
/// by one, personal fields sealed, and nothing stored when one input is refused.
@Suite("Batch import")
struct ImportTests {
    let start = TestSupport.time("2026-11-19T09:00")

    /// Three cases opened in the batch, their inputs interleaved, and an event for a case already stored.
    func items(stored: String) -> [CaseService.BatchItem] {
        var items: [CaseService.BatchItem] = []
        for c in 0..<3 {
            items.append(.open(workflow: "protective-order", values: ["client.name": .string("Imported Client \(c)")], reference: "r\(c)", at: nil))
        }
        for i in 0..<4 {
            for c in 0..<3 { items.append(.event(caseId: "r\(c)", name: "client_moved", payload: ["client.phone": .string("555-01\(c)\(i)")], at: nil)) }
        }
        items.append(.event(caseId: "r1", name: "petition_filed", payload: ["petition.ex_parte_requested": .bool(true)], at: nil))
        items.append(.event(caseId: stored, name: "client_moved", payload: ["client.phone": .string("555-0199")], at: nil))
        items.append(.open(workflow: "services", values: ["client.name": .string("Unnamed Import")], reference: nil, at: nil))
        return items
    }

    @Test("an import ends where sending each input would, and seals personal fields")
    func importMatchesSending() throws {
        let (imported, _, path) = try TestSupport.service(at: start)
        let (sent, _, _) = try TestSupport.service(at: start)
        let storedInImport = try imported.open(workflow: "protective-order", fields: ["client.name": "Already Here"]).caseId
        let storedInSent = try sent.open(workflow: "protective-order", fields: ["client.name": "Already Here"]).caseId

        let batch = items(stored: storedInImport)
        let opened = try imported.importBatch(batch)
        #expect(opened == ["C-00002", "C-00003", "C-00004", "C-00005"])

        // The same inputs, one command each.
        var ids: [String: String] = [:]
        for item in items(stored: storedInSent) {
            switch item {
            case .open(let workflow, let values, let reference, _):
                ids[reference ?? "unnamed"] = try sent.open(try #require(sent.workspace.workflow(workflow)), values: values).caseId
            case .event(let caseId, let name, let payload, _):
                _ = try sent.send(ids[caseId] ?? caseId, event: name, payload: payload)
            case .done: Issue.record("no steps in this batch")
            }
        }
        for id in [storedInImport] + opened {
            let mine = try imported.cases().first { $0.id == id }
            let theirs = try sent.cases().first { $0.id == id }
            #expect(mine?.state == theirs?.state, "\(id)")
            #expect(try imported.history(id).map(\.input) == sent.history(id).map(\.input), "\(id)")
            #expect(try imported.replay(id) == mine?.state, "\(id)")
        }
        // Phone numbers and names are in the store only sealed.
        let raw = try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        let wal = (try? String(decoding: Data(contentsOf: URL(fileURLWithPath: path + "-wal")), as: UTF8.self)) ?? ""
        for secret in ["555-0123", "555-0199", "Imported Client 2", "Unnamed Import"] {
            #expect(!raw.contains(secret) && !wal.contains(secret), "\(secret)")
        }
    }

    @Test(
        "a refused input anywhere in the batch stores nothing",
        arguments: [
            CaseService.BatchItem.event(caseId: "r9", name: "client_moved", payload: [:], at: nil),
            .event(caseId: "r0", name: "order_renewed", payload: [:], at: nil),
            .open(workflow: "no-such-workflow", values: [:], reference: nil, at: nil),
            .open(workflow: "protective-order", values: ["client.name": .string("Twice")], reference: "r0", at: nil),
            // Times out of order: not yet happened, before the case was opened, before a stored case's last input.
            .event(caseId: "r0", name: "client_moved", payload: [:], at: TestSupport.time("2026-11-20T09:00")),
            .event(caseId: "r0", name: "client_moved", payload: [:], at: TestSupport.time("2026-11-19T08:59")),
            .event(caseId: "C-00001", name: "client_moved", payload: [:], at: TestSupport.time("2026-11-18T09:00")),
        ])
    func refusedInputStoresNothing(refused: CaseService.BatchItem) throws {
        let (service, _, _) = try TestSupport.service(at: start)
        let stored = try service.open(workflow: "protective-order", fields: ["client.name": "Already Here"]).caseId
        let before = try service.cases()
        let revision = try service.caseRevision()
        var batch = items(stored: stored)
        batch.insert(refused, at: 8)
        #expect(throws: AdvocateError.self) { try service.importBatch(batch) }
        #expect(try service.cases().map(\.version) == before.map(\.version))
        #expect(try service.caseRevision() == revision)
    }

    @Test func inputsComeInTheOrderTheyHappened() throws {
        let (service, _, _) = try TestSupport.service(at: start)
        let opened = try service.importBatch([
            .open(workflow: "protective-order", values: ["client.name": .string("Back Dated")], reference: "a", at: TestSupport.time("2026-11-17T10:00")),
            .event(caseId: "a", name: "client_moved", payload: ["client.phone": .string("555-0142")], at: TestSupport.time("2026-11-18T10:00")),
            .event(caseId: "a", name: "client_moved", payload: ["client.phone": .string("555-0143")], at: nil),
        ])
        #expect(try service.history(opened[0]).map(\.at.iso) == ["2026-11-17T10:00", "2026-11-18T10:00", "2026-11-19T09:00"])
        let refusals: [([CaseService.BatchItem], String)] = [
            (
                [.open(workflow: "services", values: ["client.name": .string("Too Soon")], reference: nil, at: TestSupport.time("2026-11-19T09:01"))],
                "item 1: 'at' 2026-11-19T09:01 has not happened yet (it is now 2026-11-19T09:00); an import records what has happened; nothing was imported"
            ),
            (
                [.event(caseId: opened[0], name: "client_moved", payload: [:], at: TestSupport.time("2026-11-18T09:00"))],
                "item 1: 'at' 2026-11-18T09:00 is before the case's previous input (2026-11-19T09:00); give a case's inputs in the order they happened; nothing was imported"
            ),
        ]
        for (batch, message) in refusals {
            #expect(throws: AdvocateError.self) { try service.importBatch(batch) }
            do { _ = try service.importBatch(batch) } catch { #expect(error.description == message) }
        }
    }
}
