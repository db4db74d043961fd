/// What validation and planning need to know about backends, implemented by the backends layer.
/// Kept as a protocol so the pure core does not depend on any driver.
public protocol BackendCatalog: Sendable {
    /// Every backend id known: built-ins and `kind: Backend` declarations.
    var backendNames: [String] { get }
    /// The manifests a backend offers, one per startup kind it supports.
    func manifests(for backend: String) -> [BackendManifest]
    /// The rules a backend adds for an instance's spec (required fields, fields it ignores).
    func issues(for spec: InstanceSpec, startupKind: StartupKind) -> [SpecIssue]
    /// The backend manifest that governs an instance (a default is provided).
    func manifest(for spec: InstanceSpec) -> BackendManifest?
}

extension BackendCatalog {
    /// The startup kind an instance resolves to: written, or the only one the backend has,
    /// or (for backends with both) attached when a `url` is given without a `command`.
    public func startupKind(for spec: InstanceSpec) -> StartupKind? {
        if let written = spec.startupKind { return written }
        let kinds = manifests(for: spec.backend).map(\.startupKind)
        if kinds.count == 1 { return kinds[0] }
        guard !kinds.isEmpty else { return nil }
        return spec.url != nil && spec.command == nil ? .attachExistingService : .spawned
    }

    /// The backend manifest that governs an instance, if its backend supports its startup kind.
    public func manifest(for spec: InstanceSpec) -> BackendManifest? {
        guard let kind = startupKind(for: spec) else { return nil }
        return manifests(for: spec.backend).first { $0.startupKind == kind }
    }
}
