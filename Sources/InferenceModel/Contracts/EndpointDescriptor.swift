/// What a consumer is handed: where to send OpenAI-compatible requests and what it will get.
/// Consumers call `baseURL + "/chat/completions"` with `model = modelIdentity`.
public struct EndpointDescriptor: Codable, Sendable, Equatable {
    public var contractVersion: String
    public var endpointID: String
    public var runtimeKind: RuntimeKind
    public var managementMode: ManagementMode
    public var targetClass: String
    public var `protocol`: InferenceProtocol
    public var baseURL: String
    /// Plain header values only. Secrets are never placed here: see `secretHeaders`.
    public var headers: [String: String]
    /// Headers whose value is a secret, given by reference (`env:NAME` / `file:PATH`), never by value.
    public var secretHeaders: [String: SecretReference]
    public var providerIdentity: String
    public var modelIdentity: String
    public var sourceRuntime: String
    public var sourceRuntimeRef: String
    public var leaseRef: String?
    public var healthRef: String?
    public var boundaryRef: String?
    public var capabilities: Capabilities
    public var metadata: Metadata

    public init(
        instance: String,
        runtimeKind: RuntimeKind = .service,
        managementMode: ManagementMode,
        protocol: InferenceProtocol,
        baseURL: String,
        headers: [String: String] = [:],
        secretHeaders: [String: SecretReference] = [:],
        providerIdentity: String,
        modelIdentity: String,
        sourceRuntime: String,
        sourceRuntimeRef: String,
        leaseRef: String? = nil,
        healthRef: String? = nil,
        boundaryRef: String? = nil,
        capabilities: Capabilities,
        metadata: Metadata = [:]
    ) {
        self.contractVersion = inferenceContractVersion
        self.endpointID = "\(instance):endpoint"
        self.runtimeKind = runtimeKind
        self.managementMode = managementMode
        self.targetClass = "self_hosted_endpoint"
        self.protocol = `protocol`
        self.baseURL = baseURL
        self.headers = headers
        self.secretHeaders = secretHeaders
        self.providerIdentity = providerIdentity
        self.modelIdentity = modelIdentity
        self.sourceRuntime = sourceRuntime
        self.sourceRuntimeRef = sourceRuntimeRef
        self.leaseRef = leaseRef
        self.healthRef = healthRef
        self.boundaryRef = boundaryRef
        self.capabilities = capabilities
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case contractVersion = "contract_version"
        case endpointID = "endpoint_id"
        case runtimeKind = "runtime_kind"
        case managementMode = "management_mode"
        case targetClass = "target_class"
        case `protocol`
        case baseURL = "base_url"
        case headers
        case secretHeaders = "secret_headers"
        case providerIdentity = "provider_identity"
        case modelIdentity = "model_identity"
        case sourceRuntime = "source_runtime"
        case sourceRuntimeRef = "source_runtime_ref"
        case leaseRef = "lease_ref"
        case healthRef = "health_ref"
        case boundaryRef = "boundary_ref"
        case capabilities, metadata
    }
}
