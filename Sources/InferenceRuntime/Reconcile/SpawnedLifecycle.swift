import Foundation
import InferenceBackends
import InferenceModel

/// spawn, restart, replace and adopt for servers we run.
///
/// The order of a start is what makes a crash at any instant harmless: the intent record (with a
/// fresh spawn token) is durable before the spawn, the child carries the token in its environment,
/// and the record names the process right after. Whatever dies in between, recovery finds the
/// process by its token.
struct SpawnedLifecycle {
    let runner: InstanceRunner
    var environment: ReconcileEnvironment { runner.environment }
    var instance: InstanceManifest { runner.instance }

    func run(_ record: inout InstanceRecord, existing: InstanceRecord?, observed: ObservedInstance?,
             driver: BackendDriver, manifest: BackendManifest) async -> (InstancePhase, String) {
        let kind = runner.action.kind
        if kind == .adopt, let claim = runner.folder.claim(for: record) {
            return await settle(&record, claim: claim, probes: nil, driver: driver, manifest: manifest)
        }
        // Replace: the old process goes first (it may hold the port the new one needs).
        if kind == .replace, let existing, let (old, outcome) = await runner.stopPlanned(existing) {
            runner.onEvent(.waiting(instance: instance.name, reason: "stopped old pid \(old.identity.pid): \(outcome)"))
        }
        if kind == .restart {
            record.restarts += 1
            if let exit = observed?.lastExit { record.lastExit = exit }
            if runner.options.respectBackoff, let notBefore = runner.action.notBefore {
                let delay = notBefore.timeIntervalSince(environment.now())
                if delay > 0 {
                    runner.onEvent(.waiting(instance: instance.name, reason: "restart backoff: waiting \(String(format: "%.1f", delay))s"))
                    try? await Task.sleep(for: .milliseconds(Int64(delay * 1000)))
                }
            }
        }
        record.fingerprint = SpecFingerprint(spec: instance.spec, startupKind: .spawned)
        record.process = nil
        record.spawnToken = nil
        record.readyAt = nil

        // An automatic port taken by someone else between our check and the server's bind is
        // retried once on a fresh one; a fixed port fails with the holder named.
        var refused: Set<Int> = []
        while true {
            let started = await start(&record, kept: keptPort(existing), excluding: refused, driver: driver, manifest: manifest)
            guard case .launched(let claim, let probes) = started else {
                if case .failed(let phase, let message) = started { return (phase, message) }
                return (.failed, "not started")
            }
            let outcome = await awaitReadiness(record, claim: claim, probes: probes)
            if case .exited(_, let tail) = outcome, instance.spec.server.port == .auto, refused.isEmpty,
               let port = record.port, Self.lostPortRace(tail) {
                refused.insert(port)
                runner.onEvent(.waiting(instance: instance.name, reason: "port \(port) was taken meanwhile; retrying on a fresh port"))
                continue
            }
            return await conclude(&record, claim: claim, outcome: await verified(&record, outcome, driver: driver))
        }
    }

    enum StartResult {
        case launched(ProcessClaim, ProbeSet)
        case failed(InstancePhase, String)
    }

    /// The port to keep for `port: auto`: the one the plan says (it was the record's when planned).
    private func keptPort(_ existing: InstanceRecord?) -> Int? {
        guard let launch = runner.payload.launch else { return existing?.port }
        return launch.portSource == .kept ? launch.port : nil
    }

    /// Port, launch plan, secrets; then intent record, spawn, completed record.
    ///
    /// What is launched is the plan's command line with the port put in place of `{port}`. The
    /// backend is asked again only for what depends on the port and is not in the plan: the
    /// readiness probe and the endpoint (`InstanceRunner.planMismatch` has checked,
    /// before anything was done, that its command line is the plan's).
    private func start(_ record: inout InstanceRecord, kept: Int?, excluding: Set<Int>,
                       driver: BackendDriver, manifest: BackendManifest) async -> StartResult {
        let port: Int
        do {
            port = try runner.ports.reserve(for: instance.name, server: instance.spec.server, kept: kept, excluding: excluding)
        } catch {
            return await failed(&record, reason: .portUnavailable, "\(error)")
        }
        let plan: LaunchPlan
        do {
            plan = try driver.launchPlan(for: instance, context: runner.launchContext(port: port))
        } catch {
            return await failed(&record, reason: .invalidSpec, "\(error)")
        }
        let command = runner.payload.launch.map { LaunchCommand($0, port: port) } ?? LaunchCommand(plan)
        var childEnvironment = ProcessInfo.processInfo.environment.merging(command.environment) { $1 }
        do {
            for (name, reference) in command.secretEnvironment { childEnvironment[name] = try environment.secrets.value(of: reference) }
            // A key the server reads from its file is also the header clients send: check it like one.
            if let key = instance.spec.server.apiKey { _ = try environment.secrets.value(of: key) }
        } catch {
            return await failed(&record, reason: .secretUnavailable, "\(error)")
        }
        let token = runner.folder.newSpawnToken()
        childEnvironment[StateFolder.tokenVariable] = token
        childEnvironment[OwnershipRecovery.instanceVariable] = instance.name
        let logPath = runner.layout.logPath(instance.name)

        // 1. Intent: durable before anything runs.
        record.spawnToken = token
        record.process = nil
        record.argv = command.argv
        record.host = command.host
        record.port = port
        record.rootURL = String(plan.endpoint.baseURL.dropLast(3))
        record.logPath = logPath
        record.endpoint = nil
        record.health = .unknown
        runner.set(&record, phase: .starting, reason: .starting, message: "starting on port \(port)")
        do {
            try await runner.persist(record)
        } catch {
            record.spawnToken = nil
            return await failed(&record, reason: .stateWriteFailed, "\(error); the server was not started")
        }
        await FaultInjection.pauseInSpawnWindow()

        // 2. Spawn, the token in the child's environment.
        let (limit, keep) = (environment.logLimitBytes, environment.logKeep)
        // A rotation copies up to the size limit: off the cooperative pool.
        _ = await BlockingIO.run { try? LogFiles.rotateIfNeeded(path: logPath, maxBytes: limit, keep: keep) }
        LogMarker.append("starting \(instance.name): \(command.argv.joined(separator: " "))", to: logPath, now: environment.now())
        let identity: ProcessIdentity
        do {
            identity = try environment.host.launch(LaunchRequest(
                executable: command.argv[0], arguments: Array(command.argv.dropFirst()), environment: childEnvironment,
                workingDirectory: runner.layout.manifestDirectory, logPath: logPath))
        } catch {
            record.spawnToken = nil
            return await failed(&record, reason: .launchFailed, "\(error)")
        }
        let claim = ProcessClaim(identity: identity, token: token)
        await FaultInjection.pauseInSpawnWindow()

        // 3. The record names the process.
        record.process = identity
        record.startedAt = environment.now()
        record.endpoint = EndpointBuilder.descriptor(instance: instance, manifest: manifest, template: plan.endpoint,
                                                     runtimeRef: "pid:\(identity.pid)")
        runner.set(&record, phase: .starting, reason: .starting, message: "started pid \(identity.pid) on port \(port)")
        do {
            try await runner.persist(record)
        } catch {
            // Not durable, so not started: a server no record names must not keep running.
            let outcome = await runner.stop(claim, settingsOf: record)
            record.process = nil
            record.spawnToken = nil
            return await failed(&record, reason: .stateWriteFailed, "\(error); the server (pid \(identity.pid)) was stopped again: \(outcome)")
        }
        runner.onEvent(.launched(instance: instance.name, pid: identity.pid, port: port))
        return .launched(claim, plan.probes)
    }

    private func failed(_ record: inout InstanceRecord, reason: ConditionReason, _ message: String) async -> StartResult {
        let (phase, text) = await fail(&record, reason: reason, message)
        return .failed(phase, text)
    }

    /// Waits for an adopted (or just started) process, then records the result.
    func settle(_ record: inout InstanceRecord, claim: ProcessClaim, probes known: ProbeSet?,
                driver: BackendDriver, manifest: BackendManifest) async -> (InstancePhase, String) {
        guard runner.options.wait else { return (.starting, record.message ?? "starting") }
        guard let probes = known ?? record.port.flatMap({ try? driver.launchPlan(for: instance, context: runner.launchContext(port: $0)).probes })
        else { return await fail(&record, reason: .invalidSpec, "cannot build the readiness probe") }
        let outcome = await awaitReadiness(record, claim: claim, probes: probes)
        return await conclude(&record, claim: claim, outcome: await verified(&record, outcome, driver: driver))
    }

    /// A server the probe calls ready, put through its smoke completion when it has one.
    private func verified(_ record: inout InstanceRecord, _ outcome: ReadinessOutcome, driver: BackendDriver) async -> ReadinessOutcome {
        guard runner.options.wait else { return outcome } // nothing was waited for: not ready yet
        return await ReadinessSmoke(runner: runner).verify(&record, after: outcome, driver: driver)
    }

    private func awaitReadiness(_ record: InstanceRecord, claim: ProcessClaim, probes: ProbeSet) async -> ReadinessOutcome {
        guard runner.options.wait else { return .ready(after: .zero) }
        let name = instance.name
        let onEvent = runner.onEvent
        let waiter = ReadinessWaiter(runner: ProbeRunner(prober: environment.prober), host: environment.host)
        return await waiter.wait(for: probes.readiness, process: claim.identity, logPath: record.logPath,
                                 settings: runner.readinessSettings()) { reason in
            onEvent(.waiting(instance: name, reason: reason))
        }
    }

    private func conclude(_ record: inout InstanceRecord, claim: ProcessClaim, outcome: ReadinessOutcome) async -> (InstancePhase, String) {
        guard runner.options.wait else { return (.starting, record.message ?? "starting") }
        // The controller is stopping (watch got SIGTERM): a server still starting is left to start;
        // its record names it, so the next controller adopts it.
        if Task.isCancelled && !outcome.isReady { return (.starting, "left starting: the controller stopped") }
        switch outcome {
        case .ready, .verified:
            record.readyAt = environment.now()
            record.health = .healthy
            // The same Healthy condition a health check records, so the next no-op pass rewrites nothing.
            Conditions.set(&record.conditions, type: "Healthy", status: .true, reason: .healthy, message: "ready",
                           generation: record.fingerprint.hash, now: environment.now())
            runner.set(&record, phase: .ready, reason: .ready, message: outcome.message)
            do {
                try await runner.persist(record)
            } catch {
                // The server runs and its record names it (the next pass adopts it), but what we
                // say about it could not be written: that is not a success.
                return (.failed, "\(error)")
            }
            return (.ready, outcome.message)
        case .exited(let status, _):
            record.lastExit = ExitRecord(status: status.terminationStatus, at: environment.now(), failedCheck: outcome.conditionReason.rawValue)
            return await fail(&record, reason: outcome.conditionReason, outcome.message)
        case .fatal, .timedOut, .stalled, .smokeFailed:
            // A server that will not become ready is stopped, not left holding memory and a port;
            // and it failed, whatever exit code our signal gets from it. One that answers its
            // probe but does not generate is no better: its restart policy decides what next.
            _ = await runner.stop(claim, settingsOf: record)
            record.lastExit = ExitRecord(status: environment.host.exitStatusIfExited(claim.identity)?.terminationStatus ?? .unknown,
                                         at: environment.now(), failedCheck: outcome.conditionReason.rawValue)
            return await fail(&record, reason: outcome.conditionReason, outcome.message)
        }
    }

    /// Whether a server's last log lines say it could not bind its port.
    static func lostPortRace(_ logTail: [String]) -> Bool {
        logTail.contains { line in
            let lower = line.lowercased()
            return lower.contains("address already in use") || lower.contains("eaddrinuse") || lower.contains("couldn't bind")
        }
    }

    func fail(_ record: inout InstanceRecord, reason: ConditionReason, _ message: String) async -> (InstancePhase, String) {
        record.health = .unavailable
        runner.set(&record, phase: .failed, reason: reason, message: message)
        do {
            try await runner.persist(record)
        } catch {
            return (.failed, "\(message); also \(error)")
        }
        return (.failed, message)
    }
}

extension ExitStatus {
    var terminationStatus: TerminationStatus {
        switch self {
        case .exited(let code): .exited(code: code)
        case .signaled(let signal): .signaled(signal: signal)
        case .unknown: .unknown
        }
    }
}
