import Foundation
import InferenceModel

extension Reconciler {
    /// One key's reconcile for the controller: observe that instance now, plan it, carry the
    /// action out with the same runner `apply` uses. Consumer statuses are left to the caller.
    func reconcileOne(_ name: String, options: ApplyOptions,
                      onEvent: @escaping @Sendable (ApplyEvent) -> Void) async -> (PlannedAction?, InstanceOutcome?) {
        let onEvent = environment.secrets.redactor.redacting(onEvent)
        let load = store.loadRecord(name)
        if case .unreadable = load { return (nil, nil) }
        var record = load.record
        if let noticed = record.flatMap(noticeExit) { record = noticed }
        let observed = record.map { Observer(folder: folder, host: environment.host).observe($0, now: environment.now()) }
        let desired = manifests.desiredInstance(named: name).map { [$0] } ?? []
        let leases = LeaseStore(layout: manifests.layout).leases().filter { $0.instance == name }
        let plan = LeasedPlanner.plan(desired: desired, observed: observed.map { [$0] } ?? [],
                                      leases: manifests.leases(leases, instances: [name], now: environment.now()),
                                      now: environment.now(), force: options.force)
        guard var action = plan.actions.first else { return (nil, nil) }
        let payload = payloads.payload(for: action, record: record, observed: observed)
        action.payload = payload
        if action.kind.isRemoval {
            guard let record else { return (action, nil) }
            if action.kind == .idleStop { return (action, await idleStop(action, payload: payload, record: record)) }
            return (action, await removal(action, payload: payload, record: record))
        }
        // A restart held by its backoff is not run now: the controller comes back at its time.
        if options.respectBackoff, action.kind == .restart, let notBefore = action.notBefore, notBefore > environment.now() {
            return (action, nil)
        }
        guard let instance = manifests.state.instance(named: name) else { return (action, nil) }
        if action.kind != .noop { onEvent(.starting(instance: name, action: action.kind)) }
        let runner = InstanceRunner(reconciler: self, instance: instance, action: action, payload: payload, options: options,
                                    ports: PortBook(loading: { [store] in (try? store.loadRecords()) ?? [] }), onEvent: onEvent)
        let outcome = await runner.run(existing: record, observed: observed)
        if action.kind != .noop { onEvent(.finished(outcome)) }
        return (action, outcome)
    }

    /// A recorded server that has exited since its start, its exit not yet recorded: record it
    /// once (the real status when it was our child), so the restart backoff counts from the
    /// exit and not from whenever we looked.
    private func noticeExit(_ record: InstanceRecord) -> InstanceRecord? {
        guard record.startupKind == .spawned, record.phase != .stopped, let claim = folder.claim(for: record),
              environment.host.liveness(of: claim) != .running else { return nil }
        if let known = record.lastExit, let started = record.startedAt, known.at >= started { return nil }
        var noticed = record
        let status = environment.host.exitStatusIfExited(claim.identity) ?? .unknown
        noticed.lastExit = ExitRecord(status: status.terminationStatus, at: environment.now())
        noticed.health = .unavailable
        if noticed.phase == .ready || noticed.phase == .starting {
            noticed.phase = .failed
            noticed.readyAt = nil
            noticed.message = "pid \(claim.identity.pid) \(status)"
            Conditions.apply(phase: .failed, reason: .exited, message: noticed.message!, to: &noticed, now: environment.now())
        }
        // Saved as read (compare-and-swap), and carried on at its new revision: the plan made from
        // it next must name the revision it now has.
        if let saved = try? store.save(noticed, ifRevision: .revision(record.revision)) { noticed = saved }
        try? statusWriter.write(InstanceStatus(record: noticed, now: environment.now()))
        return noticed
    }
}
