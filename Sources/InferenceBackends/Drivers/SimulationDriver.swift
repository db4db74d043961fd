import InferenceModel

/// Our own `inference-sim`: the quickstart's default and the tests' workhorse.
public struct SimulationDriver: BackendDriver {
    public init() {}

    public let id = BuiltinBackendNames.simulation
    public static let defaultModelIdentity = "sim-model"

    /// Built once: validation and planning ask for them for every instance.
    public var manifests: [BackendManifest] { Self.offered }
    private static let offered: [BackendManifest] =
        [BackendManifest(
            backend: BuiltinBackendNames.simulation, managementModes: [.managed], startupKind: .spawned,
            protocols: [.openaiChatCompletions, .openaiCompletions],
            capabilities: [CapabilityName.streaming: .supported(true), CapabilityName.toolCalling: .supported(false),
                           CapabilityName.embeddings: .supported(false)],
            metadata: ["binary": .string("inferctl sim")])]

    public func issues(for spec: InstanceSpec, startupKind: StartupKind) -> [SpecIssue] {
        var issues: [SpecIssue] = []
        if spec.command != nil {
            issues.append(SpecIssue(field: "spec.command", "simulation builds its own command line",
                                    hint: "use server.extraArgs, e.g. [--load-delay, 2s]"))
        }
        if spec.model.path != nil {
            issues.append(SpecIssue(.warning, field: "spec.model.path", "ignored: the simulator loads no model file"))
        }
        return issues + CommonIssues.probePaths(spec) + CommonIssues.chatTemplateIgnored(spec, backend: id)
    }

    public func launchPlan(for instance: InstanceManifest, context: LaunchContext) throws -> LaunchPlan {
        let spec = instance.spec
        let identity = spec.model.identity ?? Self.defaultModelIdentity
        var arguments = context.simulatorArguments + ["--host", spec.server.host, "--port", String(context.port), "--model-id", identity]
        var secretEnvironment: [String: SecretReference] = [:]
        switch spec.server.apiKey {
        case .file(let path)?: arguments += ["--api-key-file", path]
        case .environment?: secretEnvironment["INFERENCE_SIM_API_KEY"] = spec.server.apiKey
        case nil: break
        }
        arguments += spec.server.extraArgs
        let (plain, secret) = EnvironmentSplit.split(spec.server.env)
        let root = CommonIssues.root(host: spec.server.host, port: context.port)
        return LaunchPlan(
            executable: spec.server.binary ?? context.simulatorExecutable, arguments: arguments,
            environment: plain, secretEnvironment: secret.merging(secretEnvironment) { $1 },
            host: spec.server.host, port: context.port,
            probes: ProbeSet(readiness: .llamaHealth(root: root)),
            endpoint: EndpointTemplate(baseURL: root + "/v1", healthRef: root + "/health", modelIdentity: identity,
                                       providerIdentity: "inference-sim", apiKey: spec.server.apiKey))
    }
}
