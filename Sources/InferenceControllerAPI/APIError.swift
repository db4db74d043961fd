import Foundation
import Hummingbird

/// Every error the API answers with: a status and a JSON body
/// `{"error": {"code": N, "message": "...", "reason": "..."}}` (`reason` only where a typed one exists).
public struct APIError: Error, Sendable {
    public let status: HTTPResponse.Status
    public let message: String
    /// A machine-readable cause, such as a consumer's `WaitingForInstance`.
    public var reason: String?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String, reason: String? = nil, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.reason = reason
        self.headers = headers
    }

    var response: Response {
        struct Body: Encodable {
            struct Detail: Encodable {
                let code: Int
                let message: String
                let reason: String?
            }
            let error: Detail
        }
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        let data = (try? APIJSON.encoder.encode(Body(error: .init(code: status.code, message: message, reason: reason)))) ?? Data()
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data + [0x0A])))
    }
}

/// Outermost: whatever a handler, the router or another middleware throws becomes a JSON error,
/// never a crash and never an empty 500.
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as HTTPError where error.status == .notFound {
            return APIError(.notFound, "no such route: \(request.method) \(Self.shortened(request.uri.path))").response
        } catch let error as HTTPError {
            return APIError(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers).response
        } catch {
            context.logger.error("API request failed: \(error)")
            return APIError(.internalServerError, "internal error").response
        }
    }

    /// A path as quoted back to the client: bounded, whatever was sent.
    static func shortened(_ path: String) -> String {
        path.count > 200 ? String(path.prefix(200)) + "…" : path
    }
}
