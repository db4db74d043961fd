import Foundation
import InferenceBackends
import InferenceManifests
import InferenceModel

/// A manifest directory loaded and validated: the start of every command.
public struct ManifestSet: Sendable {
    public let directory: String
    public let state: DesiredState
    public let registry: BackendRegistry
    public let diagnostics: [Diagnostic]
    public let files: [String]

    public var isValid: Bool { !diagnostics.hasErrors }
    public var layout: StateLayout { StateLayout(manifestDirectory: directory) }

    public static func load(directory: String) -> ManifestSet {
        let loaded = ManifestLoader.load(directory: directory)
        let registry = BackendRegistry(customBackends: loaded.state.backends)
        // Cross-document rules only make sense on documents that read cleanly.
        let semantic = Validator.validate(loaded.state, catalog: registry)
        return ManifestSet(directory: directory, state: loaded.state, registry: registry,
                           diagnostics: (loaded.diagnostics + semantic).sortedForDisplay, files: loaded.files)
    }

    /// Desired instances in planner form; instances whose backend cannot be resolved are left out
    /// (validation has already reported them).
    public var desiredInstances: [DesiredInstance] {
        state.instances.compactMap { instance in
            registry.startupKind(for: instance.spec).map { DesiredInstance(instance, startupKind: $0) }
        }
    }

    /// The plan for this directory against what the state folder and /proc say now, each action
    /// with its payload (what it will launch, stop or attach to, and the record revision it was
    /// planned from). `environment` is the executor's: its host, and how it runs the simulator.
    public func plan(_ state: PreparedState, environment: ReconcileEnvironment = ReconcileEnvironment(), now: Date = Date()) -> Plan {
        plan(records: state.records, unreadable: state.unreadable.map(\.instance), folder: state.folder,
             environment: environment, now: now)
    }

    public func plan(records: [InstanceRecord], unreadable: [String] = [], folder: StateFolder,
                     environment: ReconcileEnvironment = ReconcileEnvironment(), now: Date = Date()) -> Plan {
        // An instance whose record cannot be read is left out: starting it could duplicate a running server.
        let unreadable = Set(unreadable)
        let observed = Observer(folder: folder, host: environment.host).observe(records, now: now)
        let plan = Planner.plan(desired: desiredInstances.filter { !unreadable.contains($0.name) }, observed: observed, now: now)
        return PayloadBuilder(manifests: self, folder: folder, environment: environment)
            .complete(plan, records: Dictionary(records.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                      observed: Dictionary(observed.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
    }
}
