/// Rules for `kind: ResidencyGroup` and the `resources` its members declare.
enum ResidencyGroupRules {
    static func check(_ group: ResidencyGroupDefinition, state: DesiredState, catalog: BackendCatalog) -> [Diagnostic] {
        var issues: [SpecIssue] = []
        let spec = group.spec
        if spec.selector.isEmpty {
            issues.append(SpecIssue(field: "spec.selector", "a residency group needs a selector",
                                    hint: "instance labels its members all have, e.g. selector: {gpu: main}"))
        }
        if spec.maxRunning == nil && spec.memory == nil {
            issues.append(SpecIssue(field: "spec", "a residency group needs maxRunning, memory or both",
                                    hint: "e.g. maxRunning: 1, or memory: 24Gi"))
        }
        let members = spec.selector.isEmpty ? [] : state.instances(matching: spec.selector)
        if !spec.selector.isEmpty && members.isEmpty {
            issues.append(SpecIssue(.warning, field: "spec.selector", "matches no instance"))
        }
        for member in members where catalog.startupKind(for: member.spec) == .attachExistingService {
            issues.append(SpecIssue(.warning, field: "spec.selector",
                "matches \(member.name), an attached instance: it is not ours to stop, so it is not counted"))
        }
        if let memory = spec.memory {
            for member in members where catalog.startupKind(for: member.spec) == .spawned {
                if member.spec.resources.memory == nil && !ResidencyEstimate.estimable(member.spec) {
                    issues.append(SpecIssue(.warning, field: "spec.memory",
                        "\(member.name) declares no resources.memory and has no GGUF model to estimate it from: it counts as 0 bytes"))
                } else if let own = member.spec.resources.memory, own > memory {
                    issues.append(SpecIssue(field: "spec.memory",
                        "\(member.name) needs \(own) (resources.memory), more than the group's \(memory): it could never run"))
                }
            }
        }
        return issues.map(group.origin.diagnostic)
    }
}

/// Memory taken by a server when its manifest does not say: for a GGUF model, its file size
/// plus 10% (weights are mapped whole; the rest stands for the KV cache and buffers).
public enum ResidencyEstimate {
    public static func estimable(_ spec: InstanceSpec) -> Bool {
        spec.model.path?.lowercased().hasSuffix(".gguf") == true
    }

    public static func memory(forModelFileOf size: Int64) -> MemoryQuantity {
        MemoryQuantity(bytes: size + size / 10)
    }
}
