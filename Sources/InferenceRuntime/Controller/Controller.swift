import CProcessSupport
import Foundation
import InferenceModel

/// `inferctl watch`: the same reconcile as `apply`, per instance, kept running. Keys (instance
/// names) come from a de-duplicating work queue fed by manifest file events (inotify), process
/// exits (pidfd), timers (health interval, restart backoff) and a periodic resync; each key is
/// reconciled on its own task, so a model that takes minutes to load never delays another
/// instance. Run it while holding the directory lock.
public final class Controller: @unchecked Sendable {
    public struct Options: Sendable {
        /// Every key is reconciled again this often, whatever happened.
        public var resync: Duration
        /// Quiet time after a manifest file event before reloading (editors write in bursts).
        public var debounce: Duration

        public init(resync: Duration = .seconds(30), debounce: Duration = .milliseconds(200)) {
            self.resync = resync
            self.debounce = debounce
        }
    }

    public let layout: StateLayout
    public let environment: ReconcileEnvironment
    public let options: Options
    let log: @Sendable (String) -> Void
    /// Structured events (`events.jsonl`, the API's event stream), besides the text log.
    public let events: any EventSink
    public let metrics: any ControllerMetricsSink
    let queue = WorkQueue<String>()
    /// The origin of every key's periodic slots (`KeySchedule`).
    private let startedAt = ContinuousClock.now

    private let lock = NSLock()
    // Guarded by `lock`.
    private var manifests: ManifestSet
    private var folder: StateFolder
    private var healthFailures: [String: Int] = [:]
    /// Each ready instance's `health.smoke` run (when one is due, failures in a row).
    private var healthSmokes: [String: HealthSmokeState] = [:]
    private var watchedTokens: Set<String> = []
    private var reloadGeneration = 0
    /// Set when the manifests changed: consumers must be resolved again even if no record did.
    private var consumersStale = true
    /// Keys of the first full pass not reconciled yet (nil before it starts).
    private var awaitingFirstPass: Set<String>?
    /// Set by `inferctl down` (and found at start when a down preceded this controller): every
    /// key is stopped and nothing starts until `apply` clears it.
    private var hold: DownHold?
    /// The task reconciling each key now, so `down` can cut a long readiness wait short.
    private var inFlight: [String: Task<Void, Never>] = [:]
    /// How many reconciles of each key have finished: `ensure` waits for the one after its lease.
    private var completions: [String: Int] = [:]
    /// Keys whose start waits for room in a residency group, with why (InsufficientCapacity).
    private var roomWaits: [String: String] = [:]
    /// The most keys reconciled at once since the heap was last trimmed.
    private var burstPeak = 0
    /// Set while an `apply --force` runs through the controller.
    private var forcePrune = false
    /// Consumer status files are written by one reconcile at a time.
    private let consumerLock = NSLock()

    public init(manifests: ManifestSet, folder: StateFolder, environment: ReconcileEnvironment = ReconcileEnvironment(),
                options: Options = .init(), events: any EventSink = DiscardingEventSink(),
                metrics: any ControllerMetricsSink = DiscardingMetricsSink(), log: @escaping @Sendable (String) -> Void) {
        self.layout = manifests.layout
        self.manifests = manifests
        self.folder = folder
        self.environment = environment
        self.options = options
        self.log = log
        self.events = events
        self.metrics = metrics
    }

    private var snapshot: (ManifestSet, StateFolder) { lock.withLock { (manifests, folder) } }

    /// The state folder in force (its identity is established again at each resync).
    var folderInForce: StateFolder { snapshot.1 }

    /// The manifests in force: the last valid set (an invalid edit is ignored).
    public var currentManifests: ManifestSet { snapshot.0 }

    /// True once every key of the first full pass has been reconciled once (readiness of the controller).
    public var hasSettledFirstPass: Bool { lock.withLock { awaitingFirstPass?.isEmpty == true } }

    /// Finished reconciles of `key` so far.
    func completedReconciles(of key: String) -> Int { lock.withLock { completions[key] ?? 0 } }

    func roomWait(of key: String) -> String? { lock.withLock { roomWaits[key] } }
    var roomWaitKeys: [String] { lock.withLock { roomWaits.keys.sorted() } }

    /// Records whether `key` waits for room (and why); true when that changed.
    func setRoomWait(_ key: String, _ reason: String?) -> Bool {
        lock.withLock {
            let before = roomWaits[key]
            roomWaits[key] = reason
            return before != reason
        }
    }

    /// Keys waiting to be reconciled.
    public func queueDepth() async -> Int { await queue.depth }

    func healthSmokeState(of key: String) -> HealthSmokeState? { lock.withLock { healthSmokes[key] } }
    func setHealthSmokeState(_ key: String, _ state: HealthSmokeState?) { lock.withLock { healthSmokes[key] = state } }

    /// The down hold in force, if any.
    public var downHold: DownHold? { lock.withLock { hold } }

    /// Runs until the calling task is cancelled (graceful shutdown). Servers keep running.
    public func run() async {
        if let found = DownHold.read(layout) {
            lock.withLock { hold = found }
            log("\(found.description): nothing is started until `inferctl apply`")
        }
        let firstPass = await enqueueAll()
        lock.withLock { awaitingFirstPass = Set(firstPass) }
        let watcher = try? DirectoryWatcher(path: layout.manifestDirectory)
        if watcher == nil { log("warning: cannot watch \(layout.manifestDirectory) for changes; relying on --resync") }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.dispatch() }
            group.addTask { await self.resyncLoop() }
            if let watcher { group.addTask { await self.watchManifests(watcher) } }
            // Wait for cancellation, then stop what does not end by itself.
            await withTaskCancellationHandler {
                while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
            } onCancel: {
                watcher?.stop()
                Task { await self.queue.shutdownQueue() }
            }
            group.cancelAll()
        }
    }

    /// `inferctl apply` while the controller runs: every key reconciled now, then back once
    /// nothing is queued or being reconciled (or at `timeout`). True when it settled in time.
    /// An apply also ends a `down` hold. Throws when the hold cannot be cleared.
    /// `force`: instances held by live leases are pruned too during this apply (`apply --force`).
    public func reconcileAllNow(timeout: Duration, force: Bool = false) async throws -> Bool {
        if force { lock.withLock { forcePrune = true } }
        defer { if force { lock.withLock { forcePrune = false } } }
        if lock.withLock({ hold }) != nil {
            try DownHold.clear(layout)
            lock.withLock { hold = nil }
            log("down hold cleared by inferctl apply: starting what the manifests declare")
            event(.normal, .holdCleared, nil, "down hold cleared by inferctl apply")
        }
        // Read the manifests now: the edit that made someone run apply may still be debouncing.
        await reloadManifests()
        lock.withLock { consumersStale = true }
        await enqueueAll()
        return await settle(within: timeout)
    }

    /// `inferctl down` while the controller runs: the hold is made durable, a key being
    /// reconciled now (a model still loading) is cut short, and every key is stopped through the
    /// queue; the controller keeps running and starts nothing until `apply`. True when every
    /// key settled within `timeout`. Throws when the hold cannot be written (nothing is stopped).
    public func holdDown(timeout: Duration) async throws -> Bool {
        try DownHold.set(layout, now: environment.now())
        lock.withLock { hold = DownHold(since: environment.now()) }
        log("held down by inferctl down: stopping every managed server")
        event(.normal, .heldDown, nil, "held down by inferctl down: stopping every managed server")
        for task in lock.withLock({ Array(inFlight.values) }) { task.cancel() }
        await enqueueAll()
        return await settle(within: timeout)
    }

    private func settle(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await queue.isQuiet { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// SIGHUP: look at everything again now.
    public func requestResync() {
        Task { await resync() }
    }

    // MARK: Sources of keys

    private func dispatch() async {
        await withDiscardingTaskGroup { group in
            while let key = await queue.next() {
                group.addTask {
                    // Its own task, so `down` can cancel one key; the group's cancellation
                    // (the controller stopping) still reaches it.
                    let task = Task { await self.reconcile(key) }
                    self.lock.withLock {
                        self.inFlight[key] = task
                        self.burstPeak = max(self.burstPeak, self.inFlight.count)
                    }
                    await withTaskCancellationHandler { await task.value } onCancel: { task.cancel() }
                    self.lock.withLock {
                        self.inFlight[key] = nil
                        self.completions[key, default: 0] += 1
                    }
                    await self.queue.done(key)
                    await self.releaseMemoryAfterBurst()
                }
            }
        }
    }

    /// Once a burst of concurrent reconciles is over (the first pass, an apply, a resync, many
    /// exits at once), the heap pages it used are given back: a long-running controller would
    /// otherwise keep its peak resident for good. Quiet periods of one or two keys at a time
    /// (health checks, spread out) never trigger it.
    private func releaseMemoryAfterBurst() async {
        guard lock.withLock({ burstPeak >= Self.burstSize && inFlight.isEmpty }), await queue.isQuiet else { return }
        lock.withLock { burstPeak = 0 }
        _ = sh_release_free_heap()
    }

    static let burstSize = 8

    private func resyncLoop() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: options.resync)
            if Task.isCancelled { return }
            await resync(spread: true)
        }
    }

    /// `spread`: each key at its own slot within the next resync period (the periodic resync),
    /// rather than all at once (SIGHUP).
    private func resync(spread: Bool = false) async {
        // Recovery again: a server of ours that no record names is stopped, whoever left it.
        if let state = try? await PreparedState.recover(layout, environment: environment) {
            state.notices.forEach { log("note: \($0)") }
            lock.withLock { folder = state.folder }
        }
        guard spread else {
            await enqueueAll()
            return
        }
        for key in allKeys() {
            await queue.add(key, after: .nanoseconds(Int64(KeySchedule.phase(of: key) * Double(KeySchedule.nanoseconds(options.resync)))))
        }
    }

    /// The delay to `key`'s next slot of a period (see `KeySchedule`), counted from the controller's start.
    func nextSlot(of key: String, every period: Duration) -> Duration {
        KeySchedule.delay(for: key, period: period, elapsed: ContinuousClock.now - startedAt)
    }

    private func watchManifests(_ watcher: DirectoryWatcher) async {
        for await event in watcher.events {
            let name = event.name
            let isManifest = !name.hasPrefix(".") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
            guard isManifest || event.overflowed else { continue } // our own status files never trigger a pass
            let generation = lock.withLock { reloadGeneration += 1; return reloadGeneration }
            Task {
                try? await Task.sleep(for: options.debounce)
                guard lock.withLock({ reloadGeneration == generation }) else { return }
                await reloadManifests()
            }
        }
    }

    private func reloadManifests() async {
        let loaded = ManifestSet.load(directory: layout.manifestDirectory)
        guard loaded.isValid else {
            let first = loaded.diagnostics.first { $0.severity == .error }.map { "\($0)" } ?? ""
            log("error: the manifests are invalid; keeping the last valid set until they are fixed: \(first)")
            event(.warning, .manifestsInvalid, nil, "the manifests are invalid; keeping the last valid set: \(first)")
            return
        }
        lock.withLock {
            manifests = loaded
            consumersStale = true
        }
        log("manifests changed: reconciling")
        event(.normal, .manifestsChanged, nil, "manifests changed: reconciling")
        await enqueueAll()
    }

    @discardableResult
    private func enqueueAll() async -> [String] {
        let keys = allKeys()
        for name in keys {
            await queue.add(name)
        }
        return keys
    }

    /// Every instance declared or recorded.
    private func allKeys() -> [String] {
        let (manifests, _) = snapshot
        let recorded = ((try? FileStateStore(layout: layout).loadRecords()) ?? []).map(\.name)
        return Set(manifests.state.instances.map(\.name)).union(recorded).sorted()
    }

    // MARK: One key

    func reconcile(_ key: String) async {
        if lock.withLock({ hold }) != nil {
            await reconcileHeldDown(key)
            lock.withLock { _ = awaitingFirstPass?.remove(key) }
            return
        }
        let started = ContinuousClock.now
        let (manifests, folder) = snapshot
        let reconciler = Reconciler(manifests: manifests, folder: folder, environment: environment)
        expireLeases(of: key)
        let before = reconciler.store.loadRecord(key).record
        let log = self.log
        var options = ApplyOptions(wait: true, respectBackoff: true, force: lock.withLock { forcePrune })
        // Observed before the pass, like the process itself, so its refresh records one health.
        if let verdict = await healthSmoke(key, record: before, instance: manifests.state.instance(named: key),
                                           registry: manifests.registry) {
            options.healthSmokeVerdicts[key] = verdict
        }
        let (action, outcome) = await reconciler.reconcileOne(key, options: options) { event in
            if let line = ControllerLog.line(for: event) { log(line) }
            self.report(event, store: reconciler.store)
            self.withdrawEndpoints(on: event, reconciler: reconciler)
        }
        if Task.isCancelled { return }
        defer {
            measure(key, action: action, outcome: outcome, store: reconciler.store, duration: ContinuousClock.now - started)
            lock.withLock { _ = awaitingFirstPass?.remove(key) }
        }
        if let action, action.kind == .stop || action.kind == .detach, let outcome { report(removal: outcome) }
        if let action, action.kind == .idleStop, let outcome { event(.normal, .idle, key, outcome.message) }
        _ = await waitForRoom(key, action: action)
        await scheduleLeaseTimers(key, action: action)
        let after = reconciler.store.loadRecord(key).record
        if var record = after, let instance = manifests.state.instance(named: key) {
            if let action, action.kind == .restart || action.kind == .rollout, let notBefore = action.notBefore, notBefore > environment.now() {
                // A rollout waiting out its backoff leaves the old revision serving, and says so already.
                if action.kind == .restart { holdInBackoff(&record, until: notBefore, reconciler: reconciler) }
                await queue.add(key, after: .milliseconds(Int64(notBefore.timeIntervalSince(environment.now()) * 1000) + 1))
            } else if record.phase == .ready {
                if action?.kind == .noop, outcome != nil {
                    if record.startupKind == .spawned {
                        await checkHealth(&record, instance: instance, reconciler: reconciler)
                    } else {
                        await withdrawIfGenerationFails(&record, instance: instance, reconciler: reconciler)
                    }
                }
                watchExit(of: record, folder: folder)
                rotateLog(of: record)
                await queue.add(key, after: nextHealthCheck(key, instance: instance))
            } else if record.startupKind == .attachExistingService {
                await queue.add(key, after: nextSlot(of: key, every: instance.spec.health.interval.duration))
            } else if record.phase == .starting {
                watchExit(of: record, folder: folder)
                await queue.add(key, after: .seconds(1))
            } else if record.phase == .failed, let action, action.kind != .noop, Self.isRetryable(record) {
                // Failed on its way up (exited before ready, port taken…): come back after its
                // backoff, when the plan says whether and when to restart it. A terminal reason
                // (bad spec, missing binary or secret) waits for an edit or a resync instead.
                await queue.add(key, after: max(instance.spec.restart.backoff.duration, .seconds(1)))
            }
        }
        // Consumers are resolved again only when what they resolve from changed: a health check
        // that changes nothing reads and writes nothing more.
        let stale = lock.withLock { () -> Bool in
            defer { consumersStale = false }
            return consumersStale
        }
        if stale || before != reconciler.store.loadRecord(key).record {
            consumerLock.withLock {
                _ = try? reconciler.writeConsumerStatuses()
            }
        }
    }

    /// A server going down for a start (a restart after its exit, a replace after an edit) must not
    /// leave its consumers pointing at it until the new one is ready, which may take minutes: they
    /// are resolved again as soon as its record says it is not serving.
    private func withdrawEndpoints(on event: ApplyEvent, reconciler: Reconciler) {
        switch event {
        case .starting, .launched: consumerLock.withLock { _ = try? reconciler.writeConsumerStatuses() }
        case .waiting, .finished: break
        }
    }

    /// Under a down hold: a running server is stopped and recorded Stopped, as `down` does; an
    /// instance gone from the manifests is still pruned; nothing is started or requeued.
    private func reconcileHeldDown(_ key: String) async {
        let (manifests, folder) = snapshot
        let reconciler = Reconciler(manifests: manifests, folder: folder, environment: environment)
        guard let record = reconciler.store.loadRecord(key).record else { return }
        if manifests.state.instance(named: key) == nil {
            let (_, outcome) = await reconciler.reconcileOne(key, options: ApplyOptions(wait: false)) { _ in }
            if let outcome { report(removal: outcome) }
        } else if record.phase != .stopped || record.message != Shutdown.stoppedMessage {
            let result = await Shutdown(folder: folder, manifests: manifests, environment: environment)
                .stop(record, store: reconciler.store, writer: reconciler.statusWriter)
            log("\(key): \(Shutdown.stoppedMessage): \(result.message)")
            event(result.recorded ? .normal : .warning, result.recorded ? .stopped : .stateWriteFailed, key,
                  "\(Shutdown.stoppedMessage): \(result.message)")
        } else {
            return
        }
        consumerLock.withLock { _ = try? reconciler.writeConsumerStatuses() }
    }

    static func isRetryable(_ record: InstanceRecord) -> Bool {
        guard let reason = record.conditions.first(where: { $0.type == "Ready" })?.reason else { return true }
        return ConditionReason(rawValue: reason)?.isRetryable ?? true
    }

    /// Consecutive failed health probes, or failed `health.smoke` completions (each counted on
    /// its own): at `failureThreshold` a managed server is stopped and recorded as failed
    /// (`HealthCheckFailed`), so its restart policy takes over.
    private func checkHealth(_ record: inout InstanceRecord, instance: InstanceManifest, reconciler: Reconciler) async {
        let healthy = record.conditions.first { $0.type == "Healthy" }
        // A probe that answered while the last smoke failed is counted with the smokes, not here.
        let probeFailed = record.health != .healthy && healthy?.reason != ConditionReason.smokeTestFailed.rawValue
        let failures = lock.withLock { () -> Int in
            healthFailures[record.name] = probeFailed ? (healthFailures[record.name] ?? 0) + 1 : 0
            return healthFailures[record.name]!
        }
        let why = healthy?.message ?? "health probe failed"
        if failures > 0 { event(.warning, ConditionReason(health: record.health), record.name, "health check failed: \(why)") }
        let threshold = instance.spec.health.failureThreshold
        let smoke = healthSmokeState(of: record.name)
        let smokeFailures = smoke?.consecutiveFailures ?? 0
        guard failures >= threshold || smokeFailures >= threshold, let claim = reconciler.folder.claim(for: record) else { return }
        lock.withLock { healthFailures[record.name] = 0 }
        setHealthSmokeState(record.name, nil)
        let summary: String
        if failures >= threshold {
            summary = "health failed \(failures) times in a row (\(why))"
        } else {
            let smokeWhy = if case .failed(let failure)? = smoke?.latest { failure } else { why }
            summary = "generation (health.smoke) failed \(smokeFailures) times in a row (\(smokeWhy))"
        }
        log("\(record.name): \(summary); stopping pid \(claim.identity.pid)")
        event(.warning, .healthCheckFailed, record.name, "\(summary); stopping pid \(claim.identity.pid)")
        let outcome = await environment.host.stop(claim, signal: SignalNumbers.number(record.stopSignal),
                                                        gracePeriod: .milliseconds(record.stopGraceMilliseconds ?? 10_000))
        record.lastExit = ExitRecord(status: environment.host.exitStatusIfExited(claim.identity)?.terminationStatus ?? .unknown,
                                     at: environment.now(), failedCheck: ConditionReason.healthCheckFailed.rawValue)
        record.health = .unavailable
        record.readyAt = nil
        record.phase = .failed
        record.message = "\(summary); stopped: \(outcome)"
        Conditions.apply(phase: .failed, reason: .healthCheckFailed, message: record.message!, to: &record, now: environment.now())
        persist(record, reconciler: reconciler)
        await queue.add(record.name)
    }

    /// A restart held by its backoff: said as `CrashLoopBackOff` once it has crashed again after
    /// a restart, with the last exit and the log's last lines.
    private func holdInBackoff(_ record: inout InstanceRecord, until notBefore: Date, reconciler: Reconciler) {
        guard record.restarts >= 1 else { return }
        let exit = record.lastExit?.description ?? "exited"
        let tail = record.logPath.flatMap { try? LogFiles.tail(path: $0, lines: 5) } ?? []
        let summary = "crashed again (\(exit)); next restart at \(notBefore.formatted(.iso8601))"
        let message = summary + (tail.isEmpty ? "" : "; last log lines:\n" + tail.joined(separator: "\n"))
        if record.message != message { event(.warning, .crashLoopBackOff, record.name, summary) }
        record.phase = .failed
        record.health = .unavailable
        record.message = message
        Conditions.apply(phase: .failed, reason: .crashLoopBackOff, message: message, to: &record, now: environment.now())
        persist(record, reconciler: reconciler)
    }

    func persist(_ record: InstanceRecord, reconciler: Reconciler) {
        let redacted = record.redacted(by: environment.secrets.redactor)
        do {
            try reconciler.store.save(redacted)
            try reconciler.statusWriter.write(InstanceStatus(record: redacted, now: environment.now()))
        } catch {
            log("error: \(record.name): could not write state: \(error)")
            event(.warning, .stateWriteFailed, record.name, "could not write state: \(error)")
        }
    }

    /// A long-running server's log is kept bounded while it runs, not only at restarts: the same
    /// copy-truncate rotation (the server appends with O_APPEND, so it carries on at the start).
    private func rotateLog(of record: InstanceRecord) {
        guard let path = record.logPath else { return }
        do {
            if try LogFiles.rotateIfNeeded(path: path, maxBytes: environment.logLimitBytes, keep: environment.logKeep) {
                log("\(record.name): log rotated (\(environment.logLimitBytes) bytes)")
            }
        } catch {
            log("warning: \(record.name): cannot rotate its log: \(error)")
        }
    }

    /// An exit is noticed at once: the pidfd of the server wakes its key.
    private func watchExit(of record: InstanceRecord, folder: StateFolder) {
        guard let claim = folder.claim(for: record) else { return }
        let isNew = lock.withLock { watchedTokens.insert(claim.token).inserted }
        guard isNew else { return }
        Task {
            _ = await environment.host.waitForExit(claim.identity)
            lock.withLock { _ = watchedTokens.remove(claim.token) }
            if Task.isCancelled { return }
            log("\(record.name): pid \(claim.identity.pid) exited")
            event(.warning, .exited, record.name, "pid \(claim.identity.pid) exited")
            await queue.add(record.name)
        }
    }
}

/// The controller's one-line log of what it does.
enum ControllerLog {
    static func line(for event: ApplyEvent) -> String? {
        switch event {
        case .starting(let instance, let action): "\(instance): \(action.rawValue)"
        case .launched(let instance, let pid, let port): "\(instance): started pid \(pid) on port \(port)"
        case .waiting: nil
        case .finished(let outcome): "\(outcome.instance): \(outcome.phase.rawValue): \(outcome.message.split(separator: "\n").first ?? "")"
        }
    }
}
