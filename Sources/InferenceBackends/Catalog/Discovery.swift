import InferenceModel

/// Facts a running server tells about itself, learned once it is ready.
public struct DiscoveredFacts: Sendable, Equatable {
    /// Capabilities that replace the manifest's `unknown`s (Ollama's `/api/show`).
    public var capabilities: Capabilities?
    /// Extra endpoint metadata (e.g. `ollama_version`).
    public var metadata: Metadata

    public init(capabilities: Capabilities? = nil, metadata: Metadata = [:]) {
        self.capabilities = capabilities
        self.metadata = metadata
    }
}

extension ProbeSet.Kind {
    /// Requests whose answers describe the server (sent once it is ready); empty when there is nothing to learn.
    public var discoveryRequests: [ProbeRequest] {
        switch self {
        case .ollama(let root, let model):
            [ProbeRequest(.get, root + "/api/version"), OllamaProbe.showRequest(root: root, model: model)]
        default:
            []
        }
    }

    /// What the answers to `discoveryRequests` say, in the same order.
    public func facts(from responses: [ProbeResponse]) -> DiscoveredFacts {
        guard case .ollama = self, responses.count == 2 else { return DiscoveredFacts() }
        var facts = DiscoveredFacts()
        if case .answered(200, let body) = responses[0], let version = ProbeText.string("version", in: body) {
            facts.metadata["ollama_version"] = .string(version)
        }
        if case .answered(200, let body) = responses[1] {
            facts.capabilities = OllamaProbe.capabilities(fromShowBody: body)
        }
        return facts
    }

    /// A request that loads the model into memory (Ollama: an empty generate), if the backend has one.
    public func preloadRequest(keepAlive: String?) -> ProbeRequest? {
        guard case .ollama(let root, let model) = self else { return nil }
        var body = #"{"model":"\#(OllamaProbe.jsonEscaped(model))""#
        if let keepAlive { body += #","keep_alive":\#(OllamaKeepAlive.json(keepAlive))"# }
        return ProbeRequest(.post, root + "/api/generate", body: body + "}")
    }
}

/// Ollama's `keep_alive` takes a duration string (`10m`) or a number of seconds (`-1`, `0`).
enum OllamaKeepAlive {
    static func json(_ value: String) -> String {
        Int(value) != nil ? value : "\"\(OllamaProbe.jsonEscaped(value))\""
    }
}
