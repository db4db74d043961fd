import Foundation
import InferenceBackends
import InferenceModel

/// Carries out one instance's action and records every step.
struct InstanceRunner: Sendable {
    let reconciler: Reconciler
    let instance: InstanceManifest
    let action: PlannedAction
    /// What the plan said to do, and the record revision it was planned from.
    let payload: ActionPayload
    let options: ApplyOptions
    let ports: PortBook
    let onEvent: @Sendable (ApplyEvent) -> Void
    /// Every save of this run is conditional on the revision it last read or wrote.
    let revision: RevisionCursor

    init(reconciler: Reconciler, instance: InstanceManifest, action: PlannedAction, payload: ActionPayload,
         options: ApplyOptions, ports: PortBook, onEvent: @escaping @Sendable (ApplyEvent) -> Void) {
        self.reconciler = reconciler
        self.instance = instance
        self.action = action
        self.payload = payload
        self.options = options
        self.ports = ports
        self.onEvent = onEvent
        self.revision = RevisionCursor(payload.recordRevision)
    }

    var environment: ReconcileEnvironment { reconciler.environment }
    var folder: StateFolder { reconciler.folder }
    var layout: StateLayout { reconciler.manifests.layout }
    var registry: BackendRegistry { reconciler.manifests.registry }

    func run(existing: InstanceRecord?, observed: ObservedInstance?) async -> InstanceOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        // Planned from another record than there is now: deciding again is the next pass's job.
        if let stale = payload.staleness(of: instance.name, current: existing) {
            return .refused(action, stale.description)
        }
        guard let startupKind = registry.startupKind(for: instance.spec),
              let driver = registry.driver(named: instance.spec.backend),
              let manifest = registry.manifest(for: instance.spec) else {
            return outcome(.failed, "backend '\(instance.spec.backend)' cannot run this instance", false, clock.now - start)
        }
        if let mismatch = planMismatch(driver: driver) {
            return .refused(action, mismatch)
        }
        var record = freshRecord(existing: existing, startupKind: startupKind)
        if let failure = await settleRolloutLeftovers(&record) { return outcome(.failed, failure, false, clock.now - start) }
        if action.kind == .rollout, startupKind == .spawned {
            return await SurgeRollout(runner: self).run(&record, driver: driver, manifest: manifest)
        }
        let result: (InstancePhase, String)
        switch (action.kind, startupKind) {
        case (.noop, _):
            guard existing != nil else {
                // Not started on purpose (activation OnDemand): nothing to do, nothing failed.
                return outcome(.pending, action.reason, true, clock.now - start)
            }
            // Stopped on purpose (down, idle, evicted) and still stopped: its record already says why.
            if startupKind == .spawned, record.phase == .stopped, let observed, observed.process != .running {
                return outcome(.stopped, action.reason, true, clock.now - start)
            }
            if startupKind == .spawned, let observed, observed.process != .running {
                // Exited and not to be restarted (its restart policy says so): record why.
                let clean = observed.lastExit.map { !$0.isFailure } ?? false
                record.lastExit = observed.lastExit ?? record.lastExit
                record.health = .unavailable
                set(&record, phase: clean ? .stopped : .failed, reason: clean ? .completed : .notRestarted, message: action.reason)
                do { try await persist(record) } catch { return outcome(.failed, "\(error)", false, clock.now - start) }
                return outcome(record.phase, action.reason, clean, clock.now - start)
            }
            result = await refresh(&record, existing: existing, driver: driver, manifest: manifest)
        case (_, .attachExistingService):
            if action.kind == .replace, let existing { _ = await stopPlanned(existing) }
            result = await AttachedLifecycle(runner: self).attach(&record, driver: driver, manifest: manifest)
        case (_, .spawned):
            result = await SpawnedLifecycle(runner: self)
                .run(&record, existing: existing, observed: observed, driver: driver, manifest: manifest)
        }
        return outcome(result.0, result.1, result.0 == .ready || (result.0 == .starting && !options.wait), clock.now - start)
    }

    /// What an interrupted rollout left: its new revision (a surge) and old revisions not yet
    /// stopped are stopped now (each only if proven ours), and a stalled rollout whose manifest went
    /// back to the serving revision is over. Nil when the record could be written.
    func settleRolloutLeftovers(_ record: inout InstanceRecord) async -> String? {
        var changed = false
        if record.hasExtraServers {
            let stopped = await RecordedServerStop(folder: folder, host: environment.host).stopExtras(of: record)
            record.surge = nil
            record.retiring = nil
            if let main = record.logPath, main != layout.logPath(instance.name), RolloutLogs.promote(main, to: layout.logPath(instance.name)) {
                record.logPath = layout.logPath(instance.name)
            }
            onEvent(.waiting(instance: instance.name, reason: "stopped what an interrupted rollout left: " + stopped.joined(separator: ", ")))
            changed = true
        }
        if record.rolloutFailure != nil, action.kind != .rollout {
            record.rolloutFailure = nil
            Conditions.set(&record.conditions, type: "Stalled", status: .false, reason: .rolloutAbandoned,
                           message: "the manifest is back to the serving revision", generation: record.fingerprint.hash, now: environment.now())
            changed = true
        }
        guard changed else { return nil }
        do { try await persist(record) } catch { return "\(error)" }
        return nil
    }

    /// Why the plan's launch or attachment is not what the manifests give now (checked before
    /// anything is done); nil when it is. Within one `apply` they are the same manifests; this
    /// keeps a plan made from other ones (an edit in between) from being carried out as if current.
    func planMismatch(driver: BackendDriver) -> String? {
        let changed = "the manifests changed since this plan was made"
        if let planned = payload.launch {
            let port = planned.port ?? LaunchTemplate.probePorts.0
            guard let built = try? driver.launchPlan(for: instance, context: launchContext(port: port)),
                  planned.describes(built, port: port) else {
                return "\(changed) (the backend builds another command line than the plan shows); run apply again"
            }
        }
        if let planned = payload.attach, let url = try? driver.attachPlan(for: instance).rootURL, url != planned.url {
            return "\(changed) (the server is now at \(url), the plan attaches to \(planned.url)); run apply again"
        }
        return nil
    }

    /// The record to work on: the existing one carried over (restarts, port, conditions) with the new spec.
    func freshRecord(existing: InstanceRecord?, startupKind: StartupKind) -> InstanceRecord {
        var record = existing ?? InstanceRecord(name: instance.name, backend: instance.spec.backend, startupKind: startupKind,
                                                fingerprint: SpecFingerprint(spec: instance.spec, startupKind: startupKind))
        record.backend = instance.spec.backend
        record.startupKind = startupKind
        record.stopSignal = instance.spec.stop.signal
        record.stopGraceMilliseconds = instance.spec.stop.gracePeriod.milliseconds
        return record
    }

    /// Saves the record and publishes it: its status file, and the status files of the consumers
    /// it decides. A failed write leaves the previous files intact and is an error: what is not
    /// durable did not happen. The save is a compare-and-swap on the revision this run last saw,
    /// so a record someone else wrote meanwhile is never overwritten.
    ///
    /// The status files are made ready (written and fsynced in temp files) while the record is
    /// being written, and put in place only once it is durable: no status says what the record
    /// does not. All of it runs off the cooperative pool (`BlockingIO`): many instances' fsyncs in
    /// flight at once are committed together.
    func persist(_ record: InstanceRecord) async throws(StateWriteFailed) {
        let record = record.redacted(by: environment.secrets.redactor)
        let (store, statusWriter, expected, now) = (reconciler.store, reconciler.statusWriter, revision.current, environment.now())
        let manifests = reconciler.manifests
        // One hop off the pool: the statuses are prepared on a second thread while this one saves.
        let (stored, failure) = await BlockingIO.run { () -> (InstanceRecord?, (any Error)?) in
            let publications = BlockingIO.start { () -> Result<[StatusPublication], any Error> in
                Result { try Self.prepareStatuses(following: record, writer: statusWriter, manifests: manifests, store: store, now: now) }
            }
            let stored: InstanceRecord
            do {
                stored = try store.save(record, ifRevision: expected)
            } catch {
                (try? publications.wait().get())?.forEach { $0.discard() }
                return (nil, error)
            }
            do {
                try StatusPublication.commitAll(try publications.wait().get())
            } catch {
                return (stored, error)
            }
            return (stored, nil)
        }
        if let stored { revision.current = .revision(stored.revision) }
        if let failure { throw Self.stateWriteFailed(failure) }
    }

    /// The instance's status and its consumers' statuses, made ready to be put in place.
    static func prepareStatuses(following record: InstanceRecord, writer: StatusWriting, manifests: ManifestSet,
                                store: StateStore, now: Date) throws -> [StatusPublication] {
        var prepared = [try writer.prepare(InstanceStatus(record: record, now: now))]
        do {
            for consumer in ConsumersOfInstance.statuses(following: record, manifests: manifests, store: store, now: now) {
                prepared.append(try writer.prepare(consumer))
            }
        } catch {
            prepared.forEach { $0.discard() }
            throw error
        }
        return prepared
    }

    static func stateWriteFailed(_ error: any Error) -> StateWriteFailed {
        if let stale = error as? StaleRecord {
            return StateWriteFailed(underlying: "the record was changed by someone else meanwhile (\(StaleRecord.now(stale.found)), "
                                    + "this run had \(stale.expected)); it was left as they wrote it; run apply again")
        }
        return StateWriteFailed(underlying: "\(error)")
    }

    /// Stops the process the plan names as going first (replace), through the record's proof.
    /// Nil when the plan names none.
    func stopPlanned(_ existing: InstanceRecord) async -> (ProcessClaim, StopOutcome)? {
        guard let target = payload.stop, let claim = folder.claim(for: existing), claim.identity == target.identity else { return nil }
        let outcome = await environment.host.stop(claim, signal: SignalNumbers.number(target.signal),
                                                  gracePeriod: .milliseconds(target.gracePeriodMilliseconds))
        return (claim, outcome)
    }

    /// Stops a process proven ours, with the stop settings its record carries.
    func stop(_ claim: ProcessClaim, settingsOf record: InstanceRecord) async -> StopOutcome {
        await environment.host.stop(claim, signal: SignalNumbers.number(record.stopSignal),
                                          gracePeriod: .milliseconds(record.stopGraceMilliseconds ?? 10_000))
    }

    func set(_ record: inout InstanceRecord, phase: InstancePhase, reason: ConditionReason, message: String) {
        record.phase = phase
        record.message = message
        Conditions.apply(phase: phase, reason: reason, message: message, to: &record, now: environment.now())
    }

    /// A running, ready instance: one health probe so its status tells the truth now.
    func refresh(_ record: inout InstanceRecord, existing: InstanceRecord?, driver: BackendDriver,
                 manifest: BackendManifest) async -> (InstancePhase, String) {
        guard record.phase == .ready else { return (record.phase, record.message ?? action.reason) }
        let probes: ProbeSet?
        var headers: [String: String] = [:]
        if record.startupKind == .spawned, let port = record.port {
            probes = try? driver.launchPlan(for: instance, context: launchContext(port: port)).probes
        } else {
            let plan = try? driver.attachPlan(for: instance)
            probes = plan?.probes
            headers = (try? environment.secrets.headers(plan?.secretHeaders ?? [:])) ?? [:]
        }
        if let probes {
            let probe = await ProbeRunner(prober: environment.prober, headers: headers).health(probes.health)
            let (health, reason, why) = HealthSmokeFold.fold(probe: probe, smoke: options.healthSmokeVerdicts[instance.name],
                                                             endpoint: &record.endpoint)
            record.health = health
            Conditions.set(&record.conditions, type: "Healthy", status: health == .healthy ? .true : .false,
                           reason: reason, message: why, generation: record.fingerprint.hash, now: environment.now())
            // A daemon we attach to that stopped answering is no longer ready: consumers must not be
            // handed it, and the next pass attaches again.
            if record.startupKind == .attachExistingService && health == .unavailable {
                record.readyAt = nil
                set(&record, phase: .pending, reason: .notReachable, message: why)
                do { try await persist(record) } catch { return (.failed, "\(error)") }
                return (.pending, why)
            }
        }
        if let existing, isUnchanged(record, since: existing) {
            do { try publishStatus(of: existing) } catch { return (.failed, "\(error)") }
            return (.ready, action.reason)
        }
        do { try await persist(record) } catch { return (.failed, "\(error)") }
        return (.ready, action.reason)
    }

    /// The probe learned nothing the record does not say, and the record is still the one read
    /// (its file holds the same bytes): saving it would write nothing, so it is not even encoded.
    /// Only its status file is checked (it may be missing, or stale).
    func isUnchanged(_ record: InstanceRecord, since existing: InstanceRecord) -> Bool {
        record.redacted(by: environment.secrets.redactor) == existing
            && reconciler.store.loadRecord(record.name) == .record(existing)
    }

    /// Writes the status file of a record as it is stored (unless the file already says it).
    func publishStatus(of stored: InstanceRecord) throws(StateWriteFailed) {
        do {
            try reconciler.statusWriter.write(InstanceStatus(record: stored, now: environment.now()))
        } catch {
            throw StateWriteFailed(underlying: "\(error)")
        }
    }

    func launchContext(port: Int) -> LaunchContext {
        LaunchContext(port: port, simulatorExecutable: environment.simulatorExecutable,
                      simulatorArguments: environment.simulatorArguments)
    }

    func readinessSettings() -> ReadinessWaiter.Settings {
        var timeout = instance.spec.readiness.timeout.duration
        if let cap = options.timeout { timeout = min(timeout, cap) }
        return ReadinessWaiter.Settings(timeout: timeout, stallTimeout: instance.spec.readiness.stallTimeout?.duration)
    }

    func outcome(_ phase: InstancePhase, _ message: String, _ succeeded: Bool, _ elapsed: Duration) -> InstanceOutcome {
        InstanceOutcome(instance: instance.name, action: action.kind, phase: phase,
                        message: environment.secrets.redactor.redact(message), succeeded: succeeded, elapsed: elapsed)
    }
}
