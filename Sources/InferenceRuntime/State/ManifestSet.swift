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
    public let layout: StateLayout
    /// Desired instances in planner form, worked out on first use and kept (`validate` never needs
    /// them; a controller plans one instance at a time, many times a minute).
    private let desired = DesiredInstances()

    public var isValid: Bool { !diagnostics.hasErrors }

    init(directory: String, state: DesiredState, registry: BackendRegistry, diagnostics: [Diagnostic], files: [String]) {
        self.directory = directory
        self.state = state
        self.registry = registry
        self.diagnostics = diagnostics
        self.files = files
        layout = StateLayout(manifestDirectory: directory)
    }

    /// Desired instances in planner form; instances whose backend cannot be resolved are left out
    /// (validation has already reported them).
    public var desiredInstances: [DesiredInstance] { desired.get(state: state, registry: registry).list }

    /// One desired instance by name.
    public func desiredInstance(named name: String) -> DesiredInstance? {
        desired.get(state: state, registry: registry).byName[name]
    }

    /// `registeredBackends`: backends a program registered in code (`InferenceKernel.register`),
    /// validated with the directory's `kind: Backend` documents; one declared in both, identically, counts once.
    public static func load(directory: String, registeredBackends: [BackendDefinition] = []) -> ManifestSet {
        var loaded = ManifestLoader.load(directory: directory)
        let declared = loaded.state.backends
        loaded.state.backends += registeredBackends.filter { registered in
            !declared.contains { $0.name == registered.name && $0.spec == registered.spec }
        }
        let registry = BackendRegistry(customBackends: loaded.state.backends)
        // Cross-document rules only make sense on documents that read cleanly.
        let semantic = Validator.validate(loaded.state, catalog: registry)
        return ManifestSet(directory: directory, state: loaded.state, registry: registry,
                           diagnostics: (loaded.diagnostics + semantic).sortedForDisplay, files: loaded.files)
    }

    /// The plan for this directory against what the state folder and /proc say now, each action
    /// with its payload (what it will launch, stop or attach to, and the record revision it was
    /// planned from). `environment` is the executor's: its host, and how it runs the simulator.
    /// Live leases start on-demand instances and keep pruned ones unless `force`.
    public func plan(_ state: PreparedState, environment: ReconcileEnvironment = ReconcileEnvironment(), now: Date = Date(),
                     force: Bool = false) -> Plan {
        plan(records: state.records, unreadable: state.unreadable.map(\.instance), folder: state.folder,
             leases: state.leases.leases, environment: environment, now: now, force: force)
    }

    /// `leases`: nil reads them from the state folder.
    public func plan(records: [InstanceRecord], unreadable: [String] = [], folder: StateFolder, leases: [Lease]? = nil,
                     environment: ReconcileEnvironment = ReconcileEnvironment(), now: Date = Date(), force: Bool = false) -> Plan {
        // An instance whose record cannot be read is left out: starting it could duplicate a running server.
        let unreadable = Set(unreadable)
        let observed = Observer(folder: folder, host: environment.host).observe(records, now: now)
        let held = self.leases(leases ?? LeaseStore(layout: layout).leases(), instances: records.map(\.name), now: now)
        let desired = desiredInstances.filter { !unreadable.contains($0.name) }
        let leased = LeasedPlanner.plan(desired: desired, observed: observed, leases: held, now: now, force: force)
        let plan = ResidencyPlanner.apply(leased, inputs: residencyInputs(), desired: desired, observed: observed,
                                          leases: held, now: now)
        return PayloadBuilder(manifests: self, folder: folder, environment: environment)
            .complete(plan, records: Dictionary(records.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
                      observed: Dictionary(observed.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    func leases(_ leases: [Lease], instances: [String], now: Date) -> LeasedPlanner.Leases {
        Self.leases(leases, layout: layout, instances: instances, now: now)
    }

    static func leases(_ leases: [Lease], layout: StateLayout, instances: [String], now: Date) -> LeasedPlanner.Leases {
        let ledger = LeaseLedger(layout: layout)
        var ended = Dictionary(instances.compactMap { name in ledger.lastEnded(name).map { (name, $0) } },
                               uniquingKeysWith: { first, _ in first })
        // A lease expired but not dropped yet (plan reads without writing) ended at its expiry.
        for lease in leases where !lease.isLive(at: now) {
            ended[lease.instance] = max(ended[lease.instance] ?? .distantPast, lease.expiresAt)
        }
        return LeasedPlanner.Leases(leases, lastEnded: ended, now: now)
    }
}
