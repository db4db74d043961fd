import Hummingbird

/// Logs `request: METHOD PATH STATUS` for every request, like a server access log.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let log: @Sendable (String) -> Void

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            log("request: \(request.method) \(request.uri.path) \(response.status.code)")
            return response
        } catch let error as any HTTPResponseError {
            log("request: \(request.method) \(request.uri.path) \(error.status.code)")
            throw error
        } catch {
            log("request: \(request.method) \(request.uri.path) 500 (\(error))")
            throw error
        }
    }
}

/// Turns router-level errors (unknown path, body too large, bad JSON) into the
/// body shape the imitated server would send instead of Hummingbird's default.
struct ErrorBodyMiddleware<Context: RequestContext>: RouterMiddleware {
    let mode: SimulatorOptions.Mode

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let rejection as RejectedRequest {
            return rejection.response
        } catch let failure as RequestJSON.DecodingFailure {
            switch mode {
            case .ollama where !request.uri.path.hasPrefix("/v1/"):
                return OllamaErrorBody.response(.badRequest, failure.message)
            default:
                return OpenAIErrorEnvelope.invalidRequest(failure.message)
            }
        } catch let error as HTTPError where error.status == .notFound {
            switch mode {
            case .llamaServer:
                return OpenAIErrorEnvelope.notFound
            case .ollama:
                // Ollama's HTTP router (Gin) answers unknown routes with this plain text.
                return JSONResponses.text("404 page not found", status: .notFound)
            }
        } catch let error as any HTTPResponseError {
            return OpenAIErrorEnvelope.response(error.status, message: error.status.reasonPhrase, type: "server_error")
        }
    }
}

/// While the model loads, llama-server answers every request with 503 "Loading model".
struct LoadingGateMiddleware<Context: RequestContext>: RouterMiddleware {
    let readiness: ModelReadiness

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard await readiness.isReady else {
            return OpenAIErrorEnvelope.loadingModel
        }
        return try await next(request, context)
    }
}

/// Requires `Authorization: Bearer KEY` on `/v1/*`; `/health` and others stay open like llama-server.
struct APIKeyMiddleware<Context: RequestContext>: RouterMiddleware {
    let apiKey: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path == "/v1" || path.hasPrefix("/v1/") else {
            return try await next(request, context)
        }
        guard request.headers[.authorization] == "Bearer \(apiKey)" else {
            return OpenAIErrorEnvelope.invalidAPIKey
        }
        return try await next(request, context)
    }
}
