// Helpers for the web benchmark (Benchmarks/run-web-benchmark.sh), built in release:
//   AdvocateWebBench seed STORE [CASES] [ADVOCATES]   a store with fictional cases spread over advocates
//   AdvocateWebBench hello                              Hummingbird's hello-world route, the anchor
import Advocate
import AdvocateWeb
import Foundation
import Hummingbird

let arguments = Array(CommandLine.arguments.dropFirst())
let start = LocalDateTime(iso: "2026-11-19T09:00")!

/// Opens `count` cases on the shipped workflows, at different stages, and assigns them in turn
/// to `advocates` accounts named advocate-001… (password `benchmark password 1`).
func seed(store path: String, count: Int, advocates: Int) throws {
    let workspace = Workspace(root: try Workspace.locate())
    let service = CaseService(workspace: workspace, store: try CaseStore(path: path), clock: .fixed(start))
    let hash = Passwords.hash("benchmark password 1", cost: 4)
    let accounts = try service.store.write { tx in
        _ = try tx.addAccount(name: "supervisor", role: .supervisor, passwordHash: hash, language: "en")
        return try (1...advocates).map { try tx.addAccount(name: String(format: "advocate-%03d", $0), role: .advocate, passwordHash: hash, language: "en").id }
    }
    let first = ["Avery", "Jordan", "Rosa", "Lena", "Mina", "Sol", "Tess", "Ines"]
    let last = ["Fictional", "Madeup", "Example", "Invented", "Sample"]
    var opened: [String] = []
    for chunk in stride(from: 0, to: count, by: 1000) {
        var items: [CaseService.BatchItem] = []
        for i in chunk..<min(chunk + 1000, count) {
            let name = Value.string("\(first[i % first.count]) \(last[i % last.count]) \(i)")
            let reference = "c\(i)"
            switch i % 4 {
            case 0, 1:
                items.append(.open(workflow: "protective-order", values: ["client.name": name], reference: reference, at: nil))
                items.append(.event(caseId: reference, name: "petition_filed", payload: ["petition.ex_parte_requested": .bool(true)], at: nil))
                let hearing = LocalDateTime(date: CivilDate(dayNumber: start.date.dayNumber + 1 + i % 45), minuteOfDay: 9 * 60)
                items.append(.event(caseId: reference, name: "temporary_order_granted", payload: ["hearing.date": .dateTime(hearing)], at: nil))
            case 2:
                items.append(.open(workflow: "services", values: ["client.name": name], reference: reference, at: nil))
            default:
                items.append(.open(workflow: "criminal-case", values: ["client.name": name], reference: reference, at: nil))
            }
        }
        opened += try service.importBatch(items)
    }
    try service.store.write { tx in
        for (index, id) in opened.enumerated() { try tx.assignCase(id, to: accounts[index % accounts.count]) }
    }
    print("seeded \(opened.count) cases for \(advocates) advocates in \(path)")
}

switch arguments.first {
case "seed":
    guard arguments.count >= 2 else { fatalError("usage: AdvocateWebBench seed STORE [CASES] [ADVOCATES]") }
    try seed(store: arguments[1], count: arguments.count > 2 ? Int(arguments[2])! : 10_000, advocates: arguments.count > 3 ? Int(arguments[3])! : 100)
case "hello":
    let router = Router()
    router.get("/") { _, _ in "Hello, world!" }
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            FileHandle.standardOutput.write(Data("Hello is running at http://127.0.0.1:\(channel.localAddress?.port ?? 0)/\n".utf8))
        })
    try await app.runService()
default:
    fatalError("usage: AdvocateWebBench seed STORE [CASES] [ADVOCATES] | hello")
}
