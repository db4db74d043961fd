import InferenceModel

/// An HTTP request the runtime sends to learn readiness or health.
public struct ProbeRequest: Sendable, Equatable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }
    public var method: Method
    /// Absolute URL.
    public var url: String
    public var body: String?

    public init(_ method: Method = .get, _ url: String, body: String? = nil) {
        self.method = method
        self.url = url
        self.body = body
    }
}

/// What came back: a status and body, or a transport error (`connection refused`).
public enum ProbeResponse: Sendable, Equatable {
    case answered(status: Int, body: String)
    case unreachable(String)
}

/// A probe's reading of the server.
public enum ProbeVerdict: Sendable, Equatable {
    case ready
    /// Up but not ready (503 while loading, model not pulled): keep waiting, with the reason.
    case notReady(String)
    /// Will never become ready as configured (401 without a key): stop waiting.
    case fatal(String)
}

/// How a backend's probes are built and read. Pure: each step is given the previous answers.
public struct ProbeSet: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// llama-server: `/health` 200 ready, 503 loading; fall back to `/v1/models` when `/health` is missing.
        case llamaHealth(root: String)
        /// Any OpenAI-compatible server: `GET {base}/models`, optionally requiring a model id to be listed.
        case openAIModels(root: String, path: String, model: String?)
        /// A plain path that answers 2xx when ready.
        case httpPath(root: String, path: String)
        /// Ollama: `/api/version` and `/api/show {model}`.
        case ollama(root: String, model: String)
    }

    public var readiness: Kind
    public var health: Kind

    public init(readiness: Kind, health: Kind? = nil) {
        self.readiness = readiness
        self.health = health ?? readiness
    }
}
