/// Rules that span fields, documents and files: names, references, truthfulness, ports,
/// consumer compatibility. Structural rules (types, unknown fields) belong to the loader.
public enum Validator {
    public static func validate(_ state: DesiredState, catalog: BackendCatalog) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        diagnostics += uniqueNames(state)
        diagnostics += customBackends(state, catalog: catalog)
        // Each instance and each consumer is checked on its own: runs of them on every core, the
        // results joined in order. Manifests are borrowed from the lists, not copied (one holds
        // dozens of references, and copying 10,000 cost more than the rules).
        diagnostics += OrderedParallelMap.flatMap(state.instances.count) { range in
            state.instances.withUnsafeBufferPointer { instances in
                range.flatMap { InstanceRules.check(instances[$0], catalog: catalog) }
            }
        }
        diagnostics += PortRules.collisions(state.instances, catalog: catalog)
        diagnostics += OrderedParallelMap.flatMap(state.consumers.count) { range in
            state.consumers.withUnsafeBufferPointer { consumers in
                range.flatMap { ConsumerRules.check(consumers[$0], state: state, catalog: catalog) }
            }
        }
        for group in state.residencyGroups {
            diagnostics += ResidencyGroupRules.check(group, state: state, catalog: catalog)
        }
        return diagnostics.sortedForDisplay
    }

    static func uniqueNames(_ state: DesiredState) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        repeatedNames(state.backends, kind: .backend, name: { $0.name }, origin: { $0.origin }, into: &diagnostics)
        repeatedNames(state.instances, kind: .instance, name: { $0.name }, origin: { $0.origin }, into: &diagnostics)
        repeatedNames(state.consumers, kind: .consumer, name: { $0.name }, origin: { $0.origin }, into: &diagnostics)
        repeatedNames(state.residencyGroups, kind: .residencyGroup, name: { $0.name }, origin: { $0.origin }, into: &diagnostics)
        return diagnostics
    }

    /// Names are unique per kind: one table per kind, holding positions (not copies of the objects).
    private static func repeatedNames<Object>(_ objects: [Object], kind: ManifestKind, name: (Object) -> String,
                                              origin: (Object) -> ManifestOrigin, into diagnostics: inout [Diagnostic]) {
        var firstSeen = [String: Int](minimumCapacity: objects.count)
        objects.withUnsafeBufferPointer { objects in
            for index in objects.indices {
                let written = name(objects[index])
                guard let first = firstSeen[written] else {
                    firstSeen[written] = index
                    continue
                }
                let place = origin(objects[first]).location(of: "metadata.name")
                diagnostics.append(origin(objects[index]).diagnostic(SpecIssue(field: "metadata.name",
                    "\(kind.rawValue) '\(written)' is already declared at \(place.file):\(place.line)",
                    hint: "names are unique per kind across the directory")))
            }
        }
    }

    static func customBackends(_ state: DesiredState, catalog: BackendCatalog) -> [Diagnostic] {
        state.backends.flatMap { backend -> [Diagnostic] in
            var issues: [SpecIssue] = []
            if BuiltinBackendNames.all.contains(backend.name) {
                issues.append(SpecIssue(field: "metadata.name", "'\(backend.name)' is a built-in backend and cannot be redeclared",
                                        hint: "choose another name"))
            }
            let spec = backend.spec
            if let modes = spec.managementModes, modes != [spec.startupKind.managementMode] {
                issues.append(SpecIssue(field: "spec.managementModes",
                    "a \(spec.startupKind.rawValue) backend is \(spec.startupKind.managementMode.rawValue) only, not \(modes.map(\.rawValue).joined(separator: ", "))"))
            }
            if spec.startupKind == .attachExistingService, spec.command != nil {
                issues.append(SpecIssue(field: "spec.command", "an attached backend must not have a command: we never start it"))
            }
            if !spec.probePath.hasPrefix("/") {
                issues.append(SpecIssue(field: "spec.probePath", "'\(spec.probePath)' must start with '/'"))
            }
            return issues.map(backend.origin.diagnostic)
        }
    }
}

/// Built-in backend ids; `kind: Backend` may not reuse them.
public enum BuiltinBackendNames {
    public static let llamaCpp = "llama_cpp"
    public static let ollama = "ollama"
    public static let openAICompatible = "openai_compatible"
    public static let simulation = "simulation"
    public static let all = [llamaCpp, ollama, openAICompatible, simulation]
}
