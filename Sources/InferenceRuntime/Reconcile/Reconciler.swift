import Foundation
import InferenceBackends
import InferenceModel

/// Carries out a plan: stops first (they free ports), then every other instance in parallel.
/// Each step is written to the state folder before the next, so a controller killed at any
/// instant leaves records the next pass can read and converge from.
public struct Reconciler: Sendable {
    public let manifests: ManifestSet
    /// The state folder whose tokens prove which processes are ours.
    public let folder: StateFolder
    public let environment: ReconcileEnvironment
    public let store: StateStore
    public let statusWriter: StatusWriting

    public init(manifests: ManifestSet, folder: StateFolder, environment: ReconcileEnvironment = ReconcileEnvironment(),
                store: StateStore? = nil, statusWriter: StatusWriting? = nil) {
        self.manifests = manifests
        self.folder = folder
        self.environment = environment
        self.store = store ?? FileStateStore(layout: manifests.layout)
        self.statusWriter = statusWriter ?? StatusWriter(layout: manifests.layout)
    }

    /// Carries out each action's payload. An action whose record moved on since it was planned
    /// (another writer, a newer revision) is refused and reported, not carried out on stale data; a
    /// plan from the pure `Planner` (no payloads) is given them now, from the records read here.
    public func execute(_ plan: Plan, options: ApplyOptions = .init(),
                        onEvent: @escaping @Sendable (ApplyEvent) -> Void = { _ in }) async throws -> ApplyResult {
        let onEvent = environment.secrets.redactor.redacting(onEvent) // events are printed: no secret in them
        try StateDirectories.prepare(manifests.layout)
        let records = Dictionary(try store.loadRecords().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let observed = Dictionary(Observer(folder: folder, host: environment.host)
                                    .observe(Array(records.values)).map { ($0.name, $0) },
                                  uniquingKeysWith: { first, _ in first })
        let plan = payloads.complete(plan, records: records, observed: observed)
        let ports = PortBook(records: Array(records.values))
        var outcomes: [InstanceOutcome] = []

        // Removals first, one by one: what they free (ports, memory) the rest may need.
        for action in plan.actions where action.kind.isRemoval {
            guard let payload = action.payload else { continue }
            // Gone since, unless it was gone when planned: then there is nothing to remove.
            if records[action.instance] == nil && payload.recordRevision == .missing { continue }
            let outcome: InstanceOutcome
            if action.kind == .idleStop || action.kind == .evict {
                outcome = await idleStop(action, payload: payload, record: records[action.instance])
            } else {
                outcome = await removal(action, payload: payload, record: records[action.instance])
            }
            onEvent(.finished(outcome))
            outcomes.append(outcome)
        }

        let work = plan.actions.filter { !$0.kind.isRemoval }
        let results = await withTaskGroup(of: InstanceOutcome?.self) { group in
            for action in work {
                guard let instance = manifests.state.instance(named: action.instance), let payload = action.payload else { continue }
                let record = records[action.instance]
                let observation = observed[action.instance]
                if action.insufficientCapacity {
                    group.addTask {
                        let outcome = waitForRoom(action, record: record)
                        onEvent(.finished(outcome))
                        return outcome
                    }
                    continue
                }
                group.addTask {
                    if action.kind != .noop { onEvent(.starting(instance: action.instance, action: action.kind)) }
                    let runner = InstanceRunner(reconciler: self, instance: instance, action: action, payload: payload,
                                                options: options, ports: ports, onEvent: onEvent)
                    let outcome = await runner.run(existing: record, observed: observation)
                    onEvent(.finished(outcome))
                    return outcome
                }
            }
            var collected: [InstanceOutcome] = []
            for await outcome in group { if let outcome { collected.append(outcome) } }
            return collected
        }
        outcomes += results.sorted { $0.instance < $1.instance }
        do {
            return ApplyResult(instances: outcomes, consumers: try writeConsumerStatuses())
        } catch {
            return ApplyResult(instances: outcomes, consumers: [], stateErrors: ["could not write consumer status: \(error)"])
        }
    }

    /// What plans carry: worked out from this reconciler's manifests, folder and environment.
    var payloads: PayloadBuilder { PayloadBuilder(manifests: manifests, folder: folder, environment: environment) }

    /// Prune: stop what we started (never anything else), forget attachments, remove their status.
    /// The process stopped is the one the plan names; the record is removed only if it is still
    /// the one the plan was made from.
    func removal(_ action: PlannedAction, payload: ActionPayload, record: InstanceRecord?) async -> InstanceOutcome {
        if let stale = payload.staleness(of: action.instance, current: record) {
            return .refused(action, stale.description)
        }
        guard let record else {
            return InstanceOutcome(instance: action.instance, action: action.kind, phase: .stopped, message: "nothing to stop",
                                   succeeded: true, elapsed: .zero)
        }
        let clock = ContinuousClock()
        let start = clock.now
        var message = action.kind == .detach ? "detached (the server is not ours to stop)" : "nothing to stop"
        // A rollout's new or old revision goes with it.
        _ = await RecordedServerStop(folder: folder, host: environment.host).stopExtras(of: record)
        if action.kind == .stop, let target = payload.stop {
            if let claim = folder.claim(for: record), claim.identity == target.identity {
                let outcome = await environment.host.stop(claim, signal: SignalNumbers.number(target.signal),
                                                          gracePeriod: .milliseconds(target.gracePeriodMilliseconds))
                message = "stopped pid \(target.pid): \(outcome)"
            } else {
                message = "pid \(target.pid) \(StopOutcome.refusedNotProven)"
            }
        } else if action.kind == .stop, let identity = record.process {
            message = "pid \(identity.pid) \(StopOutcome.refusedNotProven)"
        }
        do {
            try store.remove(record.name, ifRevision: payload.recordRevision)
            try statusWriter.removeInstanceStatus(record.name)
            // Pruned with --force: its leases hold nothing any more.
            let leases = LeaseStore(layout: manifests.layout)
            for lease in leases.leases() where lease.instance == record.name { try leases.remove(lease.leaseRef) }
        } catch {
            return InstanceOutcome(instance: record.name, action: action.kind, phase: .failed,
                                   message: "\(message); could not remove its state: \(error)", succeeded: false,
                                   elapsed: clock.now - start, reason: error is StaleRecord ? .stalePlan : .stateWriteFailed)
        }
        return InstanceOutcome(instance: record.name, action: action.kind, phase: .stopped, message: message,
                               succeeded: true, elapsed: clock.now - start)
    }

    /// An on-demand instance no lease has needed for its idleTimeout (`idle-stop`), or an idle one
    /// evicted to make room in its residency group (`evict`): its server is stopped, its record
    /// kept (phase Stopped, reason Idle or Evicted) so the next `ensure` starts it again.
    func idleStop(_ action: PlannedAction, payload: ActionPayload?, record: InstanceRecord?) async -> InstanceOutcome {
        if let payload, let stale = payload.staleness(of: action.instance, current: record) {
            return .refused(action, stale.description)
        }
        guard let original = record else {
            return InstanceOutcome(instance: action.instance, action: action.kind, phase: .stopped, message: "nothing to stop",
                                   succeeded: true, elapsed: .zero)
        }
        let clock = ContinuousClock()
        let start = clock.now
        var record = original
        let stopped = await RecordedServerStop(folder: folder, host: environment.host).stop(record)
        let evicted = action.kind == .evict
        let message = (evicted ? "evicted \(action.reason); " : "idle: \(action.reason); ")
            + (stopped.map { "stopped \($0.message)" } ?? "was not running")
        if let exit = stopped?.exit { record.lastExit = ExitRecord(status: exit.terminationStatus, at: environment.now()) }
        record.surge = nil
        record.retiring = nil
        record.health = .unknown
        record.readyAt = nil
        record.phase = .stopped
        record.message = message
        Conditions.apply(phase: .stopped, reason: evicted ? .evicted : .idle, message: message, to: &record, now: environment.now())
        do {
            try store.save(record)
            try statusWriter.write(InstanceStatus(record: record, now: environment.now()))
        } catch {
            return InstanceOutcome(instance: record.name, action: action.kind, phase: .failed,
                                   message: "\(message); could not record it: \(error)", succeeded: false, elapsed: clock.now - start)
        }
        return InstanceOutcome(instance: record.name, action: action.kind, phase: .stopped, message: message,
                               succeeded: true, elapsed: clock.now - start)
    }

    /// A start its residency group has no room for: not started. A recorded instance says why in
    /// its status (reason InsufficientCapacity); the outcome is a failure, so `apply` and `ensure` say so.
    func waitForRoom(_ action: PlannedAction, record: InstanceRecord?) -> InstanceOutcome {
        let failed = InstanceOutcome(instance: action.instance, action: action.kind, phase: .pending, message: action.reason,
                                     succeeded: false, elapsed: .zero, reason: .insufficientCapacity)
        guard var record else { return failed }
        record.phase = record.phase == .ready || record.phase == .starting ? .pending : record.phase
        record.message = action.reason
        Conditions.apply(phase: record.phase, reason: .insufficientCapacity, message: action.reason, to: &record, now: environment.now())
        do {
            let stored = try store.save(record, ifRevision: .revision(record.revision))
            try statusWriter.write(InstanceStatus(record: stored, now: environment.now()))
        } catch {
            return InstanceOutcome(instance: action.instance, action: action.kind, phase: .failed,
                                   message: "\(action.reason); could not record it: \(error)", succeeded: false, elapsed: .zero,
                                   reason: error is StaleRecord ? .stalePlan : .stateWriteFailed)
        }
        return failed
    }

    /// Each consumer's resolved endpoint and compatibility, from the records just written.
    @discardableResult
    public func writeConsumerStatuses() throws -> [ConsumerStatus] {
        // Without consumers there is nothing to resolve (stale status files are still removed).
        let records = manifests.state.consumers.isEmpty ? [:]
            : Dictionary(try store.loadRecords().map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let now = environment.now()
        var statuses: [ConsumerStatus] = []
        for consumer in manifests.state.consumers {
            let status = ConsumerResolution.status(for: consumer, manifests: manifests, records: records, now: now)
            try statusWriter.write(status)
            statuses.append(status)
        }
        // A consumer whose manifest is gone must not keep handing out an endpoint.
        let declared = Set(manifests.state.consumers.map(\.name))
        let suffix = ".consumer.status.json"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: manifests.directory)) ?? []
        for file in files where file.hasSuffix(suffix) {
            let name = String(file.dropLast(suffix.count))
            if !declared.contains(name) { try statusWriter.removeConsumerStatus(name) }
        }
        return statuses
    }
}

/// Signal names from manifests to numbers.
enum SignalNumbers {
    static func number(_ name: String?) -> Int32 {
        switch name ?? "SIGTERM" {
        case "SIGINT": SIGINT
        case "SIGQUIT": SIGQUIT
        case "SIGHUP": SIGHUP
        default: SIGTERM
        }
    }
}
