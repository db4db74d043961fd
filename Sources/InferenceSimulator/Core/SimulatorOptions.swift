/// Every setting of the simulator, independent of how it was parsed.
///
/// `SimulatorCommand` fills this from command-line flags; tests and other
/// executables can build one directly and pass it to `runSimulator(_:)` or
/// `SimulatorServer.start(_:)`.
public struct SimulatorOptions: Sendable {
    /// Which HTTP API the simulator imitates.
    public enum Mode: Sendable, Equatable {
        /// llama.cpp `llama-server`: one model, `/health`, OpenAI `/v1/*`.
        case llamaServer
        /// Ollama daemon: `/api/*` model management plus OpenAI `/v1/*`.
        case ollama
    }

    public var host: String
    /// `0` lets the operating system pick a free port.
    public var port: Int
    public var modelID: String
    /// Time between start and readiness; the listener accepts connections meanwhile.
    public var loadDelay: Duration
    /// When set, `/v1/*` requests must send `Authorization: Bearer <apiKey>`.
    public var apiKey: String?
    /// When set, the process `_exit(70)`s this long after start (process-level, `runSimulator` only).
    public var crashAfter: Duration?
    /// When set, the process exits with this status before becoming ready (`runSimulator` only).
    public var exitBeforeReady: Int32?
    /// Ignore SIGTERM and SIGINT so that only SIGKILL stops the process (`runSimulator` only).
    public var ignoreSigterm: Bool
    /// When set, completions after the first N (`/v1/chat/completions`, `/v1/completions`) hang:
    /// a server whose health probe answers but whose generation does not. 0 hangs them all.
    public var hangGenerationAfter: Int?
    public var mode: Mode
    /// Models installed at start in Ollama mode.
    public var ollamaModels: [OllamaModelSpec]
    /// Models loaded at start in Ollama mode (installed too when missing).
    public var ollamaLoaded: [String]
    public var ollamaVersion: String
    /// Receives every log line (without newline). Defaults to flushed stdout.
    public var log: @Sendable (String) -> Void
    /// For programs embedding the simulator (tests): after `loadDelay`, the model finishes loading
    /// only once this returns, so "while loading" does not depend on how busy the machine is.
    public var loadGate: (@Sendable () async -> Void)? = nil

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        modelID: String = "sim-model",
        loadDelay: Duration = .zero,
        apiKey: String? = nil,
        crashAfter: Duration? = nil,
        exitBeforeReady: Int32? = nil,
        ignoreSigterm: Bool = false,
        hangGenerationAfter: Int? = nil,
        mode: Mode = .llamaServer,
        ollamaModels: [OllamaModelSpec] = [],
        ollamaLoaded: [String] = [],
        ollamaVersion: String = "0.12.3",
        log: @escaping @Sendable (String) -> Void = SimulatorLog.writeToStandardOutput
    ) {
        self.host = host
        self.port = port
        self.modelID = modelID
        self.loadDelay = loadDelay
        self.apiKey = apiKey
        self.crashAfter = crashAfter
        self.exitBeforeReady = exitBeforeReady
        self.ignoreSigterm = ignoreSigterm
        self.hangGenerationAfter = hangGenerationAfter
        self.mode = mode
        self.ollamaModels = ollamaModels
        self.ollamaLoaded = ollamaLoaded
        self.ollamaVersion = ollamaVersion
        self.log = log
    }
}

/// An Ollama model to install at start: `NAME[=cap1,cap2]`.
public struct OllamaModelSpec: Sendable, Equatable {
    public var name: String
    public var capabilities: [String]

    public static let defaultCapabilities = ["completion"]

    public init(name: String, capabilities: [String] = OllamaModelSpec.defaultCapabilities) {
        self.name = name
        self.capabilities = capabilities
    }

    /// Parses `llama3.2`, `llama3.2:1b=completion,tools`; nil when the name is empty.
    public init?(parsing text: String) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { return nil }
        var capabilities = OllamaModelSpec.defaultCapabilities
        if parts.count == 2 {
            capabilities = parts[1]
                .split(separator: ",")
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            if capabilities.isEmpty { return nil }
        }
        self.init(name: name, capabilities: capabilities)
    }
}
