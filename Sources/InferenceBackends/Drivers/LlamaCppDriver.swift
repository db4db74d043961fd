import InferenceModel

/// llama.cpp's `llama-server`, spawned and managed by us.
public struct LlamaCppDriver: BackendDriver {
    public init() {}

    public let id = BuiltinBackendNames.llamaCpp

    /// Built once: validation and planning ask for them for every instance.
    public var manifests: [BackendManifest] { Self.offered }
    private static let offered: [BackendManifest] =
        [BackendManifest(
            backend: BuiltinBackendNames.llamaCpp, managementModes: [.managed], startupKind: .spawned,
            protocols: [.openaiChatCompletions, .openaiCompletions, .openaiEmbeddings],
            capabilities: [CapabilityName.streaming: .supported(true), CapabilityName.toolCalling: .unknown,
                           CapabilityName.embeddings: .supported(false)],
            metadata: ["binary": .string("llama-server")])]

    public func manifest(for spec: InstanceSpec, startupKind: StartupKind) -> BackendManifest? {
        guard startupKind == .spawned, var manifest = manifests.first else { return nil }
        if spec.server.embeddings == true { manifest.capabilities[CapabilityName.embeddings] = .supported(true) }
        return manifest
    }

    public func issues(for spec: InstanceSpec, startupKind: StartupKind) -> [SpecIssue] {
        var issues: [SpecIssue] = []
        if spec.model.path == nil {
            issues.append(SpecIssue(field: "spec.model.path", "llama_cpp needs a model file", hint: "e.g. model: {path: ./models/gemma.gguf}"))
        }
        if spec.command != nil {
            issues.append(SpecIssue(field: "spec.command", "llama_cpp builds its own command line",
                                    hint: "use server.extraArgs for extra flags, or backend openai_compatible for a custom command"))
        }
        if let template = spec.server.chatTemplate {
            if template.allSatisfy(\.isWhitespace) {
                issues.append(SpecIssue(field: "spec.server.chatTemplate", "is empty", hint: "a built-in name such as gemma, chatml or llama3, or a Jinja template"))
            }
            if spec.server.extraArgs.contains("--chat-template") {
                issues.append(SpecIssue(field: "spec.server.extraArgs", "--chat-template is set by server.chatTemplate", hint: "keep one of the two"))
            }
        }
        for flag in ["--api-key", "--port", "--host", "-m", "--model"] where spec.server.extraArgs.contains(flag) {
            let hint = flag == "--api-key" ? "secrets on the command line are visible in ps: use server.apiKey: {env: NAME}" : "use the spec field instead"
            issues.append(SpecIssue(field: "spec.server.extraArgs", "\(flag) is set by the controller", hint: hint))
        }
        return issues + CommonIssues.probePaths(spec)
    }

    /// The seed's boot spec to argv. The API key never goes on the command line (anyone can read it in `ps`).
    public func launchPlan(for instance: InstanceManifest, context: LaunchContext) throws -> LaunchPlan {
        let spec = instance.spec
        guard let modelPath = spec.model.path else { throw BackendError.invalidSpec("llama_cpp needs model.path") }
        let alias = Self.modelIdentity(spec)
        var arguments = ["--model", modelPath, "--alias", alias, "--host", spec.server.host, "--port", String(context.port)]
        if let value = spec.server.ctxSize { arguments += ["--ctx-size", String(value)] }
        if let value = spec.server.threads { arguments += ["--threads", String(value)] }
        if let value = spec.server.parallel { arguments += ["--parallel", String(value)] }
        if let value = spec.server.gpuLayers { arguments += ["--n-gpu-layers", value.description] }
        if let value = spec.server.flashAttn { arguments += ["--flash-attn", value ? "on" : "off"] }
        if spec.server.embeddings == true { arguments.append("--embedding") }
        if let template = spec.server.chatTemplate { arguments += ["--chat-template", template] }
        var secretEnvironment: [String: SecretReference] = [:]
        switch spec.server.apiKey {
        case .file(let path)?: arguments += ["--api-key-file", path]
        case .environment?: secretEnvironment["LLAMA_API_KEY"] = spec.server.apiKey
        case nil: break
        }
        arguments += spec.server.extraArgs
        let (plain, secret) = EnvironmentSplit.split(spec.server.env)
        let root = CommonIssues.root(host: spec.server.host, port: context.port)
        return LaunchPlan(
            executable: spec.server.binary ?? "llama-server", arguments: arguments,
            environment: plain, secretEnvironment: secret.merging(secretEnvironment) { $1 },
            host: spec.server.host, port: context.port,
            probes: ProbeSet(readiness: .llamaHealth(root: root)),
            endpoint: EndpointTemplate(baseURL: root + "/v1", healthRef: root + "/health", modelIdentity: alias,
                                       providerIdentity: "llama.cpp", apiKey: spec.server.apiKey))
    }

    /// The seed's default alias: the model file's base name without `.gguf`.
    static func modelIdentity(_ spec: InstanceSpec) -> String {
        if let identity = spec.model.identity { return identity }
        let file = spec.model.path?.split(separator: "/").last.map(String.init) ?? "model"
        return file.hasSuffix(".gguf") ? String(file.dropLast(5)) : file
    }
}

/// Splits `server.env` into plain values and secret references.
enum EnvironmentSplit {
    static func split(_ env: [String: EnvironmentValue]) -> (plain: [String: String], secret: [String: SecretReference]) {
        var plain: [String: String] = [:], secret: [String: SecretReference] = [:]
        for (key, value) in env {
            switch value {
            case .literal(let text): plain[key] = text
            case .secret(let reference): secret[key] = reference
            }
        }
        return (plain, secret)
    }
}
