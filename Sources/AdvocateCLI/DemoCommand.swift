import Advocate
import ArgumentParser
import Foundation

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Walk a fictional client through the protective-order workflow on a fresh store, then print the agenda.")
    @Option(help: "The project folder (default: found from here).") var home: String?
    @Option(help: "Keep the demo store at this path (default: a new temporary file).") var store: String?

    func run() throws {
        try Output.run {
            throw AdvocateError("demo is not ready yet")
        }
    }
}
