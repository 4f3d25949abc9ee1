import Foundation
import Testing
import TestSupport
import Advocate

/// Runs the built `advocate` binary as a user would.
struct CLI {
    static let binary: String = {
        let bundle = Bundle.main.bundleURL
        let candidates = [bundle.appendingPathComponent("advocate").path, bundle.deletingLastPathComponent().appendingPathComponent("advocate").path, TestSupport.root + "/.build/debug/advocate"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

    var store: String
    var now = "2026-11-19T09:00"

    init() { store = TestSupport.temporaryFolder("advocate-cli") + "/store.sqlite" }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    @discardableResult
    func run(_ arguments: [String], withStore: Bool = true, environment extra: [String: String] = [:], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments + (withStore ? ["--store", store, "--home", TestSupport.root] : [])
        var environment = ProcessInfo.processInfo.environment
        environment["ADVOCATE_NOW"] = now
        environment["ADVOCATE_STORE"] = nil
        environment["ADVOCATE_HOME"] = nil
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        try process.run()
        if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
        try inPipe.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    func json(_ arguments: [String]) throws -> Any {
        let result = try run(arguments + ["--json"])
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    func storeBytes() -> Data { FileManager.default.contents(atPath: store) ?? Data() }
}

@Suite("The advocate command, end to end", .serialized)
struct CommandLineTests {
    @Test("case import stores a file of inputs, or names the broken line and stores nothing")
    func importFromAFile() throws {
        let cli = CLI()
        let folder = (cli.store as NSString).deletingLastPathComponent
        let good = folder + "/cases.jsonl"
        try """
            {"open": "protective-order", "ref": "a", "set": {"client.name": "Noor Imagined"}, "at": "2026-11-18T15:00"}
            {"case": "a", "event": "petition_filed", "set": {"petition.ex_parte_requested": true}, "at": "2026-11-19T08:30"}
            {"case": "a", "event": "client_moved", "set": {"client.phone": "555-0142"}}

            """.write(toFile: good, atomically: true, encoding: .utf8)
        let imported = try cli.run(["case", "import", good])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("Imported 3 items; opened 1 case."))
        let shown = try cli.run(["case", "show", "C-00001"])
        #expect(shown.stdout.contains("ex_parte"))

        let broken = folder + "/broken.jsonl"
        try """
            {"case": "C-00001", "event": "client_moved", "set": {"client.phone": "555-0143"}}
            {"case": "C-00001", "event": "client_moved", "set": {"client.phone":
            """.write(toFile: broken, atomically: true, encoding: .utf8)
        let refused = [broken + ":2:1: error: not a JSON object"]
        let before = cli.storeBytes()
        let result = try cli.run(["case", "import", broken])
        #expect(result.status != 0)
        #expect(refused.allSatisfy { result.stderr.contains($0) }, "\(result.stderr)")
        #expect(cli.storeBytes() == before)

        // Each refusal names its line (blank lines count) and the column of the key at fault;
        // nothing is stored, and the client's name on the line is not shown.
        let cases: [(String, String)] = [
            (#"{"open": "protective-order", "sett": {"client.name": "Noor Imagined"}}"#, ":3:30: error: unknown key 'sett' in a line with \"open\" (did you mean 'set'?)"),
            (#"{"open": "protective-order", "set": {"client.nam": "Noor Imagined"}}"#, ":3:38: error: workflow 'protective-order' has no field 'client.nam' (did you mean 'client.name'?)"),
            (#"{"case": "C-00001", "event": "petition_filed", "at": "tomorrow"}"#, ":3:48: error: 'at' must be a local time written YYYY-MM-DDTHH:MM"),
            (#"{"case": "C-00001", "event": "order_renewed", "set": {}}"#, ":3:1: error: event 'order_renewed' is not allowed now"),
            (#"{"case": "C-00001", "evnt": "petition_filed"}"#, ":3:21: error: each line needs \"open\", or \"case\" with \"event\" or \"done\" (did you mean 'event'?)"),
            (#"{"case": "C-00001", "event": "client_moved", "at": "2026-11-19T09:30"}"#, ":3:46: error: 'at' 2026-11-19T09:30 has not happened yet (it is now 2026-11-19T09:00)"),
        ]
        for (line, expected) in cases {
            let file = folder + "/refused.jsonl"
            try (#"{"case": "C-00001", "event": "client_moved", "set": {"client.phone": "555-0144"}}"# + "\n\n" + line + "\n").write(toFile: file, atomically: true, encoding: .utf8)
            let refusedLine = try cli.run(["case", "import", file])
            #expect(refusedLine.status == 1)
            #expect(refusedLine.stderr.hasPrefix(file + expected), "\(refusedLine.stderr)")
            #expect(!refusedLine.stderr.contains("error: error") && !refusedLine.stderr.contains("Noor"))
            #expect(cli.storeBytes() == before)
        }
    }

    @Test func deadlineExplainsItself() throws {
        let cli = CLI()
        let text = try cli.run(["deadline", "--from", "2026-11-19", "--days", "7"], withStore: false)
        #expect(text.status == 0)
        #expect(text.stdout == """
            Friday 2026-11-27
              7 days after 2026-11-19
              Thursday 2026-11-26 is a legal holiday (Thanksgiving Day); moved forward to Friday 2026-11-27

            """)
        let json = try cli.run(["deadline", "--from", "2026-11-19", "--days", "7", "--calendar", "example-state", "--home", TestSupport.root, "--json"], withStore: false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["deadline"] as? String == "2026-11-30")
        let hours = try cli.run(["deadline", "--from", "2026-12-23T17:00", "--hours", "48", "--json"], withStore: false)
        #expect(hours.stdout.contains("\"deadline\" : \"2026-12-28T17:00\""))
        let bad = try cli.run(["deadline", "--from", "2026-02-30", "--days", "3"], withStore: false)
        #expect(bad.status == 1)
        #expect(bad.stderr == "error: --from must be a date written YYYY-MM-DD (or YYYY-MM-DDTHH:MM with --hours)\n")
    }

    @Test func aCaseFromOpeningToTheAgenda() throws {
        var cli = CLI()
        let opened = try cli.run(["case", "open", "protective-order", "--set", "client.name=Dana Whitfield", "--set", "client.safe_address=PO Box 4471"])
        #expect(opened.status == 0, "\(opened.stderr)")
        #expect(opened.stdout == "C-00001\n")
        // Only its owner can read the store, as only its owner can read the key file.
        let permissions = try FileManager.default.attributesOfItem(atPath: cli.store)[.posixPermissions] as? Int
        #expect(permissions.map { $0 & 0o077 } == 0)
        cli.now = "2026-11-20T10:00"
        #expect(try cli.run(["case", "send", "C-00001", "petition_filed", "--set", "petition.ex_parte_requested=true"]).status == 0)
        let granted = try cli.run(["case", "send", "C-00001", "temporary_order_granted", "--set", "hearing.date=2026-12-03T09:00"])
        #expect(granted.stdout.contains("C-00001 is now at court: temporary_order, safety: assessment"), "\(granted.stdout)\(granted.stderr)")

        let show = try cli.run(["case", "show", "C-00001"])
        #expect(show.stdout.contains("Safe mailing address: [confidential safe address: locked]"))
        #expect(!show.stdout.contains("PO Box 4471"))
        let unlocked = try cli.run(["case", "show", "C-00001", "--unlock-safe-address"])
        #expect(unlocked.stdout.contains("PO Box 4471"))
        // Scripts get the court dates the text shows.
        let shownJSON = try #require(try cli.json(["case", "show", "C-00001"]) as? [String: Any])
        let courtDates = try #require(shownJSON["court_dates"] as? [[String: Any]])
        #expect(courtDates.map { $0["field"] as? String } == ["hearing.date"])
        #expect(courtDates.first?["date"] as? String == "2026-12-03T09:00")
        #expect(show.stdout.contains("2026-12-03T09:00  Full hearing"))

        let agenda = try #require(try cli.json(["agenda", "--from", "2026-11-20", "--days", "30"]) as? [[String: Any]])
        let court = try #require(agenda.first { $0["kind"] as? String == "court-date" })
        #expect(court["due"] as? String == "2026-12-03T09:00")
        #expect(court["case"] as? String == "C-00001")
        let dues = agenda.compactMap { $0["due"] as? String }.map { String($0.prefix(10)) }
        #expect(dues == dues.sorted())

        let history = try cli.run(["case", "history", "C-00001"])
        #expect(history.stdout.split(separator: "\n").count == 3)
        #expect(!history.stdout.contains("Dana"))

        let ics = try cli.run(["calendar", "--case", "C-00001"])
        #expect(ics.stdout.contains("UID:C-00001-court:hearing.date@advocate.local"))
        // Every case: the same events, and the count said is the count written.
        let file = TestSupport.temporaryFolder() + "/cases.ics"
        let written = try cli.run(["calendar", "-o", file])
        let all = try String(contentsOfFile: file, encoding: .utf8)
        let events = all.components(separatedBy: "BEGIN:VEVENT").count - 1
        #expect(events > 3)
        #expect(all.contains("UID:C-00001-court:hearing.date@advocate.local"))
        #expect(written.stdout == "Wrote \(events) events to \(file)\n")
        let list = try cli.run(["case", "list"])
        #expect(list.stdout.hasPrefix("C-00001  protective-order v3"))
    }

    @Test("Bad input: one line on stderr, exit 1, store unchanged", arguments: [
        (["case", "show", "C-00042"], "error: no case 'C-00042' in this store; 'advocate case list' shows the cases\n"),
        (["case", "send", "C-00001", "order_renewed"], "error: event 'order_renewed' is not allowed now: court is at 'intake', safety is at 'assessment'\n"),
        (["case", "send", "C-00001", "petition_filed", "--set", "petition.ex_parte_requested=perhaps"], "error: 'petition.ex_parte_requested' must be true or false (or yes or no)\n"),
        (["case", "send", "C-00001", "temporary_order_granted", "--set", "hearing.date=2026-12-03"], "error: 'hearing.date' must be a date and time written YYYY-MM-DDTHH:MM, such as 2026-12-07T09:00\n"),
        (["case", "open", "protective-order", "--set", "client.name=  "], "error: 'client.name' is required to open a protective-order case\n"),
        (["case", "send", "C-00001", "temporary_order_granted", "--set", "hearing.date=2026-02-30T09:00"], "error: 'hearing.date' is not a day on the calendar (check the month and the day)\n"),
        (["case", "send", "C-00001", "temporary_order_granted", "--set", "hearing.date=0026-12-03T09:00"], "error: 'hearing.date' must be a date between 1900 and 2199\n"),
        (["case", "send", "C-00001", "service_attempt_failed", "--set", "service.attempts=0x10"], "error: 'service.attempts' must be a number written with digits, such as 3 or 2.5\n"),
        (["case", "send", "C-00001", "petition_filed", "--set", "petition.ex_parte_requested=true", "--set", "petition.filed=12/01/2026"], "error: 'petition.filed' must be a date written YYYY-MM-DD\n"),
        (["case", "open", "protective-order"], "error: 'client.name' is required to open a protective-order case\n"),
        (["case", "open", "protective-order", "--set", "client.nam=Dana"], "error: workflow 'protective-order' has no field 'client.nam' (did you mean 'client.name'?)\n"),
        (["agenda", "--from", "tomorrow"], "error: --from must be a date written YYYY-MM-DD\n"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let cli = CLI()
        #expect(try cli.run(["case", "open", "protective-order", "--set", "client.name=Dana Whitfield"]).status == 0)
        let before = cli.storeBytes()
        let result = try cli.run(arguments)
        #expect(result.status == 1)
        #expect(result.stderr == message)
        #expect(result.stdout.isEmpty)
        #expect(cli.storeBytes() == before)
    }

    @Test func storesThatAreNotStores() throws {
        let cli = CLI()
        let folder = TestSupport.temporaryFolder()
        let notADatabase = folder + "/notes.txt"
        let content = Data("Dear diary, these are not SQLite pages.\n".utf8)
        _ = FileManager.default.createFile(atPath: notADatabase, contents: content)
        let result = try cli.run(["case", "list", "--store", notADatabase, "--home", TestSupport.root], withStore: false)
        #expect(result.status == 1)
        #expect(result.stderr == "error: \(notADatabase) is not an Advocate store (not a SQLite database); give another --store path\n")
        #expect(FileManager.default.contents(atPath: notADatabase) == content)
        let missing = try cli.run(["case", "list", "--store", folder + "/no/such/folder/store.sqlite", "--home", TestSupport.root], withStore: false)
        #expect(missing.status == 1)
        #expect(missing.stderr == "error: the folder for the store does not exist: \(folder)/no/such/folder; create it first\n")
        // A command about one case, on a store that does not exist yet: the case is unknown, and no empty store is left behind.
        let notYet = folder + "/not-yet.sqlite"
        for command in [["case", "show", "C-00001"], ["case", "send", "C-00001", "client_moved"], ["case", "history", "C-00001"]] {
            let result = try cli.run(command + ["--store", notYet, "--home", TestSupport.root], withStore: false)
            #expect(result.status == 1)
            #expect(result.stderr == "error: no case 'C-00001' in this store; 'advocate case list' shows the cases\n")
            #expect(!FileManager.default.fileExists(atPath: notYet))
        }
    }

    @Test func malformedWorkflowsAreReportedWithTheirLine() throws {
        let cli = CLI()
        let root = TestSupport.temporaryFolder("advocate-project")
        try FileManager.default.createDirectory(atPath: root + "/Workflows", withIntermediateDirectories: true)
        let file = root + "/Workflows/broken.yaml"
        try "id: broken\nversion: 1\ntitle: [Broken\nsummary: x\n".write(toFile: file, atomically: true, encoding: .utf8)
        let check = try cli.run(["workflows", "check", "--home", root], withStore: false)
        #expect(check.status == 1)
        let first = try #require(check.stderr.split(separator: "\n").first)
        #expect(first.hasPrefix("\(file):4:"))
        #expect(first.contains(": error: YAML syntax"))
        #expect(check.stdout == "0 workflow files checked: 1 error, 0 warnings\n")
        // An existing store is left exactly as it was.
        #expect(try cli.run(["case", "list", "--store", cli.store, "--home", root], withStore: false).status == 0)
        let before = cli.storeBytes()
        #expect(!before.isEmpty)
        let open = try cli.run(["case", "open", "broken", "--store", cli.store, "--home", root], withStore: false)
        #expect(open.status == 1)
        #expect(open.stderr.hasPrefix("\(file):4:"))
        #expect(open.stderr.contains("\n  title: [Broken") || open.stderr.contains("\nsummary: x\n"))
        #expect(cli.storeBytes() == before)
    }

    @Test func twoTemplatesWithOneNameAreAnError() throws {
        let root = TestSupport.temporaryFolder("advocate-project")
        for folder in ["/Forms", "/Workflows"] { try FileManager.default.createDirectory(atPath: root + folder, withIntermediateDirectories: true) }
        for name in ["safety-plan.docx", "safety-plan.odt", "letter.html"] {
            try FileManager.default.copyItem(atPath: TestSupport.root + "/Forms/safety-plan.odt", toPath: root + "/Forms/" + name)
        }
        let check = try CLI().run(["workflows", "check", "--home", root], withStore: false)
        #expect(check.status == 1)
        #expect(check.stderr.hasPrefix("\(root)/Forms/safety-plan.odt:1:1: error: another template is also named 'safety-plan' (safety-plan.docx)"))
        #expect(!check.stderr.contains("letter"))
    }

    @Test func shippedWorkflowsPassTheCheck() throws {
        // A file named another way than the project names it is the same file, not a second version 1.
        let roundabout = TestSupport.root + "/Workflows/../Workflows/./services.yaml"
        let one = try CLI().run(["workflows", "check", roundabout, "--home", TestSupport.root], withStore: false)
        #expect(one.status == 0, "\(one.stderr)")
        let result = try CLI().run(["workflows", "check", "--home", TestSupport.root], withStore: false)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix(": 0 errors, 0 warnings\n"))
        let mermaid = try CLI().run(["workflows", "show", "services", "--format", "mermaid", "--home", TestSupport.root], withStore: false)
        #expect(mermaid.stdout.hasPrefix("stateDiagram-v2\n"))
        let dot = try CLI().run(["workflows", "show", "protective-order", "--format", "dot", "--home", TestSupport.root], withStore: false)
        #expect(dot.stdout.contains("subgraph \"cluster_court\""))
        // The outline also lists what a state accepts without moving, and what any open case accepts.
        let outline = try CLI().run(["workflows", "show", "protective-order", "--home", TestSupport.root], withStore: false)
        #expect(outline.stdout.contains("    service_attempt_failed (stays)\n"))
        #expect(outline.stdout.contains("Any time the case is open: client_moved, full_hearing_set, hearing_continued, order_violated\n"))
    }

    @Test func explainingTerms() throws {
        let cli = CLI()
        let typo = try cli.run(["explain", "subpena", "--home", TestSupport.root], withStore: false)
        #expect(typo.status == 0)
        #expect(typo.stdout.hasPrefix("Showing 'subpoena' for 'subpena'.\nsubpoena ("))
        let spanish = try cli.run(["explain", "citacion", "--lang", "es", "--json", "--home", TestSupport.root], withStore: false)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(spanish.stdout.utf8)) as? [String: Any])
        #expect((object["es"] as? [String: Any])?["term"] as? String == "citación")
        let unknown = try cli.run(["explain", "xyzzy", "--home", TestSupport.root], withStore: false)
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: no term 'xyzzy' in the glossary; try 'advocate glossary search xyzzy'\n")
        let stats = try cli.run(["glossary", "stats", "--json", "--home", TestSupport.root], withStore: false)
        let numbers = try #require(try JSONSerialization.jsonObject(with: Data(stats.stdout.utf8)) as? [String: Any])
        #expect((numbers["terms"] as? Int ?? 0) >= 300)
    }

    @Test func demoPrintsTheAgenda() throws {
        // Started the Sunday before Thanksgiving, the respondent is served the day before it.
        let result = try CLI().run(["demo", "--home", TestSupport.root], withStore: false, environment: ["ADVOCATE_NOW": "2026-11-22T08:00"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Opened C-00001."))
        #expect(result.stdout.contains("COURT 09:00 Full hearing"))
        #expect(!result.stdout.contains("PO Box 4471"))
        // The agenda says what a date was counted from, not only which days were skipped.
        let agenda = try #require(result.stdout.components(separatedBy: "Agenda ").last)
        #expect(agenda.hasPrefix("2026-11-25 to 2026-12-15"))
        #expect(agenda.contains("""
              C-00001  Make sure proof of service is filed with the court · advocate · protective-order
                       1 court day after 2026-11-25
                       not counted: 2026-11-26
            """))
    }

    @Test("Killing the process mid-write loses nothing committed and corrupts nothing")
    func killedWriters() throws {
        let cli = CLI()
        #expect(try cli.run(["case", "open", "protective-order", "--set", "client.name=Dana Whitfield"]).status == 0)
        var rng = SystemRandomNumberGenerator()
        for round in 0..<40 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = ["case", "send", "C-00001", "client_moved", "--set", "client.phone=555-01\(round)", "--store", cli.store, "--home", TestSupport.root]
            process.environment = ["ADVOCATE_NOW": "2026-11-19T10:00", "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            usleep(UInt32.random(in: 0...60_000, using: &rng))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        let store = try CaseStore(path: cli.store)
        #expect(try store.integrityCheck() == "ok")
        let service = CaseService(workspace: TestSupport.workspace, store: store, clock: .fixed(TestSupport.time("2026-11-19T11:00")))
        let details = try service.details("C-00001")
        let journal = try service.history("C-00001")
        #expect(journal.map(\.sequence) == Array(1...journal.count))
        #expect(details.stored.version == journal.count)
        #expect(try service.replay("C-00001") == details.stored.state)
    }
}

/// Filling forms from the command line, as an advocate would.
struct FormsCommandTests {
    @Test func fillsFromADataFileAndRefusesMissingValuesWithoutWritingAnything() throws {
        let cli = CLI()
        let folder = TestSupport.temporaryFolder("advocate-forms")
        let fixture = TestSupport.root + "/Tests/Fixtures/forms/referral-letter-shelter.yaml"
        let ok = try cli.run(["forms", "fill", "referral-letter-shelter", "--data", fixture, "-o", folder + "/letter.docx"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/letter.docx"))

        try "client:\n  name: Ana\n".write(toFile: folder + "/thin.yaml", atomically: true, encoding: .utf8)
        let missing = try cli.run(["forms", "fill", "court-date-notice-en", "--data", folder + "/thin.yaml", "-o", folder + "/notice.html"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("missing values: ") && missing.stderr.contains("hearing.date") && !missing.stderr.contains("client.name"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/notice.html"))

        let marked = try cli.run(["forms", "fill", "court-date-notice-en", "--data", folder + "/thin.yaml", "-o", folder + "/notice.html", "--allow-missing"])
        #expect(marked.status == 0)
        #expect(try String(contentsOfFile: folder + "/notice.html", encoding: .utf8).contains("[missing: hearing.date]"))

        let wrongKind = try cli.run(["forms", "fill", "safety-plan", "--data", fixture, "-o", folder + "/plan.docx"])
        #expect(wrongKind.status == 1)
        #expect(wrongKind.stderr.contains("name the output .odt"))
    }

    @Test func explainsTermsAndConvertsToPDF() throws {
        let cli = CLI()
        let folder = TestSupport.temporaryFolder("advocate-forms")
        let fixtures = TestSupport.root + "/Tests/Fixtures/forms/"
        let html = try cli.run(["forms", "fill", "court-date-notice-es", "--data", fixtures + "court-date-notice-es.yaml", "-o", folder + "/aviso.html", "--explain-terms", "--lang", "es"])
        #expect(html.status == 0, "\(html.stderr)")
        let page = try String(contentsOfFile: folder + "/aviso.html", encoding: .utf8)
        #expect(page.contains("Palabras que conviene saber") && page.contains("<dfn"))
        let odt = try cli.run(["forms", "fill", "safety-plan", "--data", fixtures + "safety-plan.yaml", "-o", folder + "/plan.odt", "--explain-terms"])
        #expect(odt.status == 0, "\(odt.stderr)")
        let package = try OfficePackage(path: folder + "/plan.odt")
        #expect(String(decoding: try #require(package.data("content.xml")), as: UTF8.self).contains("Words to know"))
        #expect(package.parts.first?.path == "mimetype")
        // An English form can carry its explanations in Spanish.
        let spanish = try cli.run(["forms", "fill", "safety-plan", "--data", fixtures + "safety-plan.yaml", "-o", folder + "/plan-es.odt", "--explain-terms", "--lang", "es"])
        #expect(spanish.status == 0, "\(spanish.stderr)")
        let spanishPackage = try OfficePackage(path: folder + "/plan-es.odt")
        #expect(String(decoding: try #require(spanishPackage.data("content.xml")), as: UTF8.self).contains("Palabras que conviene saber"))

        let noOffice = try cli.run(["forms", "fill", "safety-plan", "--data", fixtures + "safety-plan.yaml", "-o", folder + "/plan.pdf", "--pdf"], environment: ["PATH": "/nonexistent"])
        #expect(noOffice.status == 1)
        #expect(noOffice.stderr.contains("making PDF files needs LibreOffice") && noOffice.stderr.contains("apt-get install libreoffice-writer-nogui"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/plan.pdf"))
    }

    @Test func aDamagedTemplateIsRefusedAndNothingIsWritten() throws {
        let cli = CLI()
        let folder = TestSupport.temporaryFolder("advocate-forms")
        try Data("PK\u{3}\u{4} not really a zip".utf8).write(to: URL(fileURLWithPath: folder + "/damaged.docx"))
        let result = try cli.run(["forms", "fill", folder + "/damaged.docx", "--data", TestSupport.root + "/Tests/Fixtures/forms/safety-plan.yaml", "-o", folder + "/out.docx"])
        #expect(result.status == 1)
        #expect(result.stderr == "error: damaged.docx is not a ZIP package (DOCX and ODT files are); it may be damaged or another kind of file\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/out.docx"))
    }

    @Test func listsChecksAndInventoriesTemplates() throws {
        let cli = CLI()
        let list = try cli.run(["forms", "list"])
        #expect(list.stdout.contains("protective-order-petition") && list.stdout.contains("protective-order"))
        let check = try cli.run(["forms", "check"])
        #expect(check.status == 0, "\(check.stderr)")
        let fields = try cli.run(["forms", "fields", "protective-order-petition"])
        #expect(fields.stdout.contains("court.case_number") && fields.stdout.contains("a header (header1.xml)"))

        let folder = TestSupport.temporaryFolder("advocate-forms")
        try "<p>{{ client.name | upper }}</p>\n<p>{{ hearing.date | dte }}</p>\n{% if x %}".write(toFile: folder + "/broken.html", atomically: true, encoding: .utf8)
        let broken = try cli.run(["forms", "check", folder + "/broken.html"])
        #expect(broken.status == 1)
        #expect(broken.stderr.contains("broken.html:3:1: error: this 'if' has no 'endif' in the same template"))
        #expect(broken.stderr.contains("broken.html:2:7: error: unknown filter 'dte' (did you mean 'date'?)"))
    }

    @Test func reachingAStateFillsItsPaperworkAndKeepsItWithTheCase() throws {
        let cli = CLI()
        let opened = try cli.run(["case", "open", "services", "--set", "client.name=Ana María Núñez", "--set", "client.consent_to_share=true"])
        #expect(opened.status == 0, "\(opened.stderr)")
        let id = String(opened.stdout.split(separator: "\n")[0])
        let sent = try cli.run(["case", "send", id, "shelter_needed", "--set", "shelter.needed_by=2026-11-25"])
        #expect(sent.status == 0, "\(sent.stderr)")
        #expect(sent.stdout.contains("filled referral-letter-shelter.docx as document 1"))
        let folder = TestSupport.temporaryFolder("advocate-docs")
        let export = try cli.run(["case", "documents", id, "--export", folder])
        #expect(export.status == 0)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/1-referral-letter-shelter.docx"))
        let package = try OfficePackage(data: bytes, name: "letter")
        #expect(String(decoding: package.data("word/document.xml")!, as: UTF8.self).contains("Ana María Núñez"))
        let listing = try cli.run(["case", "documents", id, "--json"])
        #expect(listing.stdout.contains("\"sha256\""))
    }
}
