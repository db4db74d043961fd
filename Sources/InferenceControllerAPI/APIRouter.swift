import Foundation
import Hummingbird
import InferenceModel
import InferenceRuntime

/// The routes of the controller's API. Every route but `POST /v1/apply` and `POST /v1/down` is a GET; another method
/// on a known path is 405, an unknown path 404, both with a JSON error body.
public enum APIRouter {
    static let paths = ["/healthz", "/readyz", "/metrics", "/v1/instances", "/v1/instances/:name",
                        "/v1/consumers/:name/endpoint", "/v1/events"]

    /// - Parameters:
    ///   - token: when set (a TCP listener with `--token-file`), every request must carry it.
    ///   - heartbeat: how often an idle event stream sends a comment (it notices gone clients).
    public static func make(model: any ControllerAPIModel, token: String? = nil,
                            heartbeat: Duration = .seconds(15)) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        if let token { router.add(middleware: BearerTokenMiddleware(token: token)) }

        router.get("/healthz") { _, _ in
            try APIJSON.response(["status": "ok"])
        }
        router.get("/readyz") { _, _ in
            guard model.isSettled else { throw APIError(.serviceUnavailable, "the controller's first full pass has not settled yet") }
            return try APIJSON.response(["status": "ready"])
        }
        router.get("/v1/instances") { _, _ in
            try APIJSON.response(await model.instances())
        }
        router.get("/v1/instances/:name") { _, context in
            let name = try validName(context, kind: "instance")
            guard let status = await model.instances().first(where: { $0.name == name }) else {
                throw APIError(.notFound, "no instance named \(name)")
            }
            return try APIJSON.response(status)
        }
        router.get("/v1/consumers/:name/endpoint") { _, context in
            let name = try validName(context, kind: "consumer")
            guard let status = await model.consumer(name) else { throw APIError(.notFound, "no consumer named \(name)") }
            guard status.ready, let endpoint = status.endpoint else {
                throw APIError(.conflict, status.notReadyExplanation, reason: status.reason.rawValue)
            }
            return try APIJSON.response(endpoint)
        }
        router.get("/v1/events") { _, _ in
            let (recent, stream) = model.subscribeEvents()
            return Response(status: .ok,
                            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                            body: EventStreamBody.make(recent: recent, stream: stream, heartbeat: heartbeat))
        }
        // `inferctl apply` while a controller runs: reconcile everything now, answer once settled.
        router.post("/v1/apply") { request, _ in
            let timeout = try settleTimeout(request)
            let force = request.uri.queryParameters.get("force") == "true"
            let (settled, instances) = try await stateChange("apply") { try await model.applyNow(timeout: timeout, force: force) }
            return try APIJSON.response(ApplyAnswer(settled: settled, instances: instances))
        }
        // `inferctl down` while a controller runs: stop every managed server and hold the
        // directory down (the controller keeps running) until the next apply.
        router.post("/v1/down") { request, _ in
            let timeout = try settleTimeout(request)
            let (settled, instances) = try await stateChange("down") { try await model.downNow(timeout: timeout) }
            return try APIJSON.response(ApplyAnswer(settled: settled, instances: instances))
        }
        LeaseRoutes.add(to: router, model: model)
        router.get("/metrics") { _, _ in
            let text = await model.metricsText()
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        for path in paths {
            for method: HTTPRequest.Method in [.head, .options, .post, .put, .patch, .delete] {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw APIError(.methodNotAllowed, "the API is read-only: use GET", headers: [.allow: "GET"])
                }
            }
        }
        return router
    }

    /// `?timeout=SECONDS` of apply and down (default 300).
    static func settleTimeout(_ request: Request) throws -> Duration {
        let seconds = request.uri.queryParameters.get("timeout").flatMap(Double.init) ?? 300
        guard seconds > 0, seconds <= 86_400 else { throw APIError(.badRequest, "timeout must be 0 < seconds <= 86400") }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// A state change the controller could not make durable is a 500 naming why.
    static func stateChange<T>(_ verb: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.internalServerError, "\(verb) failed: \(error)")
        }
    }

    /// The `{name}` of a route, refused (400) unless it is a valid resource name: names are
    /// quoted back in messages and looked up, never used raw.
    static func validName(_ context: BasicRequestContext, kind: String) throws -> String {
        let raw = context.parameters.get("name") ?? ""
        if let problem = ResourceName.problem(raw) { throw APIError(.badRequest, "not a valid \(kind) name: \(problem)") }
        return raw
    }
}
