import ArgumentParser
import Testing
@testable import AdvocateCLI

@Suite("The command tree")
struct CommandTreeTests {
    /// A command without its own name is named from its type at every start, through the
    /// runtime's scan of the binary's protocol conformances (see `AdvocateCommand`).
    @Test("Every command names itself")
    func everyCommandNamesItself() {
        var unnamed: [String] = []
        var named = 0
        func visit(_ command: any ParsableCommand.Type, under path: String) {
            guard let name = command.configuration.commandName else {
                unnamed.append("\(path) \(command)")
                return
            }
            named += 1
            for subcommand in command.configuration.subcommands { visit(subcommand, under: path + " " + name) }
        }
        visit(AdvocateCommand.self, under: "")
        #expect(unnamed.isEmpty, "commands without commandName: \(unnamed)")
        #expect(named > 40)
    }
}
