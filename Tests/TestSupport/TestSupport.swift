import Foundation
public import Advocate

/// Paths and helpers shared by the test targets.
public enum TestSupport {
    /// The repository root, found from this file's path.
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// A new empty folder under the system temporary folder.
    public static func temporaryFolder(_ name: String = "advocate-test") -> String {
        let path = NSTemporaryDirectory() + "\(name)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

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
