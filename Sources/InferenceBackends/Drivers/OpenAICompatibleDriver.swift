import InferenceModel

/// Any OpenAI-compatible server: spawned from a command template, or attached by URL.
public struct OpenAICompatibleDriver: BackendDriver {
    public init() {}

    public let id = BuiltinBackendNames.openAICompatible
    static let capabilities: Capabilities = [
        CapabilityName.streaming: .supported(true), CapabilityName.toolCalling: .unknown, CapabilityName.embeddings: .unknown,
    ]

    /// Built once: validation and planning ask for them for every instance.
    public var manifests: [BackendManifest] { Self.offered }
    private static let offered: [BackendManifest] = [
        BackendManifest(backend: BuiltinBackendNames.openAICompatible, managementModes: [.managed], startupKind: .spawned,
                        capabilities: capabilities),
        BackendManifest(backend: BuiltinBackendNames.openAICompatible, managementModes: [.externallyManaged],
                        startupKind: .attachExistingService, capabilities: capabilities),
    ]

    public func issues(for spec: InstanceSpec, startupKind: StartupKind) -> [SpecIssue] {
        var issues = CommonIssues.probePaths(spec) + CommonIssues.chatTemplateIgnored(spec, backend: id)
        switch startupKind {
        case .spawned:
            if spec.command == nil {
                issues.append(SpecIssue(field: "spec.command", "a spawned openai_compatible instance needs a command",
                                        hint: "e.g. command: [vllm, serve, \"{model.path}\", --port, \"{port}\"]"))
            }
            issues += CommonIssues.commandTemplate(spec.command, field: "spec.command")
            if spec.model.identity == nil {
                issues.append(SpecIssue(field: "spec.model.identity", "consumers need a model name to send",
                                        hint: "set model.identity to the id the server lists in /v1/models"))
            }
        case .attachExistingService:
            issues += CommonIssues.attachedURL(spec, required: true)
            issues += CommonIssues.notForSpawnedServers(spec, backend: id)
        }
        return issues
    }

    public func launchPlan(for instance: InstanceManifest, context: LaunchContext) throws -> LaunchPlan {
        let spec = instance.spec
        guard let command = spec.command, !command.isEmpty else { throw BackendError.invalidSpec("openai_compatible needs a command") }
        return TemplateLaunch.plan(instance, command: command, context: context,
                                   probes: { Self.probe(root: $0, spec: spec, model: spec.model.identity) },
                                   healthPath: spec.health.path ?? "/v1/models", provider: "openai_compatible")
    }

    public func attachPlan(for instance: InstanceManifest) throws -> AttachPlan {
        let spec = instance.spec
        guard let url = spec.url else { throw BackendError.invalidSpec("openai_compatible attach needs a url") }
        let root = URLText.normalizedRoot(url)
        return AttachPlan(
            rootURL: root, probes: Self.probe(root: root, spec: spec, model: spec.model.identity),
            endpoint: EndpointTemplate(baseURL: root + "/v1", healthRef: root + (spec.health.path ?? "/v1/models"),
                                       modelIdentity: spec.model.identity ?? "", providerIdentity: "openai_compatible",
                                       apiKey: spec.server.apiKey),
            secretHeaders: spec.server.apiKey.map { ["authorization": $0] } ?? [:])
    }

    static func probe(root: String, spec: InstanceSpec, model: String?) -> ProbeSet {
        let readiness: ProbeSet.Kind = spec.readiness.path.map { .httpPath(root: root, path: $0) }
            ?? .openAIModels(root: root, path: "/v1/models", model: model)
        let health: ProbeSet.Kind = spec.health.path.map { .httpPath(root: root, path: $0) } ?? readiness
        return ProbeSet(readiness: readiness, health: health)
    }
}
