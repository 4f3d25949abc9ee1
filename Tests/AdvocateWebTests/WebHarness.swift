import Advocate
import AdvocateStore
import AdvocateWeb
import AdvocateXML
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// A store with accounts and cases, and the app built over it, for router tests.
///
/// Accounts: `maria` and `jo` (advocates), `sam` (supervisor), `ada` (admin), all with the
/// password `correct horse battery`. Case `maria` opened is assigned to her.
struct WebHarness {
    static let password = "correct horse battery"
    let service: CaseService
    let clock: ManualClock
    let path: String
    let mariasCase: String
    let josCase: String

    init(configuration: WebConfiguration = WebConfiguration()) throws {
        let (service, clock, path) = try TestSupport.service(at: TestSupport.time("2026-11-19T09:00"))
        self.service = service
        self.clock = clock
        self.path = path
        try service.store.write { tx in
            for (name, role, language) in [("maria", AccountRole.advocate, "en"), ("jo", .advocate, "es"), ("sam", .supervisor, "en"), ("ada", .admin, "en")] {
                _ = try tx.addAccount(name: name, role: role, passwordHash: Passwords.hash(WebHarness.password, cost: 4), language: language)
            }
        }
        let maria = Actor(account: try service.store.read { try $0.account(named: "maria")!.account }, channel: .web)
        let jo = Actor(account: try service.store.read { try $0.account(named: "jo")!.account }, channel: .web)
        mariasCase = try service.open(
            workflow: "protective-order", fields: ["client.name": "Rosa Fictional", "client.safe_address": "7 Quiet Court, Example City"], actor: maria
        ).caseId
        josCase = try service.open(workflow: "services", fields: ["client.name": "Lena Invented"], actor: jo).caseId
        self.configuration = configuration
    }

    let configuration: WebConfiguration

    func app() throws -> some ApplicationProtocol {
        try buildApplication(service: service, configuration: configuration)
    }

    /// Runs `body` against the app in router-test mode.
    func test(_ body: @escaping @Sendable (Browser) async throws -> Void) async throws {
        try await app().test(.router) { client in try await body(Browser(client: client)) }
    }
}

/// A tiny browser over the test client: it keeps cookies and reads the CSRF token from pages.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]
    var csrf: String = ""

    init(client: any TestClientProtocol) { self.client = client }

    struct Page {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
        var location: String? { headers[.location] }
    }

    @discardableResult
    func get(_ uri: String) async throws -> Page {
        try await send(uri, method: .get, body: nil)
    }

    /// Posts a form; `_csrf` is added from the last page read unless `csrf` says otherwise.
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)] = [], csrf: String? = nil) async throws -> Page {
        var all = fields
        let token = csrf ?? self.csrf
        if !token.isEmpty { all.append(("_csrf", token)) }
        let body = all.map { "\(Browser.encode($0.0))=\(Browser.encode($0.1))" }.joined(separator: "&")
        return try await send(uri, method: .post, body: body)
    }

    func send(_ uri: String, method: HTTPRequest.Method, body: String?, headers extra: HTTPFields = [:]) async throws -> Page {
        var headers = extra
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || line.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        let text = String(buffer: response.body)
        if let range = text.range(of: #"name="_csrf" value=""#) {
            csrf = String(text[range.upperBound...].prefix { $0 != "\"" })
        }
        return Page(status: response.status, headers: response.headers, body: text)
    }

    /// Signs in through the form, as a person would.
    @discardableResult
    func signIn(_ name: String, password: String = WebHarness.password) async throws -> Page {
        try await get("/login")
        return try await post("/login", [("name", name), ("password", password)])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

/// Structure checks a screen reader depends on: a language, one h1 and headings in order,
/// a label for every control, ids used once, alt text on every image, and an accessible name on every SVG.
enum PageStructure {
    static func problems(_ html: String) throws -> [String] {
        let tree = try #require(try HTMLDocument(bytes: Array(html.utf8)).tree())
        var problems: [String] = []
        if (tree.root.attribute("lang") ?? "").isEmpty { problems.append("<html> has no lang") }
        var elements: [XMLTreeElement] = []
        func walk(_ element: XMLTreeElement) {
            elements.append(element)
            element.elements.forEach(walk)
        }
        walk(tree.root)
        let headings = elements.compactMap { e -> Int? in e.name.count == 2 && e.name.hasPrefix("h") ? Int(e.name.dropFirst()) : nil }
        if headings.filter({ $0 == 1 }).count != 1 { problems.append("expected one h1, found \(headings.filter { $0 == 1 }.count)") }
        for (previous, next) in zip(headings, headings.dropFirst()) where next > previous + 1 {
            problems.append("heading h\(next) follows h\(previous)")
        }
        let labelled = Set(elements.filter { $0.name == "label" }.compactMap { $0.attribute("for") })
        for control in elements where ["input", "select", "textarea"].contains(control.name) && control.attribute("type") != "hidden" {
            let id = control.attribute("id") ?? ""
            if id.isEmpty || !labelled.contains(id), control.attribute("aria-label") == nil {
                problems.append("<\(control.name) name=\(control.attribute("name") ?? "?")> has no label")
            }
        }
        // A label points at one id: a repeated id leaves the second control without its label.
        let ids = elements.compactMap { $0.attribute("id") }
        for (id, count) in Dictionary(ids.map { ($0, 1) }, uniquingKeysWith: +) where count > 1 { problems.append("id \(id) is used \(count) times") }
        for image in elements where image.name == "img" && image.attribute("alt") == nil { problems.append("<img> without alt") }
        for svg in elements where svg.name == "svg" && svg.attribute("aria-label") == nil && svg.attribute("aria-hidden") == nil {
            problems.append("<svg> without an accessible name")
        }
        if elements.contains(where: { $0.attribute("style") != nil }) { problems.append("an inline style attribute (the CSP refuses it)") }
        if elements.contains(where: { $0.name == "script" && $0.attribute("src") == nil }) { problems.append("an inline script (the CSP refuses it)") }
        return problems
    }
}
