/// How long an inference runtime lives: a long-running `service` or a one-shot `task`.
public enum RuntimeKind: String, Codable, Sendable, CaseIterable, Hashable {
    case service
    case task
}

/// Who owns the process: we spawn and stop it (`managed`), or someone else does (`externally_managed`).
public enum ManagementMode: String, Codable, Sendable, CaseIterable, Hashable {
    case managed
    case externallyManaged = "externally_managed"

    /// Accepts the seed's `jido_managed` spelling on input.
    public init?(wireName: String) {
        switch wireName {
        case "managed", "jido_managed": self = .managed
        case "externally_managed": self = .externallyManaged
        default: return nil
        }
    }

    public init(from decoder: Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let mode = ManagementMode(wireName: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "unknown management mode '\(raw)'"))
        }
        self = mode
    }
}

/// How an instance comes to exist: we start it, or we attach to one already running.
public enum StartupKind: String, Codable, Sendable, CaseIterable, Hashable {
    case spawned
    case attachExistingService = "attach_existing_service"

    /// Truthfulness rule 1: spawned <-> managed, attached <-> externally managed.
    public var managementMode: ManagementMode {
        switch self {
        case .spawned: .managed
        case .attachExistingService: .externallyManaged
        }
    }
}

/// Where a spawned process runs. Only `local_subprocess` has a transport today.
public enum ExecutionSurface: String, Codable, Sendable, CaseIterable, Hashable {
    case localSubprocess = "local_subprocess"
    case sshExec = "ssh_exec"
    case guestBridge = "guest_bridge"
}

/// Wire protocols a backend speaks and a consumer accepts.
public enum InferenceProtocol: String, Codable, Sendable, CaseIterable, Hashable {
    case openaiChatCompletions = "openai_chat_completions"
    case openaiCompletions = "openai_completions"
    case openaiEmbeddings = "openai_embeddings"
    case ollamaAPI = "ollama_api"
}

/// A capability is known to be present, known to be absent, or `unknown`.
/// The seed compares these by exact equality: `unknown` matches only `unknown`.
public enum CapabilityValue: Sendable, Hashable, Codable, CustomStringConvertible {
    case supported(Bool)
    case unknown

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            self = .supported(flag)
        } else if let text = try? container.decode(String.self), text == "unknown" {
            self = .unknown
        } else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "a capability is true, false or \"unknown\""))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .supported(let flag): try container.encode(flag)
        case .unknown: try container.encode("unknown")
        }
    }

    public var description: String {
        switch self {
        case .supported(let flag): flag ? "true" : "false"
        case .unknown: "unknown"
        }
    }
}

/// Well-known capability names. Others are allowed (custom backends may declare their own).
public enum CapabilityName {
    public static let streaming = "streaming"
    public static let toolCalling = "tool_calling"
    public static let embeddings = "embeddings"
    public static let vision = "vision"
    public static let thinking = "thinking"
    public static let known = [streaming, toolCalling, embeddings, vision, thinking]
}

public typealias Capabilities = [String: CapabilityValue]
