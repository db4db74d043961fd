/// `kind: Backend`: a user-declared backend on the generic driver.
public struct BackendDefinition: Codable, Sendable, Equatable {
    public var metadata: ObjectMetadata
    public var spec: CustomBackendSpec
    public var origin: ManifestOrigin

    public init(metadata: ObjectMetadata, spec: CustomBackendSpec, origin: ManifestOrigin) {
        self.metadata = metadata
        self.spec = spec
        self.origin = origin
    }

    public var name: String { metadata.name }

    /// The seed's contract for this backend.
    public var manifest: BackendManifest {
        BackendManifest(
            backend: metadata.name,
            runtimeKind: spec.runtimeKind,
            managementModes: spec.managementModes ?? [spec.startupKind.managementMode],
            startupKind: spec.startupKind,
            protocols: spec.protocols,
            capabilities: spec.capabilities,
            supportedSurfaces: spec.supportedSurfaces,
            metadata: ["driver": .string("generic")]
        )
    }
}

public struct CustomBackendSpec: Codable, Sendable, Equatable {
    public var startupKind: StartupKind
    public var managementModes: [ManagementMode]?
    public var runtimeKind: RuntimeKind
    public var protocols: [InferenceProtocol]
    public var capabilities: Capabilities
    public var supportedSurfaces: [ExecutionSurface]
    /// Command template for spawned backends: `{host}`, `{port}`, `{model.path}`, `{model.identity}`.
    public var command: [String]?
    /// Readiness probe path, relative to the server root (default `/v1/models`).
    public var probePath: String
    /// Health probe path (default: the probe path).
    public var healthPath: String?

    public init(
        startupKind: StartupKind,
        managementModes: [ManagementMode]? = nil,
        runtimeKind: RuntimeKind = .service,
        protocols: [InferenceProtocol] = [.openaiChatCompletions],
        capabilities: Capabilities = [CapabilityName.streaming: .supported(true)],
        supportedSurfaces: [ExecutionSurface] = [.localSubprocess],
        command: [String]? = nil,
        probePath: String = "/v1/models",
        healthPath: String? = nil
    ) {
        self.startupKind = startupKind
        self.managementModes = managementModes
        self.runtimeKind = runtimeKind
        self.protocols = protocols
        self.capabilities = capabilities
        self.supportedSurfaces = supportedSurfaces
        self.command = command
        self.probePath = probePath
        self.healthPath = healthPath
    }
}
