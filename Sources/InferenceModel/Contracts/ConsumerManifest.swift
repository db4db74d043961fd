/// What a consumer needs from an endpoint: the seed's `ConsumerManifest`.
public struct ConsumerManifest: Codable, Sendable, Equatable {
    public var contractVersion: String
    public var consumer: String
    public var acceptedRuntimeKinds: [RuntimeKind]
    /// Empty never matches (the seed's rule). YAML manifests default it to both modes.
    public var acceptedManagementModes: [ManagementMode]
    public var acceptedProtocols: [InferenceProtocol]
    public var requiredCapabilities: Capabilities
    public var optionalCapabilities: Capabilities
    public var constraints: ConsumerConstraints
    public var metadata: Metadata

    public init(
        consumer: String,
        acceptedRuntimeKinds: [RuntimeKind] = [.service],
        acceptedManagementModes: [ManagementMode] = [],
        acceptedProtocols: [InferenceProtocol] = [.openaiChatCompletions],
        requiredCapabilities: Capabilities = [:],
        optionalCapabilities: Capabilities = [:],
        constraints: ConsumerConstraints = .init(),
        metadata: Metadata = [:]
    ) {
        self.contractVersion = inferenceContractVersion
        self.consumer = consumer
        self.acceptedRuntimeKinds = acceptedRuntimeKinds
        self.acceptedManagementModes = acceptedManagementModes
        self.acceptedProtocols = acceptedProtocols
        self.requiredCapabilities = requiredCapabilities
        self.optionalCapabilities = optionalCapabilities
        self.constraints = constraints
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case contractVersion = "contract_version"
        case consumer
        case acceptedRuntimeKinds = "accepted_runtime_kinds"
        case acceptedManagementModes = "accepted_management_modes"
        case acceptedProtocols = "accepted_protocols"
        case requiredCapabilities = "required_capabilities"
        case optionalCapabilities = "optional_capabilities"
        case constraints, metadata
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        contractVersion = try c.decodeIfPresent(String.self, forKey: .contractVersion) ?? inferenceContractVersion
        consumer = try c.decode(String.self, forKey: .consumer)
        acceptedRuntimeKinds = try c.decodeIfPresent([RuntimeKind].self, forKey: .acceptedRuntimeKinds) ?? [.service]
        acceptedManagementModes = try c.decodeIfPresent([ManagementMode].self, forKey: .acceptedManagementModes) ?? []
        acceptedProtocols = try c.decodeIfPresent([InferenceProtocol].self, forKey: .acceptedProtocols) ?? [.openaiChatCompletions]
        requiredCapabilities = try c.decodeIfPresent(Capabilities.self, forKey: .requiredCapabilities) ?? [:]
        optionalCapabilities = try c.decodeIfPresent(Capabilities.self, forKey: .optionalCapabilities) ?? [:]
        constraints = try c.decodeIfPresent(ConsumerConstraints.self, forKey: .constraints) ?? .init()
        metadata = try c.decodeIfPresent(Metadata.self, forKey: .metadata) ?? [:]
    }
}

/// Extra requirements a consumer places on how the endpoint came to be.
public struct ConsumerConstraints: Codable, Sendable, Equatable {
    public var startupKind: StartupKind?

    public init(startupKind: StartupKind? = nil) {
        self.startupKind = startupKind
    }

    enum CodingKeys: String, CodingKey {
        case startupKind = "startup_kind"
    }
}
