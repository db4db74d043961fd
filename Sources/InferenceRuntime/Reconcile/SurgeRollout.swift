import Foundation
import InferenceBackends
import InferenceModel

/// A changed spec rolled out without a gap (`rollout: {strategy: Surge}`, the default for
/// `port: auto`):
///
/// 1. The new revision's intent (`record.surge`, a fresh token and port) is written, then it is
///    spawned beside the serving one and its pid recorded: the same write-ahead order as any start.
/// 2. It must become ready (the backend's readiness probe, through its own log and port).
/// 3. One record write switches the instance to it (process, port, endpoint, fingerprint) and the
///    old process becomes `retiring`; consumer status files are rewritten right after, so clients
///    that read them get the new endpoint.
/// 4. The old one keeps answering what was already sent to it for its `stop.gracePeriod`, then is
///    stopped like any server of ours (signal, grace, SIGKILL).
///
/// If the new revision fails, it is stopped, the old one keeps serving, and the record keeps a
/// `rolloutFailure` (condition `Stalled`, reason `RolloutFailed`, with its exit and log tail) that
/// spaces the next attempts by the restart backoff. A crash at any step leaves a record naming
/// every process it started: the next pass stops the leftovers and rolls out again.
struct SurgeRollout {
    let runner: InstanceRunner
    var environment: ReconcileEnvironment { runner.environment }
    var instance: InstanceManifest { runner.instance }

    func run(_ record: inout InstanceRecord, driver: BackendDriver, manifest: BackendManifest) async -> InstanceOutcome {
        let clock = ContinuousClock()
        let started = clock.now
        func outcome(_ phase: InstancePhase, _ message: String, succeeded: Bool, reason: ConditionReason? = nil) -> InstanceOutcome {
            InstanceOutcome(instance: instance.name, action: .rollout, phase: phase, message: environment.secrets.redactor.redact(message),
                            succeeded: succeeded, elapsed: clock.now - started, reason: reason)
        }
        guard let oldClaim = runner.folder.claim(for: record), environment.host.liveness(of: oldClaim) == .running else {
            return outcome(record.phase, "the serving process is gone; the next pass starts the new revision", succeeded: false, reason: .stalePlan)
        }
        let revision = SpecFingerprint(spec: instance.spec, startupKind: .spawned)
        let launch: SurgeLaunch
        switch prepare(record, revision: revision, driver: driver) {
        case .success(let prepared): launch = prepared
        case .failure(let problem): return await failed(&record, revision: revision, problem.message, reason: problem.reason, outcome: outcome)
        }

        // 1. Intent, then spawn, then the pid: each durable before the next step.
        record.surge = SurgeServer(fingerprint: revision, spawnToken: launch.token, port: launch.port, argv: launch.command.argv,
                                   logPath: launch.logPath)
        record.message = "rolling out: new revision starting on port \(launch.port) beside pid \(oldClaim.identity.pid)"
        do { try await runner.persist(record) } catch {
            record.surge = nil
            return outcome(.failed, "\(error); the new revision was not started", succeeded: false, reason: .stateWriteFailed)
        }
        LogMarker.append("rolling out \(instance.name): \(launch.command.argv.joined(separator: " "))", to: launch.logPath, now: environment.now())
        let identity: ProcessIdentity
        do {
            identity = try environment.host.launch(LaunchRequest(
                executable: launch.command.argv[0], arguments: Array(launch.command.argv.dropFirst()), environment: launch.environment,
                workingDirectory: runner.layout.manifestDirectory, logPath: launch.logPath))
        } catch {
            record.surge = nil
            return await failed(&record, revision: revision, "\(error)", reason: .launchFailed, outcome: outcome)
        }
        let claim = ProcessClaim(identity: identity, token: launch.token)
        record.surge?.process = identity
        record.surge?.startedAt = environment.now()
        do { try await runner.persist(record) } catch {
            _ = await runner.stop(claim, settingsOf: record)
            record.surge = nil
            return outcome(.failed, "\(error); the new revision (pid \(identity.pid)) was stopped again", succeeded: false, reason: .stateWriteFailed)
        }
        runner.onEvent(.launched(instance: instance.name, pid: identity.pid, port: launch.port))

        // 2. Ready, or the old one keeps serving.
        let readiness = await ReadinessWaiter(runner: ProbeRunner(prober: environment.prober), host: environment.host)
            .wait(for: launch.probes.readiness, process: identity, logPath: launch.logPath, settings: runner.readinessSettings()) { reason in
                runner.onEvent(.waiting(instance: instance.name, reason: "new revision: \(reason)"))
            }
        guard readiness.isReady else {
            if Task.isCancelled { return outcome(record.phase, "rollout left to the next controller: it stopped", succeeded: false) }
            if case .exited = readiness {} else { _ = await runner.stop(claim, settingsOf: record) }
            record.surge = nil
            return await failed(&record, revision: revision, readiness.message, reason: .rolloutFailed, outcome: outcome)
        }

        // 3. Switch: one write names the new process as the instance's; the old one retires.
        let grace = record.stopGraceMilliseconds ?? instance.spec.stop.gracePeriod.milliseconds
        let old = RetiringServer(process: oldClaim.identity, spawnToken: oldClaim.token, port: record.port, logPath: record.logPath,
                                 stopSignal: record.stopSignal, stopGraceMilliseconds: record.stopGraceMilliseconds,
                                 retireAt: environment.now().addingTimeInterval(Double(grace) / 1000))
        record.retiring = (record.retiring ?? []) + [old]
        record.process = identity
        record.spawnToken = launch.token
        record.port = launch.port
        record.argv = launch.command.argv
        record.host = launch.command.host
        record.rootURL = String(launch.endpointTemplate.baseURL.dropLast(3))
        record.logPath = launch.logPath
        record.fingerprint = revision
        record.startedAt = record.surge?.startedAt
        record.readyAt = environment.now()
        record.health = .healthy
        record.endpoint = EndpointBuilder.descriptor(instance: instance, manifest: manifest, template: launch.endpointTemplate,
                                                     runtimeRef: "pid:\(identity.pid)")
        record.surge = nil
        record.rolloutFailure = nil
        let message = "rolled out: pid \(identity.pid) on port \(launch.port) serves; old pid \(oldClaim.identity.pid) drains for \(DurationText.short(Double(grace) / 1000))"
        Conditions.set(&record.conditions, type: "Healthy", status: .true, reason: .healthy, message: "ready",
                       generation: revision.hash, now: environment.now())
        Conditions.set(&record.conditions, type: "Stalled", status: .false, reason: .rolledOut, message: message,
                       generation: revision.hash, now: environment.now())
        runner.set(&record, phase: .ready, reason: .rolledOut, message: message)
        do { try await runner.persist(record) } catch {
            return outcome(.failed, "\(error)", succeeded: false, reason: .stateWriteFailed)
        }
        _ = try? runner.reconciler.writeConsumerStatuses()
        runner.onEvent(.waiting(instance: instance.name, reason: message))

        // 4. Drain, then stop the old revision; its log becomes the previous log.
        let retired = await retire(&record, old: old)
        return outcome(.ready, "rolled out: pid \(identity.pid) on port \(launch.port); old pid \(oldClaim.identity.pid) \(retired)", succeeded: true,
                       reason: .rolledOut)
    }

    /// Waits for the old revision's retirement time, stops it, and makes the new revision's log
    /// the instance's log again (the old one kept as `NAME.log.1`).
    private func retire(_ record: inout InstanceRecord, old: RetiringServer) async -> String {
        let wait = old.retireAt.timeIntervalSince(environment.now())
        if wait > 0 { try? await Task.sleep(for: .milliseconds(Int64(wait * 1000))) }
        // The controller is stopping: the old revision stays recorded as retiring; the next pass stops it.
        if Task.isCancelled { return "left retiring: the controller stopped" }
        let stopped: String
        if let claim = runner.folder.claim(identity: old.process, token: old.spawnToken) {
            stopped = "\(await environment.host.stop(claim, signal: SignalNumbers.number(old.stopSignal), gracePeriod: .milliseconds(old.stopGraceMilliseconds ?? 10_000)))"
        } else {
            stopped = "\(StopOutcome.refusedNotProven)"
        }
        record.retiring = (record.retiring ?? []).filter { $0.process != old.process }
        if record.retiring?.isEmpty == true { record.retiring = nil }
        let mainLog = runner.layout.logPath(instance.name)
        if record.logPath != mainLog, let current = record.logPath, RolloutLogs.promote(current, to: mainLog) {
            record.logPath = mainLog
        }
        try? await runner.persist(record)
        return stopped
    }

    private func failed(_ record: inout InstanceRecord, revision: SpecFingerprint, _ why: String, reason: ConditionReason,
                        outcome: (InstancePhase, String, Bool, ConditionReason?) -> InstanceOutcome) async -> InstanceOutcome {
        let attempts = (record.rolloutFailure?.revision == revision.hash ? record.rolloutFailure?.attempts ?? 0 : 0) + 1
        let servingPid = record.process.map { " (pid \($0.pid))" } ?? ""
        let message = "rollout failed (attempt \(attempts)): \(why); the old revision\(servingPid) keeps serving"
        record.rolloutFailure = RolloutFailure(revision: revision.hash, attempts: attempts, at: environment.now(), message: why)
        Conditions.set(&record.conditions, type: "Stalled", status: .true, reason: .rolloutFailed, message: message,
                       generation: revision.hash, now: environment.now())
        record.message = message
        do { try await runner.persist(record) } catch {
            return outcome(record.phase, "\(message); also \(error)", false, .stateWriteFailed)
        }
        return outcome(record.phase, message, false, .rolloutFailed)
    }

    struct SurgeLaunch {
        var port: Int
        var command: LaunchCommand
        var environment: [String: String]
        var token: String
        var logPath: String
        var probes: ProbeSet
        var endpointTemplate: EndpointTemplate
    }

    struct Problem: Error {
        var reason: ConditionReason
        var message: String
    }

    /// A fresh automatic port (never the serving one), the backend's launch plan on it, the
    /// child's environment with secrets and a new spawn token.
    private func prepare(_ record: InstanceRecord, revision: SpecFingerprint, driver: BackendDriver) -> Result<SurgeLaunch, Problem> {
        let port: Int
        do {
            port = try runner.ports.reserve(for: instance.name, server: instance.spec.server, kept: nil,
                                            excluding: Set([record.port].compactMap { $0 }))
        } catch {
            return .failure(Problem(reason: .portUnavailable, message: "\(error)"))
        }
        let plan: LaunchPlan
        do {
            plan = try driver.launchPlan(for: instance, context: runner.launchContext(port: port))
        } catch {
            return .failure(Problem(reason: .invalidSpec, message: "\(error)"))
        }
        let command = runner.payload.launch.map { LaunchCommand($0, port: port) } ?? LaunchCommand(plan)
        var child = ProcessInfo.processInfo.environment.merging(command.environment) { $1 }
        do {
            for (name, reference) in command.secretEnvironment { child[name] = try environment.secrets.value(of: reference) }
            if let key = instance.spec.server.apiKey { _ = try environment.secrets.value(of: key) }
        } catch {
            return .failure(Problem(reason: .secretUnavailable, message: "\(error)"))
        }
        let token = runner.folder.newSpawnToken()
        child[StateFolder.tokenVariable] = token
        child[OwnershipRecovery.instanceVariable] = instance.name
        return .success(SurgeLaunch(port: port, command: command, environment: child, token: token,
                                    logPath: RolloutLogs.surgePath(runner.layout.logPath(instance.name), revision: revision),
                                    probes: plan.probes, endpointTemplate: plan.endpoint))
    }
}

/// Log files of rollouts: the new revision writes its own file while the old one still writes the
/// instance's; once the old one is stopped, the new file takes the instance's name.
enum RolloutLogs {
    static func surgePath(_ mainLog: String, revision: SpecFingerprint) -> String {
        mainLog.hasSuffix(".log") ? String(mainLog.dropLast(4)) + ".\(revision.hash.prefix(8)).log" : mainLog + ".next"
    }

    /// `current` becomes `main`; the old `main` is kept as `main.1`. The server keeps writing to
    /// the renamed file: its descriptor follows the file, not the name.
    static func promote(_ current: String, to main: String) -> Bool {
        _ = rename(main, main + ".1")
        return rename(current, main) == 0
    }
}
