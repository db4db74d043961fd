import Foundation
import InferenceBackends
import InferenceModel

/// Works out what each planned action will do: the pure planner decides *what* (spawn, stop…), this
/// says *how*, from the records the plan was made from and the backends. Done once, when planning:
/// `plan -o json` shows it and the executor carries it out.
struct PayloadBuilder: Sendable {
    let manifests: ManifestSet
    /// Which recorded processes are provably ours (only those are ever stopped).
    let folder: StateFolder
    /// How the simulator is run: part of its command line.
    let environment: ReconcileEnvironment

    /// `plan` with a payload for every action that has none yet.
    func complete(_ plan: Plan, records: [String: InstanceRecord], observed: [String: ObservedInstance]) -> Plan {
        // Each action's payload is worked out on its own: runs of actions on every core, in order.
        let actions = plan.actions
        let completed = OrderedParallelMap.flatMap(actions.count, minimumRange: 64) { range in
            range.map { index in
                var action = actions[index]
                if action.payload == nil {
                    action.payload = payload(for: action, record: records[action.instance], observed: observed[action.instance])
                }
                return action
            }
        }
        return Plan(actions: completed)
    }

    func payload(for action: PlannedAction, record: InstanceRecord?, observed: ObservedInstance?) -> ActionPayload {
        var payload = ActionPayload(recordRevision: record.map { .revision($0.revision) } ?? .missing)
        let instance = manifests.state.instance(named: action.instance)
        let startupKind = instance.flatMap { manifests.registry.startupKind(for: $0.spec) }
        switch action.kind {
        case .stop, .idleStop, .evict:
            payload.stop = record.flatMap(stopTarget)
        case .replace:
            // Only a process that runs now goes first; one that is gone needs no stop.
            if observed?.process == .running { payload.stop = record.flatMap(stopTarget) }
        default:
            break
        }
        guard let instance, let startupKind else { return payload }
        switch (action.kind, startupKind) {
        case (.spawn, .spawned), (.replace, .spawned), (.restart, .spawned):
            payload.launch = launch(instance, record: record)
        case (.rollout, .spawned):
            // The new revision listens beside the old one: on a fresh port, never the kept one.
            payload.launch = launch(instance, record: nil)
        case (.attach, .attachExistingService), (.replace, .attachExistingService):
            let plan = try? manifests.registry.driver(named: instance.spec.backend)?.attachPlan(for: instance)
            payload.attach = plan.map { PlannedAttach(url: $0.rootURL) }
        default:
            break
        }
        return payload
    }

    /// The recorded process, if the folder can prove it ours; nil otherwise (it is never signalled).
    func stopTarget(of record: InstanceRecord) -> PlannedStop? {
        guard let claim = folder.claim(for: record) else { return nil }
        return PlannedStop(pid: claim.identity.pid, startTimeTicks: claim.identity.startTimeTicks, bootID: claim.identity.bootID,
                           signal: record.stopSignal ?? "SIGTERM", gracePeriodMilliseconds: record.stopGraceMilliseconds ?? 10_000)
    }

    /// Nil when the backend cannot build it (the executor then fails the instance with the
    /// backend's reason) or cannot show it with `{port}` (see `LaunchTemplate`).
    func launch(_ instance: InstanceManifest, record: InstanceRecord?) -> PlannedLaunch? {
        guard let driver = manifests.registry.driver(named: instance.spec.backend),
              let template = LaunchTemplate.derive(driver: driver, instance: instance, context: launchContext) else { return nil }
        let port: Int?
        let source: PortSource
        switch instance.spec.server.port {
        case .fixed(let fixed): (port, source) = (fixed, .fixed)
        case .auto:
            if let kept = record?.port { (port, source) = (kept, .kept) } else { (port, source) = (nil, .auto) }
        }
        return PlannedLaunch(argv: template.argv, environment: template.environment, secretEnvironment: template.secretEnvironment,
                             host: template.host, port: port, portSource: source)
    }

    func launchContext(port: Int) -> LaunchContext {
        LaunchContext(port: port, simulatorExecutable: environment.simulatorExecutable,
                      simulatorArguments: environment.simulatorArguments)
    }
}

extension PlannedStop {
    var identity: ProcessIdentity { ProcessIdentity(pid: pid, startTimeTicks: startTimeTicks, bootID: bootID) }
}
