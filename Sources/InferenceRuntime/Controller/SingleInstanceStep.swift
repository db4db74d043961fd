import Foundation
import InferenceModel

extension Reconciler {
    /// One key's reconcile for the controller: observe that instance now, plan it, carry the
    /// action out with the same runner `apply` uses. Consumer statuses are left to the caller.
    func reconcileOne(_ name: String, options: ApplyOptions,
                      onEvent: @escaping @Sendable (ApplyEvent) -> Void) async -> (PlannedAction?, InstanceOutcome?) {
        let onEvent = environment.secrets.redactor.redacting(onEvent)
        // Another key is evicting it to make room: that reconcile records its stop.
        if environment.residencyGate.isBeingEvicted(name) { return (nil, nil) }
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
        if action.kind == .spawn || action.kind == .restart {
            let inputs = manifests.residencyInputs()
            let groups = inputs.budgets.filter { $0.members.contains(name) }
            if !groups.isEmpty {
                // Counting the room and taking it happen under the groups' gate, on a fresh look.
                return await environment.residencyGate.withGroups(groups.map(\.name)) {
                    await startMember(action, record: record, observed: observed, inputs: inputs, groups: groups,
                                      options: options, onEvent: onEvent)
                }
            }
        }
        let payload = payloads.payload(for: action, record: record, observed: observed)
        action.payload = payload
        if action.kind.isRemoval {
            guard let record else { return (action, nil) }
            if action.kind == .idleStop { return (action, await idleStop(action, payload: payload, record: record)) }
            return (action, await removal(action, payload: payload, record: record))
        }
        return await run(action, record: record, observed: observed, options: options, onEvent: onEvent)
    }

    /// The planned action carried out by the same runner `apply` uses (a restart held by its
    /// backoff is left for the controller to come back to at its time).
    private func run(_ action: PlannedAction, record: InstanceRecord?, observed: ObservedInstance?, options: ApplyOptions,
                     onEvent: @escaping @Sendable (ApplyEvent) -> Void) async -> (PlannedAction?, InstanceOutcome?) {
        var action = action
        let name = action.instance
        if action.payload == nil { action.payload = payloads.payload(for: action, record: record, observed: observed) }
        guard let payload = action.payload else { return (action, nil) }
        if options.respectBackoff, action.kind == .restart || action.kind == .rollout, let notBefore = action.notBefore,
           notBefore > environment.now() {
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

    /// A start of a residency group member: the other members observed now, idle ones evicted
    /// if that makes room (each stop checked against the record it was planned from), or the
    /// start held back with InsufficientCapacity.
    private func startMember(_ action: PlannedAction, record: InstanceRecord?, observed: ObservedInstance?,
                             inputs: ResidencyPlanner.Inputs, groups: [ResidencyBudget], options: ApplyOptions,
                             onEvent: @escaping @Sendable (ApplyEvent) -> Void) async -> (PlannedAction?, InstanceOutcome?) {
        if options.respectBackoff, action.kind == .restart, let notBefore = action.notBefore, notBefore > environment.now() {
            return (action, nil)
        }
        let name = action.instance
        let others = Set(groups.flatMap(\.members)).subtracting([name]).sorted()
        var records: [String: InstanceRecord] = [:]
        for other in others { if let found = store.loadRecord(other).record { records[other] = found } }
        let observer = Observer(folder: folder, host: environment.host)
        let observedAll = records.values.map { observer.observe($0, now: environment.now()) } + (observed.map { [$0] } ?? [])
        let members = Set(others + [name])
        let leases = LeaseStore(layout: manifests.layout).leases().filter { members.contains($0.instance) }
        let held = manifests.leases(leases, instances: Array(members), now: environment.now())
        let desired = manifests.desiredInstances.filter { members.contains($0.name) }
        let decided = ResidencyPlanner.apply(Plan(actions: [action]), inputs: inputs, desired: desired, observed: observedAll,
                                             leases: held, now: environment.now())
        guard let start = decided.action(for: name) else { return (action, nil) }
        if start.insufficientCapacity { return (start, waitForRoom(start, record: record)) }
        for eviction in decided.actions where eviction.kind == .evict {
            var eviction = eviction
            let victim = records[eviction.instance]
            eviction.payload = payloads.payload(for: eviction, record: victim, observed: observedAll.first { $0.name == eviction.instance })
            let outcome = await environment.residencyGate.evicting(eviction.instance) {
                await idleStop(eviction, payload: eviction.payload, record: victim)
            }
            onEvent(.finished(outcome))
            guard outcome.succeeded else {
                return (action, .refused(action, "could not evict \(eviction.instance) to make room: \(outcome.message)"))
            }
        }
        return await run(start, record: record, observed: observed, options: options, onEvent: onEvent)
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
