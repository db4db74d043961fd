/// `kind: Consumer`: a client of an instance, with what it requires of it.
public struct ConsumerDefinition: Codable, Sendable, Equatable {
    public var metadata: ObjectMetadata
    public var spec: ConsumerSpec
    public var origin: ManifestOrigin

    public init(metadata: ObjectMetadata, spec: ConsumerSpec, origin: ManifestOrigin) {
        self.metadata = metadata
        self.spec = spec
        self.origin = origin
    }

    public var name: String { metadata.name }

    /// The seed's contract for this consumer.
    public var manifest: ConsumerManifest {
        ConsumerManifest(
            consumer: metadata.name,
            acceptedRuntimeKinds: spec.acceptedRuntimeKinds,
            acceptedManagementModes: spec.acceptedManagementModes,
            acceptedProtocols: spec.acceptedProtocols,
            requiredCapabilities: spec.requiredCapabilities,
            optionalCapabilities: spec.optionalCapabilities,
            constraints: ConsumerConstraints(startupKind: spec.startupKind)
        )
    }
}

public struct ConsumerSpec: Codable, Sendable, Equatable {
    /// The instance this consumer uses, by name. Exactly one of `instance` and `selector` is set.
    public var instance: String?
    /// Instance labels to match; the first matching instance (by name) that is compatible is used.
    public var selector: [String: String]?
    public var acceptedRuntimeKinds: [RuntimeKind]
    /// Defaults to both modes in YAML (the seed's empty default would match nothing).
    public var acceptedManagementModes: [ManagementMode]
    public var acceptedProtocols: [InferenceProtocol]
    public var requiredCapabilities: Capabilities
    public var optionalCapabilities: Capabilities
    /// The seed's `constraints.startup_kind`.
    public var startupKind: StartupKind?

    public init(
        instance: String? = nil,
        selector: [String: String]? = nil,
        acceptedRuntimeKinds: [RuntimeKind] = [.service],
        acceptedManagementModes: [ManagementMode] = ManagementMode.allCases,
        acceptedProtocols: [InferenceProtocol] = [.openaiChatCompletions],
        requiredCapabilities: Capabilities = [CapabilityName.streaming: .supported(true)],
        optionalCapabilities: Capabilities = [:],
        startupKind: StartupKind? = nil
    ) {
        self.instance = instance
        self.selector = selector
        self.acceptedRuntimeKinds = acceptedRuntimeKinds
        self.acceptedManagementModes = acceptedManagementModes
        self.acceptedProtocols = acceptedProtocols
        self.requiredCapabilities = requiredCapabilities
        self.optionalCapabilities = optionalCapabilities
        self.startupKind = startupKind
    }
}
