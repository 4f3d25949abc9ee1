internal import Advocate
internal import Hummingbird
internal import Logging

/// Turns errors into pages (or JSON under `/api/`) with the right status. Messages come from
/// `AdvocateError` and name fields and events, never their values.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let app: WebServices

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as AdvocateError {
            return try respond(ErrorPageMiddleware.status(error.kind), error.description, request: request, context: context)
        } catch let error as HTTPError {
            let message = error.body ?? (error.status == .notFound ? UIText.for(context.language)["not_found"] : error.status.reasonPhrase)
            return try respond(error.status, message, request: request, context: context)
        } catch {
            // Anything else may hold details we do not want on a page; the log gets its type only.
            context.logger.error("request failed", metadata: ["error": "\(type(of: error))"])
            return try respond(.internalServerError, UIText.for(context.language)["server_error"], request: request, context: context)
        }
    }

    private func respond(_ status: HTTPResponse.Status, _ message: String, request: Request, context: WebContext) throws -> Response {
        if request.uri.path.hasPrefix("/api/") { return app.jsonError(status, message) }
        return try app.pages.errorPage(status, message: message, context: context)
    }

    static func status(_ kind: AdvocateError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .invalid: .unprocessableContent
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .conflict: .conflict
        case .failure: .internalServerError
        }
    }
}
