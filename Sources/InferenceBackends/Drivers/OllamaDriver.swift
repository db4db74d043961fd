import InferenceModel

/// An Ollama daemon we attach to and never start or stop.
public struct OllamaDriver: BackendDriver {
    public init() {}

    public let id = BuiltinBackendNames.ollama
    public static let defaultRoot = "http://127.0.0.1:11434"

    /// Built once: validation and planning ask for them for every instance.
    public var manifests: [BackendManifest] { Self.offered }
    private static let offered: [BackendManifest] =
        [BackendManifest(
            backend: BuiltinBackendNames.ollama, managementModes: [.externallyManaged], startupKind: .attachExistingService,
            protocols: [.openaiChatCompletions, .openaiCompletions, .openaiEmbeddings, .ollamaAPI],
            capabilities: [CapabilityName.streaming: .supported(true), CapabilityName.toolCalling: .unknown,
                           CapabilityName.embeddings: .unknown, CapabilityName.vision: .unknown, CapabilityName.thinking: .unknown],
            // Capabilities are read from /api/show once attached; until then they are unknown.
            metadata: ["capabilities_source": .string("runtime")])]

    public func issues(for spec: InstanceSpec, startupKind: StartupKind) -> [SpecIssue] {
        var issues = CommonIssues.attachedURL(spec, required: false)
        if spec.model.identity == nil {
            issues.append(SpecIssue(field: "spec.model.identity", "ollama needs the model's name", hint: "e.g. model: {identity: llama3.2}"))
        }
        if spec.model.path != nil {
            issues.append(SpecIssue(.warning, field: "spec.model.path", "ignored: Ollama manages its own model files"))
        }
        return issues + CommonIssues.notForSpawnedServers(spec, backend: id) + CommonIssues.probePaths(spec)
            + CommonIssues.chatTemplateIgnored(spec, backend: id)
    }

    /// Root normalised as the seed does: scheme added, trailing `/` and `/v1` stripped.
    public static func root(of spec: InstanceSpec) -> String {
        URLText.normalizedRoot(spec.url ?? defaultRoot)
    }

    /// Ollama names without a tag mean `:latest`.
    public static func canonicalModelName(_ name: String) -> String {
        let lastComponent = name.split(separator: "/").last ?? Substring(name)
        return lastComponent.contains(":") ? name : name + ":latest"
    }

    public func attachPlan(for instance: InstanceManifest) throws -> AttachPlan {
        guard let model = instance.spec.model.identity else { throw BackendError.invalidSpec("ollama needs model.identity") }
        let root = Self.root(of: instance.spec)
        return AttachPlan(
            rootURL: root, probes: ProbeSet(readiness: .ollama(root: root, model: model)),
            endpoint: EndpointTemplate(baseURL: root + "/v1", healthRef: root + "/api/version",
                                       modelIdentity: model, providerIdentity: "ollama", apiKey: instance.spec.server.apiKey),
            secretHeaders: instance.spec.server.apiKey.map { ["authorization": $0] } ?? [:])
    }
}
