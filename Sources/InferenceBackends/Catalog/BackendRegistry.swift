import InferenceModel

/// The built-in drivers plus the directory's `kind: Backend` declarations.
public struct BackendRegistry: BackendCatalog {
    public let drivers: [BackendDriver]

    public init(customBackends: [BackendDefinition] = []) {
        let builtins: [BackendDriver] = [LlamaCppDriver(), OllamaDriver(), OpenAICompatibleDriver(), SimulationDriver()]
        let builtinIDs = Set(builtins.map(\.id))
        let custom = customBackends.filter { !builtinIDs.contains($0.name) }.map(GenericDriver.init)
        self.drivers = builtins + custom
    }

    public func driver(named name: String) -> BackendDriver? {
        drivers.first { $0.id == name }
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
