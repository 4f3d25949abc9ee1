import Advocate
import AdvocateStore
import AdvocateWeb
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing
import Yams

@Suite("JSON API: routes, schemas, tokens and access")
struct APITests {
    /// The OpenAPI document as served, parsed.
    static func document(_ client: any TestClientProtocol) async throws -> [String: Any] {
        let response = try await client.execute(uri: "/api/openapi.yaml", method: .get)
        #expect(response.status == .ok)
        return try #require(try Yams.load(yaml: String(buffer: response.body)) as? [String: Any])
    }

    /// `METHOD /path` for every operation in the document.
    static func operations(_ document: [String: Any]) throws -> Set<String> {
        let paths = try #require(document["paths"] as? [String: Any])
        var operations: Set<String> = []
        for (path, item) in paths {
            for method in (item as? [String: Any] ?? [:]).keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                operations.insert("\(method.uppercased()) \(path)")
            }
        }
        return operations
    }

    @Test("every /api/ route is in openapi.yaml, and every operation there is a route")
    func routesMatchTheDocument() async throws {
        let harness = try WebHarness()
        let router = try buildRouter(service: harness.service)
        let routes = Set(router.routes.map { "\($0.method) \($0.path)" }.filter { $0.contains(" /api/") })
        try await harness.test { browser in
            let documented = try APITests.operations(try await APITests.document(browser.client))
            #expect(routes == documented, "routes only: \(routes.subtracting(documented).sorted()); documented only: \(documented.subtracting(routes).sorted())")
            #expect(routes.count >= 18)
        }
    }

    @Test("a script walks a case through every operation, and each answer matches its schema")
    func everyOperationMatchesItsSchema() async throws {
        let harness = try WebHarness()
        let maria = try harness.token("maria")
        let sam = try harness.token("sam")
        let ada = try harness.token("ada")
        try await harness.test { browser in
            let document = try await APITests.document(browser.client)
            let api = APIClient(client: browser.client, document: document)
            try await api.call("GET", "/api/me", token: maria)
            try await api.call("GET", "/api/workflows", token: maria)
            try await api.call("GET", "/api/workflows/{id}", "/api/workflows/protective-order", token: maria)
            let opened = try await api.call(
                "POST", "/api/cases", token: maria, body: ["workflow": "protective-order", "fields": ["client.name": "Ana Madeup", "client.has_children": true]],
                expect: .created)
            let id = try #require(opened["id"] as? String)
            try await api.call("GET", "/api/cases", "/api/cases?workflow=protective-order", token: maria)
            let details = try await api.call("GET", "/api/cases/{id}", "/api/cases/\(id)", token: maria)
            #expect((details["data"] as? [String: Any])?["client.name"] as? String == "Ana Madeup")
            let sent = try await api.call(
                "POST", "/api/cases/{id}/events/{event}", "/api/cases/\(id)/events/petition_filed", token: maria, body: ["fields": ["petition.ex_parte_requested": true]])
            #expect((sent["effects"] as? [String])?.isEmpty == false)
            let items = try await api.call("GET", "/api/cases/{id}", "/api/cases/\(id)", token: maria)["items"] as? [[String: Any]] ?? []
            let step = try #require(items.first { $0["kind"] as? String == "step" }?["key"] as? String)
            try await api.call("POST", "/api/cases/{id}/steps/{key}/done", "/api/cases/\(id)/steps/\(step)/done", token: maria)
            try await api.call("GET", "/api/cases/{id}/history", "/api/cases/\(id)/history", token: maria)
            let made = try await api.call(
                "POST", "/api/cases/{id}/documents", "/api/cases/\(id)/documents", token: maria, body: ["form": "court-date-notice-en", "explain_terms": true],
                expect: .created)
            #expect(made["format"] as? String == "html")
            try await api.call("GET", "/api/cases/{id}/documents", "/api/cases/\(id)/documents", token: maria)
            let file = try await api.raw("GET", "/api/cases/\(id)/documents/\(made["sequence"] as? Int ?? 0)", token: maria)
            #expect(file.status == .ok && file.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(String(buffer: file.body).contains("Ana Madeup"))
            api.exercised.insert("GET /api/cases/{id}/documents/{sequence}")
            try await api.call("GET", "/api/agenda", "/api/agenda?days=30", token: maria)
            try await api.call("GET", "/api/glossary", "/api/glossary?q=protective", token: maria)
            try await api.call("GET", "/api/glossary/{slug}", "/api/glossary/continuance", token: maria)
            try await api.call("POST", "/api/cases/{id}/assign", "/api/cases/\(id)/assign", token: sam, body: ["advocate": "jo"])
            let audit = try await api.call("GET", "/api/audit", "/api/audit?case=\(id)", token: sam)
            let actions = (audit["records"] as? [[String: Any]] ?? []).map { "\($0["channel"] ?? "") \($0["action"] ?? "")" }
            #expect(actions.contains("api case.open") && actions.contains("api case.event") && actions.contains("api document.create"))
            try await api.call("GET", "/api/accounts", token: ada)
            let account = try await api.call(
                "POST", "/api/accounts", token: ada, body: ["name": "lucia", "role": "advocate", "language": "es", "password": "lantern orchard pebble"], expect: .created)
            let accountId = try #require(account["id"] as? String)
            let promoted = try await api.call("POST", "/api/accounts/{id}/role", "/api/accounts/\(accountId)/role", token: ada, body: ["role": "supervisor"])
            #expect(promoted["role"] as? String == "supervisor")
            try await api.call("POST", "/api/accounts/{id}/disable", "/api/accounts/\(accountId)/disable", token: ada)
            let enabled = try await api.call("POST", "/api/accounts/{id}/enable", "/api/accounts/\(accountId)/enable", token: ada)
            #expect(enabled["disabled"] as? Bool == false)
            _ = try await api.raw("GET", "/api/openapi.yaml", token: nil)
            api.exercised.insert("GET /api/openapi.yaml")
            let documented = try APITests.operations(document)
            #expect(api.exercised == documented, "not exercised: \(documented.subtracting(api.exercised).sorted())")
            #expect(api.problems == [])
        }
    }

    @Test("without a token, or with a wrong one, the API answers 401 in JSON")
    func tokensAreRequired() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            for token in [nil, "adv_not-a-real-token"] {
                let response = try await APIClient.send(browser.client, "GET", "/api/cases", token: token)
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/json")
                #expect(String(buffer: response.body).contains("\"error\""))
            }
        }
    }

    @Test("a token reaches only what its account may: another advocate's case is 403, the audit log is for supervisors")
    func tokensCarryTheAccountsRole() async throws {
        let harness = try WebHarness()
        let maria = try harness.token("maria")
        let ada = try harness.token("ada")
        try await harness.test { browser in
            for (method, path) in [("GET", "/api/cases/\(harness.josCase)"), ("GET", "/api/cases/\(harness.josCase)/history"), ("GET", "/api/cases/\(harness.josCase)/documents"),
                ("POST", "/api/cases/\(harness.josCase)/events/check_in_done"), ("GET", "/api/audit"), ("POST", "/api/cases/\(harness.mariasCase)/assign")]
            {
                let response = try await APIClient.send(browser.client, method, path, token: maria, body: method == "POST" ? ["advocate": "maria"] : nil)
                #expect(response.status == .forbidden, "\(method) \(path)")
            }
            let admin = try await APIClient.send(browser.client, "GET", "/api/cases/\(harness.mariasCase)", token: ada)
            #expect(admin.status == .forbidden)
            let list = try await APIClient.send(browser.client, "GET", "/api/cases", token: maria)
            #expect(String(buffer: list.body).contains(harness.mariasCase) && !String(buffer: list.body).contains(harness.josCase))
        }
        #expect(try harness.service.history(harness.josCase).count == 1)
    }

    @Test("the safe address never leaves through the API")
    func safeAddressStaysLocked() async throws {
        let harness = try WebHarness()
        let maria = try harness.token("maria")
        try await harness.test { browser in
            let response = try await APIClient.send(browser.client, "GET", "/api/cases/\(harness.mariasCase)", token: maria)
            let body = String(buffer: response.body)
            #expect(response.status == .ok)
            #expect(!body.contains("Quiet Court"))
            #expect(body.contains("confidential safe address: locked"))
        }
    }

    @Test("bad input gets a clear 422 naming the field, never its value, and the case is unchanged")
    func badInputIsRefused() async throws {
        let harness = try WebHarness()
        let maria = try harness.token("maria")
        try await harness.test { browser in
            let broken = try await APIClient.send(browser.client, "POST", "/api/cases/\(harness.mariasCase)/events/petition_filed", token: maria, rawBody: "{\"fields\": {")
            #expect(broken.status == .unprocessableContent)
            #expect(String(buffer: broken.body).contains("not valid JSON"))
            let wrongType = try await APIClient.send(
                browser.client, "POST", "/api/cases/\(harness.mariasCase)/events/petition_filed", token: maria,
                body: ["fields": ["petition.ex_parte_requested": true, "petition.filed": "Tuesday-secret"]])
            #expect(wrongType.status == .unprocessableContent)
            let message = String(buffer: wrongType.body)
            #expect(message.contains("petition.filed") && !message.contains("Tuesday-secret"))
            let unknown = try await APIClient.send(browser.client, "POST", "/api/cases", token: maria, body: ["workflow": "no-such-workflow"])
            #expect(unknown.status == .notFound)
            let notAnObject = try await APIClient.send(browser.client, "POST", "/api/cases", token: maria, rawBody: "[1, 2]")
            #expect(notAnObject.status == .unprocessableContent)
            let byPath = try await APIClient.send(
                browser.client, "POST", "/api/cases/\(harness.mariasCase)/documents", token: maria, body: ["form": TestSupport.root + "/Forms/safety-plan.odt"])
            #expect(byPath.status == .unprocessableContent, "a form is named, never a path to a file on the server")
            // A number that is not one is refused, not quietly replaced by the default.
            let days = try await APIClient.send(browser.client, "GET", "/api/agenda?days=abc", token: maria)
            #expect(days.status == .unprocessableContent)
            #expect(String(buffer: days.body).contains("'days' must be a whole number from 1 to 3660"))
        }
        #expect(try harness.service.history(harness.mariasCase).count == 1)
    }

    @Test("numbers 0 and 1 stay numbers, booleans stay booleans, and an absurd amount is refused")
    func jsonValuesKeepTheirTypes() async throws {
        let harness = try WebHarness()
        let maria = try harness.token("maria")
        try await harness.test { browser in
            let opened = try await APIClient.send(
                browser.client, "POST", "/api/cases", token: maria,
                body: ["workflow": "protective-order", "fields": ["client.name": "Ana Madeup", "service.attempts": 1, "client.has_children": false]])
            #expect(opened.status == .created, "\(String(buffer: opened.body))")
            let id = try #require((try JSONSerialization.jsonObject(with: Data(opened.body.readableBytesView)) as? [String: Any])?["id"] as? String)
            let details = try await APIClient.send(browser.client, "GET", "/api/cases/\(id)", token: maria)
            let data = (try JSONSerialization.jsonObject(with: Data(details.body.readableBytesView)) as? [String: Any])?["data"] as? [String: Any]
            #expect((data?["service.attempts"] as? NSNumber)?.intValue == 1)
            #expect(String(buffer: details.body).contains("\"client.has_children\":false"))
            let zero = try await APIClient.send(
                browser.client, "POST", "/api/cases", token: maria, body: ["workflow": "protective-order", "fields": ["client.name": "Bo Madeup", "service.attempts": 0]])
            #expect(zero.status == .created, "\(String(buffer: zero.body))")
            let huge = try await APIClient.send(
                browser.client, "POST", "/api/cases", token: maria, rawBody: #"{"workflow": "compensation", "fields": {"client.name": "Cy Madeup", "award.amount": 1e20}}"#)
            #expect(huge.status == .unprocessableContent)
        }
    }

    @Test("a browser session may call the API, but its changes need the CSRF header")
    func cookieSessionsNeedTheCSRFHeader() async throws {
        let harness = try WebHarness()
        try await harness.test { browser in
            try await browser.signIn("maria")
            let read = try await browser.send("/api/cases/\(harness.mariasCase)", method: .get, body: nil)
            #expect(read.status == .ok)
            let forged = try await browser.send(
                "/api/cases/\(harness.mariasCase)/events/safety_plan_made", method: .post, body: nil, headers: [.contentType: "application/json"])
            #expect(forged.status == .forbidden)
            try await browser.get("/cases/\(harness.mariasCase)")
            let allowed = try await browser.send(
                "/api/cases/\(harness.mariasCase)/events/safety_plan_made", method: .post, body: nil, headers: [HTTPField.Name("X-CSRF-Token")!: browser.csrf])
            #expect(allowed.status == .ok)
        }
        #expect(try harness.service.history(harness.mariasCase).count == 2)
    }
}

extension WebHarness {
    /// A new API token for an account, as `advocate users token` makes one.
    func token(_ name: String) throws -> String {
        let token = APITokens.make()
        try service.store.write { tx in
            let account = try #require(try tx.account(named: name)?.account)
            try tx.addAPIToken(tokenHash: APITokens.hash(token), accountId: account.id, label: "test")
        }
        return token
    }
}

/// Calls the API and checks each JSON answer against its operation's schema in the document.
final class APIClient: @unchecked Sendable {
    let client: any TestClientProtocol
    let document: [String: Any]
    var exercised: Set<String> = []
    var problems: [String] = []

    init(client: any TestClientProtocol, document: [String: Any]) {
        self.client = client
        self.document = document
    }

    static func send(
        _ client: any TestClientProtocol, _ method: String, _ path: String, token: String?, body: [String: Any]? = nil, rawBody: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var buffer: ByteBuffer?
        if let body { buffer = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)) }
        if let rawBody { buffer = ByteBuffer(string: rawBody) }
        if buffer != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: path, method: HTTPRequest.Method(rawValue: method)!, headers: headers, body: buffer)
    }

    func raw(_ method: String, _ path: String, token: String?) async throws -> TestResponse {
        try await APIClient.send(client, method, path, token: token)
    }

    /// Calls `uri` (the operation `template` in the document), expects `status`, checks the answer's schema.
    @discardableResult
    func call(
        _ method: String, _ template: String, _ uri: String? = nil, token: String, body: [String: Any]? = nil, expect status: HTTPResponse.Status = .ok
    ) async throws -> [String: Any] {
        let response = try await APIClient.send(client, method, uri ?? template, token: token, body: body)
        let operation = "\(method) \(template)"
        exercised.insert(operation)
        guard response.status == status else {
            problems.append("\(operation): status \(response.status.code), expected \(status.code): \(String(buffer: response.body))")
            return [:]
        }
        let json = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
        let paths = document["paths"] as? [String: Any]
        let responses = ((paths?[template] as? [String: Any])?[method.lowercased()] as? [String: Any])?["responses"] as? [String: Any]
        let content = (responses?[String(status.code)] as? [String: Any])?["content"] as? [String: Any]
        guard let schema = (content?["application/json"] as? [String: Any])?["schema"] as? [String: Any] else {
            problems.append("\(operation): no JSON schema for \(status.code) in openapi.yaml")
            return json as? [String: Any] ?? [:]
        }
        problems += SchemaCheck(document: document).problems(json, schema, at: operation)
        return json as? [String: Any] ?? [:]
    }
}

/// The parts of JSON Schema the document uses: $ref, allOf, type (with "null"), required,
/// properties, items, enum and additionalProperties.
struct SchemaCheck {
    let document: [String: Any]

    func resolve(_ schema: [String: Any]) -> [String: Any] {
        guard let ref = schema["$ref"] as? String else { return schema }
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(part)] as Any }
        return resolve(node as? [String: Any] ?? [:])
    }

    func problems(_ value: Any, _ schema: [String: Any], at path: String) -> [String] {
        let schema = resolve(schema)
        var problems: [String] = []
        if let all = schema["allOf"] as? [[String: Any]] { for part in all { problems += self.problems(value, part, at: path) } }
        let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map { [$0] } ?? []
        if !types.isEmpty, !types.contains(where: { matches(value, $0) }) {
            return problems + ["\(path): \(type(of: value)) is not \(types.joined(separator: " or "))"]
        }
        if let allowed = schema["enum"] as? [Any], let text = value as? String, !allowed.contains(where: { "\($0)" == text }) {
            problems.append("\(path): '\(text)' is not one of \(allowed)")
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { problems.append("\(path): no '\(key)'") }
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for (key, member) in object {
                if let memberSchema = properties[key] as? [String: Any] {
                    problems += self.problems(member, memberSchema, at: "\(path).\(key)")
                } else if let extra = schema["additionalProperties"] as? [String: Any] {
                    problems += self.problems(member, extra, at: "\(path).\(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() { problems += self.problems(item, items, at: "\(path)[\(index)]") }
        }
        return problems
    }

    private func matches(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        // Foundation on Linux reads JSON numbers and booleans alike as NSNumber.
        case "boolean": return value is Bool || value is NSNumber
        case "integer": return (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": return value is NSNumber
        default: return true
        }
    }
}
