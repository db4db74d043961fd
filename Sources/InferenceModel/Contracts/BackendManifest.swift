/// What a backend is and can do: the seed's `BackendManifest`.
public struct BackendManifest: Codable, Sendable, Equatable {
    public var contractVersion: String
    public var backend: String
    public var runtimeKind: RuntimeKind
    public var managementModes: [ManagementMode]
    public var startupKind: StartupKind
    public var protocols: [InferenceProtocol]
    public var capabilities: Capabilities
    public var supportedSurfaces: [ExecutionSurface]
    public var resourceProfile: Metadata
    public var metadata: Metadata

    public init(
        backend: String,
        runtimeKind: RuntimeKind = .service,
        managementModes: [ManagementMode],
        startupKind: StartupKind,
        protocols: [InferenceProtocol] = [.openaiChatCompletions],
        capabilities: Capabilities = [CapabilityName.streaming: .supported(true)],
        supportedSurfaces: [ExecutionSurface] = [.localSubprocess],
        resourceProfile: Metadata = [:],
        metadata: Metadata = [:]
    ) {
        self.contractVersion = inferenceContractVersion
        self.backend = backend
        self.runtimeKind = runtimeKind
        self.managementModes = managementModes
        self.startupKind = startupKind
        self.protocols = protocols
        self.capabilities = capabilities
        self.supportedSurfaces = supportedSurfaces
        self.resourceProfile = resourceProfile
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case contractVersion = "contract_version"
        case backend
        case runtimeKind = "runtime_kind"
        case managementModes = "management_modes"
        case startupKind = "startup_kind"
        case protocols, capabilities
        case supportedSurfaces = "supported_surfaces"
        case resourceProfile = "resource_profile"
        case metadata
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        contractVersion = try c.decodeIfPresent(String.self, forKey: .contractVersion) ?? inferenceContractVersion
        backend = try c.decode(String.self, forKey: .backend)
        runtimeKind = try c.decodeIfPresent(RuntimeKind.self, forKey: .runtimeKind) ?? .service
        managementModes = try c.decode([ManagementMode].self, forKey: .managementModes)
        startupKind = try c.decode(StartupKind.self, forKey: .startupKind)
        protocols = try c.decodeIfPresent([InferenceProtocol].self, forKey: .protocols) ?? [.openaiChatCompletions]
        capabilities = try c.decode(Capabilities.self, forKey: .capabilities)
        supportedSurfaces = try c.decodeIfPresent([ExecutionSurface].self, forKey: .supportedSurfaces) ?? [.localSubprocess]
        resourceProfile = try c.decodeIfPresent(Metadata.self, forKey: .resourceProfile) ?? [:]
        metadata = try c.decodeIfPresent(Metadata.self, forKey: .metadata) ?? [:]
    }
}
