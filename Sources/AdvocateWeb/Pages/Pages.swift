internal import AdvocateStore
internal import Foundation
internal import Hummingbird
internal import Mustache

/// Renders pages: a Mustache template for the content, inside the layout with the navigation,
/// in the signed-in person's language. Mustache escapes every value, so case data cannot
/// become markup.
struct Pages: Sendable {
    let library: MustacheLibrary

    init() throws {
        guard let folder = Bundle.module.resourceURL?.appendingPathComponent("Templates") else {
            throw WebSetupError("the web page templates are missing from this build")
        }
        var templates: [String: MustacheTemplate] = [:]
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".mustache") }
        for name in names {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            do {
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
            } catch {
                throw WebSetupError("Templates/\(name): \(error)")
            }
        }
        library = MustacheLibrary(templates: templates)
    }

    /// A page: `template` rendered with `data`, inside the layout.
    func render(_ template: String, title: String, data: [String: Any], context: WebContext, status: HTTPResponse.Status = .ok, current: String? = nil)
        throws -> Response
    {
        try page(content: try content(template, data: data, context: context), title: title, context: context, status: status, current: current)
    }

    /// A page's content without the layout, for content kept in a ``PageCache``.
    func content(_ template: String, data: [String: Any], context: WebContext) throws -> String {
        var values = data
        values["t"] = UIText.for(context.language).table
        values["csrf"] = context.session?.csrfToken ?? context.signInToken ?? ""
        guard let content = library.render(values, withTemplate: template) else {
            throw WebSetupError("no page template named '\(template)'")
        }
        return content
    }

    /// Content inside the layout, with the navigation and the signed-in person.
    func page(content: String, title: String, context: WebContext, status: HTTPResponse.Status = .ok, current: String? = nil) throws -> Response {
        Pages.response(try body(content: content, title: title, context: context, current: current), status: status)
    }

    static func response(_ body: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: body))
    }

    /// The whole page's bytes: what a ``PageCache`` keeps.
    func body(content: String, title: String, context: WebContext, current: String? = nil) throws -> ByteBuffer {
        let text = UIText.for(context.language)
        var layout: [String: Any] = ["t": text.table, "title": title, "content": content, "lang": context.language.rawValue]
        if let session = context.session {
            let role = session.account.role
            var nav: [[String: Any]] = []
            if role != .admin {
                nav.append(["href": "/agenda", "label": text["agenda"], "current": current == "agenda"])
                nav.append(["href": "/cases", "label": text["cases"], "current": current == "cases"])
            }
            nav.append(["href": "/glossary", "label": text["glossary"], "current": current == "glossary"])
            nav.append(["href": "/workflows", "label": text["workflows"], "current": current == "workflows"])
            if role == .supervisor { nav.append(["href": "/audit", "label": text["audit"], "current": current == "audit"]) }
            if role == .admin { nav.append(["href": "/admin/accounts", "label": text["accounts"], "current": current == "accounts"]) }
            layout["nav"] = nav
            layout["hasNav"] = true
            layout["user"] = ["name": session.account.name, "role": text["role_" + role.rawValue]]
            layout["csrf"] = session.csrfToken
            // The other language, named in itself, one click away; back to the same section after.
            let other: UILanguage = context.language == .es ? .en : .es
            layout["otherLanguage"] = ["code": other.rawValue, "name": other == .es ? "Español" : "English", "back": nav.first { $0["current"] as? Bool == true }?["href"] ?? "/"]
        }
        guard let page = library.render(layout, withTemplate: "layout") else { throw WebSetupError("the layout template is missing") }
        return ByteBuffer(string: page)
    }

    /// A page that says what went wrong and what to do, and never shows private data.
    func errorPage(_ status: HTTPResponse.Status, message: String, context: WebContext) throws -> Response {
        let text = UIText.for(context.language)
        return try render("error", title: text["error_title"], data: ["status": status.code, "reason": status.reasonPhrase, "message": message], context: context, status: status)
    }
}

struct WebSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
