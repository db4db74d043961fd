/// The seed's truthfulness rules and backend rules for one instance.
enum InstanceRules {
    static func check(_ instance: InstanceManifest, catalog: BackendCatalog) -> [Diagnostic] {
        // The host is checked whatever the backend, so a bad host and a bad backend are reported together.
        let hostIssues = ServerHostRule.issues(instance.spec, startupKind: catalog.startupKind(for: instance.spec))
        return (hostIssues + issues(instance.spec, catalog: catalog)).map(instance.origin.diagnostic)
    }

    static func issues(_ spec: InstanceSpec, catalog: BackendCatalog) -> [SpecIssue] {
        let offered = catalog.manifests(for: spec.backend)
        guard !offered.isEmpty else {
            let hint = Suggestions.closest(to: spec.backend, among: catalog.backendNames).map { "did you mean '\($0)'?" }
                ?? "known backends: \(catalog.backendNames.joined(separator: ", "))"
            return [SpecIssue(field: "spec.backend", "unknown backend '\(spec.backend)'", hint: hint)]
        }
        // Rule 2: a requested startup kind must be one the backend has.
        guard let startupKind = catalog.startupKind(for: spec),
              let manifest = offered.first(where: { $0.startupKind == startupKind }) else {
            let kinds = offered.map(\.startupKind.rawValue).joined(separator: ", ")
            return [SpecIssue(field: "spec.startupKind",
                              "backend '\(spec.backend)' does not support startup kind '\(spec.startupKind?.rawValue ?? "?")'",
                              hint: "it supports: \(kinds)")]
        }
        var issues: [SpecIssue] = []
        if spec.rollout.strategy == .surge && spec.server.port != .auto && startupKind == .spawned {
            issues.append(SpecIssue(field: "spec.rollout.strategy", "Surge needs server.port: auto",
                                    hint: "the new revision listens beside the old one, on another port; use Recreate for a fixed port"))
        }
        if spec.rollout.strategy != nil && startupKind == .attachExistingService {
            issues.append(SpecIssue(.warning, field: "spec.rollout", "ignored: an attached server is not ours to start or stop"))
        }
        // Rules 1 and 5: the management mode follows the startup kind and must be the backend's.
        if let mode = spec.managementMode {
            if mode != startupKind.managementMode {
                issues.append(SpecIssue(field: "spec.managementMode",
                    "a \(startupKind.rawValue) instance is \(startupKind.managementMode.rawValue), not \(mode.rawValue)",
                    hint: "spawned goes with managed, attach_existing_service with externally_managed"))
            } else if !manifest.managementModes.contains(mode) {
                issues.append(SpecIssue(field: "spec.managementMode",
                    "backend '\(spec.backend)' does not offer management mode \(mode.rawValue)"))
            }
        }
        // Rule 4: the execution surface must be one the backend supports.
        if !manifest.supportedSurfaces.contains(spec.surface) {
            issues.append(SpecIssue(field: "spec.surface",
                "unsupported_execution_surface: backend '\(spec.backend)' supports \(manifest.supportedSurfaces.map(\.rawValue).joined(separator: ", ")), not \(spec.surface.rawValue)"))
        } else if spec.surface != .localSubprocess && startupKind == .spawned {
            issues.append(SpecIssue(field: "spec.surface",
                "surface \(spec.surface.rawValue) has no transport in this version; only local_subprocess can be spawned"))
        }
        // Rule 3: spawned needs a command, attached must not have one.
        if startupKind == .attachExistingService {
            if spec.command != nil {
                issues.append(SpecIssue(field: "spec.command", "an attached instance must not have a command: we never start it"))
            }
            if spec.server.binary != nil {
                issues.append(SpecIssue(field: "spec.server.binary", "an attached instance must not have a binary: we never start it"))
            }
        } else if spec.url != nil {
            issues.append(SpecIssue(field: "spec.url", "a spawned instance does not take a url; its address is server.host and server.port",
                                    hint: "to use a server you do not start, set startupKind: attach_existing_service"))
        }
        if spec.activation.mode == .always, spec.activation.idleTimeout != nil {
            issues.append(SpecIssue(.warning, field: "spec.activation.idleTimeout", "idleTimeout only applies with mode: OnDemand"))
        }
        issues += SmokeRules.issues(spec, manifest: catalog.manifest(for: spec) ?? manifest)
        issues += catalog.issues(for: spec, startupKind: startupKind)
        return issues
    }
}
