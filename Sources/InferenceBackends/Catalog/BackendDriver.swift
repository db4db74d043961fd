import InferenceModel

/// One kind of backend: what it declares and which spec fields it needs.
/// Drivers are pure; the runtime does their I/O.
public protocol BackendDriver: Sendable {
    var id: String { get }
    /// One manifest per startup kind the backend supports.
    var manifests: [BackendManifest] { get }
    /// The manifest for one instance, refined by its spec (e.g. embeddings turned on).
    func manifest(for spec: InstanceSpec, startupKind: StartupKind) -> BackendManifest?
    /// Rules this backend adds for an instance spec.
    func issues(for spec: InstanceSpec, startupKind: StartupKind) -> [SpecIssue]
    /// How to start an instance (spawned backends only).
    func launchPlan(for instance: InstanceManifest, context: LaunchContext) throws -> LaunchPlan
    /// How to reach an instance we do not start (attached backends only).
    func attachPlan(for instance: InstanceManifest) throws -> AttachPlan
    /// The user message of a smoke completion when `readiness.smoke.prompt` is not written.
    var defaultSmokePrompt: String { get }
}

extension BackendDriver {
    public func manifest(for spec: InstanceSpec, startupKind: StartupKind) -> BackendManifest? {
        manifests.first { $0.startupKind == startupKind }
    }

    public func launchPlan(for instance: InstanceManifest, context: LaunchContext) throws -> LaunchPlan {
        throw BackendError.unsupported("backend '\(id)' does not spawn servers")
    }

    public func attachPlan(for instance: InstanceManifest) throws -> AttachPlan {
        throw BackendError.unsupported("backend '\(id)' does not attach to servers")
    }

    public var defaultSmokePrompt: String { SmokeRequestBody.standardPrompt }
}

public enum BackendError: Error, CustomStringConvertible, Equatable {
    case unsupported(String)
    case invalidSpec(String)

    public var description: String {
        switch self {
        case .unsupported(let text), .invalidSpec(let text): text
        }
    }
}
