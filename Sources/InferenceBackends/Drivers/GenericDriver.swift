import InferenceModel

/// A user's `kind: Backend`: its declared contract, command template and probe path.
public struct GenericDriver: BackendDriver {
    public let definition: BackendDefinition

    public init(_ definition: BackendDefinition) {
        self.definition = definition
    }

    public var id: String { definition.name }
    public var manifests: [BackendManifest] { [definition.manifest] }

    public func issues(for spec: InstanceSpec, startupKind: StartupKind) -> [SpecIssue] {
        var issues = CommonIssues.probePaths(spec) + CommonIssues.chatTemplateIgnored(spec, backend: id)
        switch startupKind {
        case .spawned:
            if spec.command == nil && definition.spec.command == nil {
                issues.append(SpecIssue(field: "spec.command",
                    "backend '\(id)' declares no command, so the instance needs one (a spawned instance must have a transport)"))
            }
            issues += CommonIssues.commandTemplate(spec.command, field: "spec.command")
        case .attachExistingService:
            issues += CommonIssues.attachedURL(spec, required: true)
        }
        return issues
    }

    public func launchPlan(for instance: InstanceManifest, context: LaunchContext) throws -> LaunchPlan {
        guard let command = instance.spec.command ?? definition.spec.command, !command.isEmpty else {
            throw BackendError.invalidSpec("backend '\(id)' has no command")
        }
        return TemplateLaunch.plan(instance, command: command, context: context,
                                   probes: { probes(root: $0, spec: instance.spec) },
                                   healthPath: healthPath(instance.spec), provider: id)
    }

    public func attachPlan(for instance: InstanceManifest) throws -> AttachPlan {
        guard let url = instance.spec.url else { throw BackendError.invalidSpec("backend '\(id)' attach needs a url") }
        let root = URLText.normalizedRoot(url)
        return AttachPlan(
            rootURL: root, probes: probes(root: root, spec: instance.spec),
            endpoint: EndpointTemplate(baseURL: root + "/v1", healthRef: root + healthPath(instance.spec),
                                       modelIdentity: instance.spec.model.identity ?? "", providerIdentity: id,
                                       apiKey: instance.spec.server.apiKey),
            secretHeaders: instance.spec.server.apiKey.map { ["authorization": $0] } ?? [:])
    }

    private func healthPath(_ spec: InstanceSpec) -> String {
        spec.health.path ?? definition.spec.healthPath ?? definition.spec.probePath
    }

    private func probes(root: String, spec: InstanceSpec) -> ProbeSet {
        let readinessPath = spec.readiness.path ?? definition.spec.probePath
        let readiness: ProbeSet.Kind = readinessPath == "/v1/models"
            ? .openAIModels(root: root, path: readinessPath, model: spec.model.identity)
            : .httpPath(root: root, path: readinessPath)
        return ProbeSet(readiness: readiness, health: .httpPath(root: root, path: healthPath(spec)))
    }
}
