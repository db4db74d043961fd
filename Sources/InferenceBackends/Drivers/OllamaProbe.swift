import InferenceModel

/// Ollama's readiness (`/api/version` then `/api/show`) and health (`/api/ps`) probes.
enum OllamaProbe {
    static func showRequest(root: String, model: String) -> ProbeRequest {
        ProbeRequest(.post, root + "/api/show", body: #"{"model":"\#(jsonEscaped(model))"}"#)
    }

    static func readinessStep(root: String, model: String, _ responses: [ProbeResponse]) -> ProbeStep {
        guard let version = responses.first else { return .send(ProbeRequest(.get, root + "/api/version")) }
        switch version {
        case .unreachable(let why): return .conclude(.notReady("\(why) at \(root)"))
        case .answered(200, _): break
        case .answered(let status, _): return .conclude(.notReady("\(root)/api/version answered \(status)"))
        }
        guard responses.count > 1 else { return .send(showRequest(root: root, model: model)) }
        switch responses[1] {
        case .unreachable(let why): return .conclude(.notReady("\(why) at \(root)"))
        case .answered(200, _): return .conclude(.ready)
        case .answered(404, _): return .conclude(.notReady("model '\(model)' is not pulled yet (ollama pull \(model))"))
        case .answered(let status, let body):
            return .conclude(.notReady("\(root)/api/show answered \(status): \(ProbeText.errorMessage(in: body) ?? "no details")"))
        }
    }

    /// Healthy when the model is loaded, degraded when the daemon answers without it, unavailable when unreachable.
    static func healthStep(root: String, model: String, _ responses: [ProbeResponse]) -> HealthStep {
        guard let ps = responses.first else { return .send(ProbeRequest(.get, root + "/api/ps")) }
        switch ps {
        case .unreachable(let why): return .conclude(.unavailable, "\(why) at \(root)")
        case .answered(200, let body):
            let wanted = OllamaDriver.canonicalModelName(model)
            let loaded = ProbeText.ollamaModelNames(in: body).map(OllamaDriver.canonicalModelName)
            return loaded.contains(wanted) ? .conclude(.healthy, "model \(wanted) is loaded")
                : .conclude(.degraded, "daemon answers but model \(wanted) is not loaded")
        case .answered(let status, _): return .conclude(.degraded, "\(root)/api/ps answered \(status)")
        }
    }

    /// Capabilities named by `/api/show`, in our vocabulary.
    static func capabilities(fromShowBody body: String) -> Capabilities? {
        guard let names = ProbeText.ollamaCapabilities(in: body) else { return nil }
        return [
            CapabilityName.streaming: .supported(true),
            CapabilityName.toolCalling: .supported(names.contains("tools")),
            CapabilityName.embeddings: .supported(names.contains("embedding")),
            CapabilityName.vision: .supported(names.contains("vision")),
            CapabilityName.thinking: .supported(names.contains("thinking")),
        ]
    }

    static func jsonEscaped(_ text: String) -> String {
        text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
    }
}
