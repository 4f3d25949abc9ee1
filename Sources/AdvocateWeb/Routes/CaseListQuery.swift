internal import AdvocateCore
internal import AdvocateStore
internal import Hummingbird

/// The case list's filters as they arrive in a query string (`?workflow=&state=&advocate=&due=&closed=&page=`),
/// shared by the page and the API.
struct CaseListQuery {
    static let pageSize = 50

    var workflow: String?
    var state: String?
    var advocate: String?
    /// `overdue`, `today`, `week`, `month`, or empty for any.
    var due: String
    var includeClosed: Bool
    var page: Int

    init(_ query: Parameters) {
        func value(_ name: Substring) -> String? { query[name].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        workflow = value("workflow")
        state = value("state")
        advocate = value("advocate")
        due = value("due") ?? ""
        includeClosed = query["closed"] == "1" || query["closed"] == "true"
        page = min(max(1, value("page").flatMap { Int($0) } ?? 1), 1_000_000)
    }

    func filter(today: CivilDate) -> StoreTransaction.SummaryFilter {
        let dueThrough: Int? =
            switch due {
            case "overdue": today.dayNumber - 1
            case "today": today.dayNumber
            case "week": today.dayNumber + 6
            case "month": today.dayNumber + 29
            default: nil
            }
        return StoreTransaction.SummaryFilter(
            workflowId: workflow, state: state, advocateId: advocate, dueThrough: dueThrough, today: today.dayNumber, includeClosed: includeClosed, limit: CaseListQuery.pageSize,
            offset: (page - 1) * CaseListQuery.pageSize)
    }
}
