/// A consumer names an instance (or a selector) that exists and is compatible with it.
enum ConsumerRules {
    static func check(_ consumer: ConsumerDefinition, state: DesiredState, catalog: BackendCatalog) -> [Diagnostic] {
        let spec = consumer.spec
        switch (spec.instance, spec.selector) {
        case (nil, nil):
            return [consumer.origin.diagnostic(SpecIssue(field: "spec.instance", "a consumer needs an instance or a selector",
                                                          hint: "add instance: NAME or selector: {label: value}"))]
        case (.some, .some):
            return [consumer.origin.diagnostic(SpecIssue(field: "spec.selector", "set either instance or selector, not both"))]
        case (.some(let name), nil):
            guard let instance = state.instance(named: name) else {
                let hint = Suggestions.closest(to: name, among: state.instances.map(\.name)).map { "did you mean '\($0)'?" }
                return [consumer.origin.diagnostic(SpecIssue(field: "spec.instance", "no instance named '\(name)'", hint: hint))]
            }
            return compatibility(consumer, instance: instance, catalog: catalog)
        case (nil, .some(let selector)):
            if ConsumerBinding.candidates(for: spec, in: state).isEmpty {
                let text = selector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                return [consumer.origin.diagnostic(SpecIssue(field: "spec.selector", "selector \(text) matches no instance"))]
            }
            return []
        }
    }

    /// An incompatible pairing is an error, except where the only gaps are capabilities the
    /// backend reports as `unknown` until it is running (they are decided then, not now).
    static func compatibility(_ consumer: ConsumerDefinition, instance: InstanceManifest, catalog: BackendCatalog) -> [Diagnostic] {
        guard let backend = catalog.manifest(for: instance.spec) else { return [] }
        let result = Compatibility.check(consumer: consumer.manifest, backend: backend)
        var issues = result.warnings.map { SpecIssue(.warning, field: "spec.optionalCapabilities", $0) }
        let learnsAtRuntime = backend.metadata["capabilities_source"] == .string("runtime")
        for gap in result.missingRequirements {
            let deferred = learnsAtRuntime && gap.offered == "unknown"
                && (gap.reason == .missingCapability || gap.reason == .missingStreaming)
            issues.append(SpecIssue(deferred ? .warning : .error, field: field(for: gap.reason),
                "\(gap.reason.rawValue): instance '\(instance.name)' (\(backend.backend)) — \(gap.explanation)"
                + (deferred ? "; decided when the backend reports its capabilities" : "")))
        }
        return issues.map(consumer.origin.diagnostic)
    }

    private static func field(for reason: CompatibilityReason) -> String {
        switch reason {
        case .runtimeKindMismatch: "spec.acceptedRuntimeKinds"
        case .managementModeMismatch: "spec.acceptedManagementModes"
        case .unsupportedProtocol: "spec.acceptedProtocols"
        case .startupKindUnsupported: "spec.startupKind"
        case .missingStreaming, .missingCapability: "spec.requiredCapabilities"
        case .protocolMatch: "spec"
        }
    }
}

/// Which instances a consumer may be bound to.
public enum ConsumerBinding {
    public static func candidates(for spec: ConsumerSpec, in state: DesiredState) -> [InstanceManifest] {
        if let name = spec.instance {
            return state.instance(named: name).map { [$0] } ?? []
        }
        guard let selector = spec.selector else { return [] }
        return state.instances(matching: selector)
    }
}
