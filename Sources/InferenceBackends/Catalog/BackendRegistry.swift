import InferenceModel

/// The built-in drivers plus the directory's `kind: Backend` declarations.
public struct BackendRegistry: BackendCatalog {
    public let drivers: [BackendDriver]
    /// Name to position in `drivers` (the first with that name): a lookup per instance never scans.
    private let positions: [String: Int]

    public init(customBackends: [BackendDefinition] = []) {
        let builtins: [BackendDriver] = [LlamaCppDriver(), OllamaDriver(), OpenAICompatibleDriver(), SimulationDriver()]
        let builtinIDs = Set(builtins.map(\.id))
        let custom = customBackends.filter { !builtinIDs.contains($0.name) }.map(GenericDriver.init)
        self.drivers = builtins + custom
        positions = Dictionary(drivers.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func driver(named name: String) -> BackendDriver? {
        positions[name].map { drivers[$0] }
    }

    public var backendNames: [String] { drivers.map(\.id) }

    public func manifests(for backend: String) -> [BackendManifest] {
        driver(named: backend)?.manifests ?? []
    }

    public func manifest(for spec: InstanceSpec) -> BackendManifest? {
        guard let driver = driver(named: spec.backend), let kind = startupKind(for: spec) else { return nil }
        return driver.manifest(for: spec, startupKind: kind)
    }

    public func issues(for spec: InstanceSpec, startupKind: StartupKind) -> [SpecIssue] {
        driver(named: spec.backend)?.issues(for: spec, startupKind: startupKind) ?? []
    }
}
