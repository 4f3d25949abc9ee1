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
    public static func service(at start: LocalDateTime, workspace: Workspace = workspace) throws -> (CaseService, TestClock, String) {
        let folder = temporaryFolder()
        let path = folder + "/store.sqlite"
        let clock = TestClock(start)
        return (CaseService(workspace: workspace, store: try CaseStore(path: path), clock: clock.localClock), clock, path)
    }

    public static func date(_ text: String) -> CivilDate { CivilDate(iso: text)! }
    public static func time(_ text: String) -> LocalDateTime { LocalDateTime(iso: text)! }
}

/// A clock that stands still until the test moves it.
public final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: LocalDateTime) { current = LocalClock.instant(start, in: .current) }

    public var localClock: LocalClock { LocalClock { [self] in lock.withLock { current } } }

    public func set(_ time: LocalDateTime) { lock.withLock { current = LocalClock.instant(time, in: .current) } }

    public func advance(days: Int = 0, hours: Int = 0) {
        lock.withLock { current = current.addingTimeInterval(TimeInterval(days * 86_400 + hours * 3_600)) }
    }
}
