/// Decides whether a consumer can use a backend, in the seed's order of rules,
/// but collecting every unmet requirement instead of stopping at the first.
public enum Compatibility {
    public static func check(consumer: ConsumerManifest, backend: BackendManifest) -> CompatibilityResult {
        var missing: [MissingRequirement] = []

        // 1. runtime kind
        let runtimeKind: RuntimeKind? = consumer.acceptedRuntimeKinds.contains(backend.runtimeKind) ? backend.runtimeKind : nil
        if runtimeKind == nil {
            missing.append(.init(reason: .runtimeKindMismatch, requirement: "runtime kind",
                                 required: list(consumer.acceptedRuntimeKinds.map(\.rawValue)), offered: backend.runtimeKind.rawValue))
        }

        // 2. management mode: the first of the backend's modes the consumer accepts
        let managementMode = backend.managementModes.first { consumer.acceptedManagementModes.contains($0) }
        if managementMode == nil {
            missing.append(.init(reason: .managementModeMismatch, requirement: "management mode",
                                 required: list(consumer.acceptedManagementModes.map(\.rawValue)),
                                 offered: list(backend.managementModes.map(\.rawValue))))
        }

        // 3. protocol: the first of the backend's protocols the consumer accepts
        let resolvedProtocol = backend.protocols.first { consumer.acceptedProtocols.contains($0) }
        if resolvedProtocol == nil {
            missing.append(.init(reason: .unsupportedProtocol, requirement: "protocol",
                                 required: list(consumer.acceptedProtocols.map(\.rawValue)),
                                 offered: list(backend.protocols.map(\.rawValue))))
        }

        // 4. startup kind constraint
        if let wanted = consumer.constraints.startupKind, wanted != backend.startupKind {
            missing.append(.init(reason: .startupKindUnsupported, requirement: "startup kind",
                                 required: wanted.rawValue, offered: backend.startupKind.rawValue))
        }

        // 5. required capabilities, by exact equality (`unknown` matches only `unknown`)
        for (name, wanted) in consumer.requiredCapabilities.sorted(by: { $0.key < $1.key }) {
            let offered = backend.capabilities[name]
            guard offered != wanted else { continue }
            missing.append(.init(reason: name == CapabilityName.streaming ? .missingStreaming : .missingCapability,
                                 requirement: "capability \(name)",
                                 required: wanted.description, offered: offered?.description ?? "not declared"))
        }

        // 6. optional capabilities only warn
        var warnings: [String] = []
        for (name, wanted) in consumer.optionalCapabilities.sorted(by: { $0.key < $1.key }) {
            let offered = backend.capabilities[name]
            if offered != wanted {
                warnings.append("optional capability \(name): wanted \(wanted), backend offers \(offered?.description ?? "not declared")")
            }
        }

        return CompatibilityResult(
            compatible: missing.isEmpty,
            reason: missing.first?.reason ?? .protocolMatch,
            resolvedRuntimeKind: runtimeKind,
            resolvedManagementMode: managementMode,
            resolvedProtocol: resolvedProtocol,
            warnings: warnings,
            missingRequirements: missing,
            metadata: ["backend": .string(backend.backend), "consumer": .string(consumer.consumer)]
        )
    }

    private static func list(_ items: [String]) -> String {
        items.isEmpty ? "(none)" : items.joined(separator: ", ")
    }
}
