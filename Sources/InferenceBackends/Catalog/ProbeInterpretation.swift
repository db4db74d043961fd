import InferenceModel

/// The next thing a probe needs: another request, or a conclusion.
public enum ProbeStep: Sendable, Equatable {
    case send(ProbeRequest)
    case conclude(ProbeVerdict)
}

/// How each probe kind is driven and read. Pure: the runtime sends the requests and feeds back
/// the answers, one step at a time, so every backend is tested with canned responses.
extension ProbeSet.Kind {
    /// Given the answers so far (in order), the next step of a readiness probe.
    public func readinessStep(after responses: [ProbeResponse]) -> ProbeStep {
        switch self {
        case .llamaHealth(let root):
            return Self.llamaReadiness(root: root, responses)
        case .openAIModels(let root, let path, let model):
            guard let response = responses.first else { return .send(ProbeRequest(.get, root + path)) }
            return .conclude(Self.modelsVerdict(response, url: root + path, model: model))
        case .httpPath(let root, let path):
            guard let response = responses.first else { return .send(ProbeRequest(.get, root + path)) }
            return .conclude(Self.plainVerdict(response, url: root + path))
        case .ollama(let root, let model):
            return OllamaProbe.readinessStep(root: root, model: model, responses)
        }
    }

    /// Given the answers so far, the next step of a health probe, concluding with a health status.
    public func healthStep(after responses: [ProbeResponse]) -> HealthStep {
        switch self {
        case .ollama(let root, let model):
            return OllamaProbe.healthStep(root: root, model: model, responses)
        default:
            switch readinessStep(after: responses) {
            case .send(let request): return .send(request)
            case .conclude(.ready): return .conclude(.healthy, "ready")
            case .conclude(.notReady(let why)), .conclude(.fatal(let why)):
                let reachable = responses.contains { if case .answered = $0 { true } else { false } }
                return .conclude(reachable ? .degraded : .unavailable, why)
            }
        }
    }

    /// llama-server: `/health` 200 ready, 503 loading; a server without `/health` falls back to `/v1/models`.
    static func llamaReadiness(root: String, _ responses: [ProbeResponse]) -> ProbeStep {
        guard let health = responses.first else { return .send(ProbeRequest(.get, root + "/health")) }
        switch health {
        case .unreachable(let why):
            return .conclude(.notReady("\(why) at \(root)"))
        case .answered(200, _):
            return .conclude(.ready)
        case .answered(404, _):
            guard responses.count > 1 else { return .send(ProbeRequest(.get, root + "/v1/models")) }
            return .conclude(modelsVerdict(responses[1], url: root + "/v1/models", model: nil))
        case .answered(let status, let body):
            let message = ProbeText.errorMessage(in: body) ?? "HTTP \(status)"
            return .conclude(.notReady("\(root)/health answered \(status): \(message)"))
        }
    }

    static func modelsVerdict(_ response: ProbeResponse, url: String, model: String?) -> ProbeVerdict {
        switch response {
        case .unreachable(let why):
            return .notReady("\(why) at \(url)")
        case .answered(401, _), .answered(403, _):
            return .fatal("\(url) refused our credentials (HTTP \(statusOf(response))): check server.apiKey")
        case .answered(200..<300, let body):
            guard let model else { return .ready }
            let ids = ProbeText.modelIDs(in: body)
            return ids.contains(model) ? .ready
                : .notReady("model '\(model)' is not listed by \(url) (listed: \(ids.isEmpty ? "none" : ids.joined(separator: ", ")))")
        case .answered(let status, let body):
            return .notReady("\(url) answered \(status): \(ProbeText.errorMessage(in: body) ?? "no details")")
        }
    }

    static func plainVerdict(_ response: ProbeResponse, url: String) -> ProbeVerdict {
        switch response {
        case .unreachable(let why): .notReady("\(why) at \(url)")
        case .answered(401, _), .answered(403, _): .fatal("\(url) refused our credentials: check server.apiKey")
        case .answered(200..<300, _): .ready
        case .answered(let status, let body): .notReady("\(url) answered \(status): \(ProbeText.errorMessage(in: body) ?? "no details")")
        }
    }

    private static func statusOf(_ response: ProbeResponse) -> Int {
        if case .answered(let status, _) = response { return status }
        return 0
    }
}

extension ProbeSet.Kind {
    /// Request paths these probes send, which servers echo in their logs.
    public var loggedPaths: [String] {
        switch self {
        case .llamaHealth: ["/health", "/v1/models"]
        case .openAIModels(_, let path, _), .httpPath(_, let path): [path]
        case .ollama: ["/api/version", "/api/show", "/api/ps"]
        }
    }
}

/// A health probe's next step: another request, or the health it concluded and why.
public enum HealthStep: Sendable, Equatable {
    case send(ProbeRequest)
    case conclude(HealthStatus, String)
}
