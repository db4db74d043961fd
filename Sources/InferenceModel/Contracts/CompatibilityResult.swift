/// Why a consumer can or cannot use a backend. The raw values are the seed's reason codes.
public enum CompatibilityReason: String, Codable, Sendable, CaseIterable {
    case runtimeKindMismatch = "runtime_kind_mismatch"
    case managementModeMismatch = "management_mode_mismatch"
    case unsupportedProtocol = "unsupported_protocol"
    case startupKindUnsupported = "startup_kind_unsupported"
    case missingStreaming = "missing_streaming"
    case missingCapability = "missing_capability"
    case protocolMatch = "protocol_match"
}

/// One unmet requirement: which rule failed and what was asked versus offered.
public struct MissingRequirement: Codable, Sendable, Equatable {
    public var reason: CompatibilityReason
    public var requirement: String
    public var required: String
    public var offered: String

    public init(reason: CompatibilityReason, requirement: String, required: String, offered: String) {
        self.reason = reason
        self.requirement = requirement
        self.required = required
        self.offered = offered
    }

    /// A sentence for people: "requires capability tool_calling = true, backend offers unknown".
    public var explanation: String {
        "\(requirement): consumer requires \(required), backend offers \(offered)"
    }
}

/// The seed's `CompatibilityResult`, listing every missing requirement rather than the first.
public struct CompatibilityResult: Codable, Sendable, Equatable {
    public var contractVersion: String
    public var compatible: Bool
    /// The first failing rule in the seed's order, or `protocol_match` when compatible.
    public var reason: CompatibilityReason
    public var resolvedRuntimeKind: RuntimeKind?
    public var resolvedManagementMode: ManagementMode?
    public var resolvedProtocol: InferenceProtocol?
    public var warnings: [String]
    public var missingRequirements: [MissingRequirement]
    public var metadata: Metadata

    public init(
        compatible: Bool,
        reason: CompatibilityReason,
        resolvedRuntimeKind: RuntimeKind?,
        resolvedManagementMode: ManagementMode?,
        resolvedProtocol: InferenceProtocol?,
        warnings: [String],
        missingRequirements: [MissingRequirement],
        metadata: Metadata = [:]
    ) {
        self.contractVersion = inferenceContractVersion
        self.compatible = compatible
        self.reason = reason
        self.resolvedRuntimeKind = resolvedRuntimeKind
        self.resolvedManagementMode = resolvedManagementMode
        self.resolvedProtocol = resolvedProtocol
        self.warnings = warnings
        self.missingRequirements = missingRequirements
        self.metadata = metadata
    }

    enum CodingKeys: String, CodingKey {
        case contractVersion = "contract_version"
        case compatible
        case reason
        case resolvedRuntimeKind = "resolved_runtime_kind"
        case resolvedManagementMode = "resolved_management_mode"
        case resolvedProtocol = "resolved_protocol"
        case warnings
        case missingRequirements = "missing_requirements"
        case metadata
    }
}
