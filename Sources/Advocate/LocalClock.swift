public import Foundation
public import AdvocateCore

/// Where the interpreter gets the time. Tests and `ADVOCATE_NOW` inject a fixed one.
public struct LocalClock: Sendable {
    public var now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) { self.now = now }

    public static let system = LocalClock { Date() }

    /// A clock stopped at a local time in `timeZone`.
    public static func fixed(_ time: LocalDateTime, timeZone: TimeZone = .current) -> LocalClock {
        let date = LocalClock.instant(time, in: timeZone)
        return LocalClock { date }
    }

    /// The current local time on a court calendar's time zone (or this machine's).
    public func localNow(timeZone identifier: String?) -> LocalDateTime {
        LocalClock.local(now(), in: identifier.flatMap(TimeZone.init(identifier:)) ?? .current)
    }

    public static func local(_ date: Date, in timeZone: TimeZone) -> LocalDateTime {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        let day = CivilDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? CivilDate(dayNumber: 0)
        return LocalDateTime(date: day, minuteOfDay: (parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    public static func instant(_ time: LocalDateTime, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let (y, m, d) = time.date.parts
        let components = DateComponents(year: y, month: m, day: d, hour: time.minuteOfDay / 60, minute: time.minuteOfDay % 60)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }
}

/// A clock that stands still until it is moved: the demo walks a case through days with it, and
/// tests use it to inject time.
public final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    public init(_ start: LocalDateTime, timeZone: TimeZone = .current) { current = LocalClock.instant(start, in: timeZone) }

    public var localClock: LocalClock { LocalClock { [self] in lock.withLock { current } } }

    public func set(_ time: LocalDateTime, timeZone: TimeZone = .current) { lock.withLock { current = LocalClock.instant(time, in: timeZone) } }

    public func advance(days: Int = 0, hours: Int = 0) {
        lock.withLock { current = current.addingTimeInterval(TimeInterval(days * 86_400 + hours * 3_600)) }
    }
}
