import Foundation
public import Advocate

/// This test run's temporary folder (a global, so the exit handler can reach it without capturing).
let testRunFolder = NSTemporaryDirectory() + "advocate-tests-\(getpid())"

/// Paths and helpers shared by the test targets.
public enum TestSupport {
    /// The repository root, found from this file's path.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A new empty folder, inside one folder for this test run that is removed when the run ends.
    public static func temporaryFolder(_ name: String = "advocate-test") -> String {
        let path = runFolder + "/\(name)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Where this run's temporary folders go; created once, and removed at exit.
    static let runFolder: String = {
        let path = testRunFolder
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: testRunFolder) }
        return path
    }()

    /// The project workspace with the shipped workflows, calendars and glossary.
    public static let workspace = Workspace(root: root)

    /// A case service on a fresh store in a temporary folder, with a clock the test controls.
    public static func service(at start: LocalDateTime, workspace: Workspace = workspace) throws -> (CaseService, ManualClock, String) {
        let folder = temporaryFolder()
        let path = folder + "/store.sqlite"
        let clock = ManualClock(start)
        return (CaseService(workspace: workspace, store: try CaseStore(path: path), clock: clock.localClock), clock, path)
    }

    public static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }
    public static func time(_ text: String) -> LocalDateTime { LocalDateTime(iso: text)! }
}
