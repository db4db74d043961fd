import Foundation

/// Installed and loaded models of the simulated Ollama daemon.
///
/// An actor because pulls, loads and listings arrive concurrently.
actor OllamaModelStore {
    struct InstalledModel: Sendable {
        let name: OllamaModelName
        var capabilities: [String]
        var modifiedAt: Date
        let facts: OllamaModelFacts
    }

    struct LoadedModel: Sendable {
        let model: InstalledModel
        let expiresAt: Date
    }

    /// Ollama keeps a model loaded for 5 minutes after its last use by default.
    static let defaultKeepAlive: TimeInterval = 5 * 60
    /// A negative keep-alive means "forever"; Ollama then reports a far-future expiry.
    private static let foreverKeepAlive: TimeInterval = 292 * 365 * 24 * 3600

    private var installed: [OllamaModelName: InstalledModel] = [:]
    private var expiryByLoadedName: [OllamaModelName: Date] = [:]

    static func preloaded(installing specs: [OllamaModelSpec], loading names: [String]) async throws -> OllamaModelStore {
        let store = OllamaModelStore()
        for spec in specs {
            guard let name = OllamaModelName(spec.name) else { throw InvalidModelName(text: spec.name) }
            await store.install(name, capabilities: spec.capabilities)
        }
        for rawName in names {
            guard let name = OllamaModelName(rawName) else { throw InvalidModelName(text: rawName) }
            if await store.model(named: name) == nil {
                await store.install(name, capabilities: OllamaModelSpec.defaultCapabilities)
            }
            _ = await store.load(name, keepAlive: nil)
        }
        return store
    }

    struct InvalidModelName: Error, CustomStringConvertible {
        let text: String
        var description: String { "invalid Ollama model name '\(text)'" }
    }

    /// Installs (or refreshes) a model; pulling an installed model keeps its capabilities.
    @discardableResult
    func install(_ name: OllamaModelName, capabilities: [String]? = nil) -> InstalledModel {
        if var existing = installed[name] {
            existing.modifiedAt = Date()
            if let capabilities { existing.capabilities = capabilities }
            installed[name] = existing
            return existing
        }
        let model = InstalledModel(
            name: name,
            capabilities: capabilities ?? OllamaModelSpec.defaultCapabilities,
            modifiedAt: Date(),
            facts: OllamaModelFacts(name: name)
        )
        installed[name] = model
        return model
    }

    func model(named name: OllamaModelName) -> InstalledModel? {
        installed[name]
    }

    /// Removes a model (unloading it first); false when it was not installed.
    func remove(_ name: OllamaModelName) -> Bool {
        expiryByLoadedName[name] = nil
        return installed.removeValue(forKey: name) != nil
    }

    /// Newest first, like `ollama list`.
    func installedModels() -> [InstalledModel] {
        installed.values.sorted { ($0.modifiedAt, $0.name.displayName) > ($1.modifiedAt, $1.name.displayName) }
    }

    /// Loads (or refreshes the expiry of) an installed model; nil when not installed.
    /// `keepAlive` in seconds: nil means the default, negative means forever.
    func load(_ name: OllamaModelName, keepAlive: TimeInterval?) -> InstalledModel? {
        guard let model = installed[name] else { return nil }
        let seconds = keepAlive ?? Self.defaultKeepAlive
        expiryByLoadedName[name] = Date().addingTimeInterval(seconds < 0 ? Self.foreverKeepAlive : seconds)
        return model
    }

    func unload(_ name: OllamaModelName) {
        expiryByLoadedName[name] = nil
    }

    /// Loaded models whose keep-alive has not run out (expired ones are
    /// dropped here, lazily), latest expiry first.
    func loadedModels(now: Date = Date()) -> [LoadedModel] {
        expiryByLoadedName = expiryByLoadedName.filter { $0.value > now }
        return expiryByLoadedName
            .compactMap { name, expiry in installed[name].map { LoadedModel(model: $0, expiresAt: expiry) } }
            .sorted { ($0.expiresAt, $0.model.name.displayName) > ($1.expiresAt, $1.model.name.displayName) }
    }
}
