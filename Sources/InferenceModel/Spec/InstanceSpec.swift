/// `kind: Instance`: one inference server we run or attach to.
public struct InstanceManifest: Codable, Sendable, Equatable {
    public var metadata: ObjectMetadata
    public var spec: InstanceSpec
    public var origin: ManifestOrigin

    public init(metadata: ObjectMetadata, spec: InstanceSpec, origin: ManifestOrigin) {
        self.metadata = metadata
        self.spec = spec
        self.origin = origin
    }

    public var name: String { metadata.name }
}

public struct InstanceSpec: Codable, Sendable, Equatable {
    /// A built-in backend id (`llama_cpp`, `ollama`, `openai_compatible`, `simulation`) or a `kind: Backend` name.
    public var backend: String
    /// Optional; when written it must agree with the backend (truthfulness rule 2).
    public var startupKind: StartupKind?
    /// Optional; when written it must agree with the startup kind (rule 1).
    public var managementMode: ManagementMode?
    public var surface: ExecutionSurface
    public var model: ModelSpec
    public var server: ServerSpec
    /// Command template for generic spawned servers: `{host}`, `{port}`, `{model.path}`, `{model.identity}`.
    public var command: [String]?
    /// Where an attached server is (for `ollama`, its root URL; for `openai_compatible`, its base URL).
    public var url: String?
    public var readiness: ReadinessSpec
    public var health: HealthSpec
    public var restart: RestartSpec
    public var stop: StopSpec
    public var activation: ActivationSpec
    public var ollama: OllamaSpec
    /// What the server takes of the machine, for residency groups. Not part of the fingerprint.
    public var resources: ResourcesSpec = .init()
    /// How a changed spec replaces the running server. Not part of the fingerprint.
    public var rollout: RolloutSpec = .init()

    public init(
        backend: String,
        startupKind: StartupKind? = nil,
        managementMode: ManagementMode? = nil,
        surface: ExecutionSurface = .localSubprocess,
        model: ModelSpec = .init(),
        server: ServerSpec = .init(),
        command: [String]? = nil,
        url: String? = nil,
        readiness: ReadinessSpec = .init(),
        health: HealthSpec = .init(),
        restart: RestartSpec = .init(),
        stop: StopSpec = .init(),
        activation: ActivationSpec = .init(),
        ollama: OllamaSpec = .init()
    ) {
        self.backend = backend
        self.startupKind = startupKind
        self.managementMode = managementMode
        self.surface = surface
        self.model = model
        self.server = server
        self.command = command
        self.url = url
        self.readiness = readiness
        self.health = health
        self.restart = restart
        self.stop = stop
        self.activation = activation
        self.ollama = ollama
    }
}

public struct ModelSpec: Codable, Sendable, Equatable {
    /// Model file; relative paths are resolved against the manifest's folder when loaded.
    public var path: String?
    /// The name consumers send as `model` (llama.cpp `--alias`, Ollama model name).
    public var identity: String?

    public init(path: String? = nil, identity: String? = nil) {
        self.path = path
        self.identity = identity
    }
}

/// A port written as a number, or `auto`: picked once, then kept so URLs do not churn.
public enum PortSetting: Codable, Sendable, Hashable, CustomStringConvertible {
    case fixed(Int)
    case auto

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let number = try? c.decode(Int.self) { self = .fixed(number) }
        else if try c.decode(String.self) == "auto" { self = .auto }
        else { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "port is a number or auto")) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .fixed(let number): try c.encode(number)
        case .auto: try c.encode("auto")
        }
    }

    public var description: String {
        switch self {
        case .fixed(let number): String(number)
        case .auto: "auto"
        }
    }
}

/// llama.cpp's `--n-gpu-layers`: `auto`, `all` or a count.
public enum GPULayers: Codable, Sendable, Hashable, CustomStringConvertible {
    case auto
    case all
    case count(Int)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let number = try? c.decode(Int.self) { self = .count(number); return }
        switch try c.decode(String.self) {
        case "auto": self = .auto
        case "all": self = .all
        default: throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "gpuLayers is auto, all or a number"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .auto: try c.encode("auto")
        case .all: try c.encode("all")
        case .count(let n): try c.encode(n)
        }
    }

    public var description: String {
        switch self {
        case .auto: "auto"
        case .all: "all"
        case .count(let n): String(n)
        }
    }
}

public struct ServerSpec: Codable, Sendable, Equatable {
    public var host: String
    public var port: PortSetting
    public var ctxSize: Int?
    public var threads: Int?
    public var parallel: Int?
    public var gpuLayers: GPULayers?
    public var flashAttn: Bool?
    public var embeddings: Bool?
    /// llama.cpp's `--chat-template`: a built-in template name (`gemma`, `chatml`, `llama3`…) or a Jinja
    /// template, for models whose GGUF carries none or a wrong one.
    public var chatTemplate: String?
    public var apiKey: SecretReference?
    /// Program to run: a name looked up in PATH or a path (relative to the manifest).
    public var binary: String?
    public var extraArgs: [String]
    public var env: [String: EnvironmentValue]

    public init(
        host: String = "127.0.0.1",
        port: PortSetting = .auto,
        ctxSize: Int? = nil,
        threads: Int? = nil,
        parallel: Int? = nil,
        gpuLayers: GPULayers? = nil,
        flashAttn: Bool? = nil,
        embeddings: Bool? = nil,
        chatTemplate: String? = nil,
        apiKey: SecretReference? = nil,
        binary: String? = nil,
        extraArgs: [String] = [],
        env: [String: EnvironmentValue] = [:]
    ) {
        self.host = host
        self.port = port
        self.ctxSize = ctxSize
        self.threads = threads
        self.parallel = parallel
        self.gpuLayers = gpuLayers
        self.flashAttn = flashAttn
        self.embeddings = embeddings
        self.chatTemplate = chatTemplate
        self.apiKey = apiKey
        self.binary = binary
        self.extraArgs = extraArgs
        self.env = env
    }
}

public struct ReadinessSpec: Codable, Sendable, Equatable {
    /// Give up waiting for readiness after this long (real models load slowly).
    public var timeout: DurationValue
    /// Fail early when neither the log nor the probe has changed for this long.
    public var stallTimeout: DurationValue?
    /// Probe path overriding the backend's default.
    public var path: String?
    /// A real completion that must succeed before Ready; nil (the default): the probe alone decides.
    public var smoke: SmokeSpec?

    public init(timeout: DurationValue = .minutes(5), stallTimeout: DurationValue? = nil, path: String? = nil,
                smoke: SmokeSpec? = nil) {
        self.timeout = timeout
        self.stallTimeout = stallTimeout
        self.path = path
        self.smoke = smoke
    }
}

public struct HealthSpec: Codable, Sendable, Equatable {
    public var interval: DurationValue
    public var failureThreshold: Int
    public var path: String?
    /// The readiness smoke completion, repeated at its own interval; nil (the default): off.
    public var smoke: HealthSmokeSpec?

    public init(interval: DurationValue = .seconds(10), failureThreshold: Int = 3, path: String? = nil,
                smoke: HealthSmokeSpec? = nil) {
        self.interval = interval
        self.failureThreshold = failureThreshold
        self.path = path
        self.smoke = smoke
    }
}

public enum RestartPolicy: String, Codable, Sendable, CaseIterable {
    case always = "Always"
    case onFailure = "OnFailure"
    case never = "Never"
}

public struct RestartSpec: Codable, Sendable, Equatable {
    public var policy: RestartPolicy
    /// First delay before a restart; doubles with each consecutive restart up to `maxBackoff`.
    public var backoff: DurationValue
    public var maxBackoff: DurationValue

    public init(policy: RestartPolicy = .onFailure, backoff: DurationValue = .seconds(1), maxBackoff: DurationValue = .minutes(5)) {
        self.policy = policy
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }
}

public struct StopSpec: Codable, Sendable, Equatable {
    /// Signal name sent to the process group first: SIGTERM, SIGINT, SIGQUIT or SIGHUP.
    public var signal: String
    /// How long to wait after the signal before SIGKILL.
    public var gracePeriod: DurationValue

    public init(signal: String = "SIGTERM", gracePeriod: DurationValue = .seconds(10)) {
        self.signal = signal
        self.gracePeriod = gracePeriod
    }

    public static let allowedSignals = ["SIGTERM", "SIGINT", "SIGQUIT", "SIGHUP"]
}

public enum ActivationMode: String, Codable, Sendable, CaseIterable {
    case always = "Always"
    case onDemand = "OnDemand"
}

public struct ActivationSpec: Codable, Sendable, Equatable {
    public var mode: ActivationMode
    public var idleTimeout: DurationValue?

    public init(mode: ActivationMode = .always, idleTimeout: DurationValue? = nil) {
        self.mode = mode
        self.idleTimeout = idleTimeout
    }
}

/// Settings only the `ollama` backend reads.
public struct OllamaSpec: Codable, Sendable, Equatable {
    /// Load the model into memory once attached (an empty generate request).
    public var preload: Bool
    /// Passed through as Ollama's `keep_alive`, e.g. `10m` or `-1`.
    public var keepAlive: String?

    public init(preload: Bool = false, keepAlive: String? = nil) {
        self.preload = preload
        self.keepAlive = keepAlive
    }
}
