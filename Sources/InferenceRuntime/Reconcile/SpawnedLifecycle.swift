import Foundation
import InferenceBackends
import InferenceModel

/// spawn, restart, replace and adopt for servers we run.
struct SpawnedLifecycle {
    let runner: InstanceRunner
    var environment: ReconcileEnvironment { runner.environment }
    var instance: InstanceManifest { runner.instance }

    func run(_ record: inout InstanceRecord, existing: InstanceRecord?, observed: ObservedInstance?,
             driver: BackendDriver, manifest: BackendManifest) async -> (InstancePhase, String) {
        let kind = runner.action.kind
        if kind == .adopt, let identity = record.process {
            return await waitForReadiness(&record, identity: identity, probes: nil, driver: driver, manifest: manifest)
        }
        // Replace: the old process goes first (it may hold the port the new one needs).
        if kind == .replace, let old = existing?.process, observed?.process == .running {
            let outcome = await environment.terminator.stop(old, signal: SignalNumbers.number(existing?.stopSignal),
                                                            gracePeriod: .milliseconds(existing?.stopGraceMilliseconds ?? 10_000))
            runner.onEvent(.waiting(instance: instance.name, reason: "stopped old pid \(old.pid): \(outcome)"))
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
        record.readyAt = nil

        let port: Int
        do {
            port = try PortResolver.port(for: instance.spec.server, kept: existing?.port)
        } catch {
            return fail(&record, reason: "PortUnavailable", "\(error)")
        }
        let plan: LaunchPlan
        do {
            plan = try driver.launchPlan(for: instance, context: runner.launchContext(port: port))
        } catch {
            return fail(&record, reason: "InvalidSpec", "\(error)")
        }
        var childEnvironment = ProcessInfo.processInfo.environment.merging(plan.environment) { $1 }
        do {
            for (name, reference) in plan.secretEnvironment { childEnvironment[name] = try environment.secrets.value(of: reference) }
            // A key the server reads from its file is also the header clients send: check it like one.
            if let key = instance.spec.server.apiKey { _ = try environment.secrets.value(of: key) }
        } catch {
            return fail(&record, reason: "SecretUnavailable", "\(error)")
        }
        let logPath = runner.layout.logPath(instance.name)
        _ = try? LogFiles.rotateIfNeeded(path: logPath, maxBytes: environment.logLimitBytes, keep: environment.logKeep)
        LogMarker.append("starting \(instance.name): \(plan.argv.joined(separator: " "))", to: logPath, now: environment.now())

        let identity: ProcessIdentity
        do {
            identity = try environment.launcher.launch(LaunchRequest(
                executable: plan.executable, arguments: plan.arguments, environment: childEnvironment,
                workingDirectory: runner.layout.manifestDirectory, logPath: logPath))
        } catch {
            return fail(&record, reason: "LaunchFailed", "\(error)")
        }
        record.process = identity
        record.argv = plan.argv
        record.host = plan.host
        record.port = port
        record.rootURL = String(plan.endpoint.baseURL.dropLast(3))
        record.logPath = logPath
        record.startedAt = environment.now()
        record.health = .unknown
        record.endpoint = EndpointBuilder.descriptor(instance: instance, manifest: manifest, template: plan.endpoint,
                                                     runtimeRef: "pid:\(identity.pid)")
        runner.set(&record, phase: .starting, reason: "Starting", message: "started pid \(identity.pid) on port \(port)")
        // Recorded before waiting: if we die now, the next pass adopts this process instead of starting another.
        runner.persist(record)
        runner.onEvent(.launched(instance: instance.name, pid: identity.pid, port: port))
        return await waitForReadiness(&record, identity: identity, probes: plan.probes, driver: driver, manifest: manifest)
    }

    func waitForReadiness(_ record: inout InstanceRecord, identity: ProcessIdentity, probes known: ProbeSet?,
                          driver: BackendDriver, manifest: BackendManifest) async -> (InstancePhase, String) {
        guard runner.options.wait else { return (.starting, record.message ?? "starting") }
        guard let probes = known ?? record.port.flatMap({ try? driver.launchPlan(for: instance, context: runner.launchContext(port: $0)).probes })
        else { return fail(&record, reason: "InvalidSpec", "cannot build the readiness probe") }
        let name = instance.name
        let onEvent = runner.onEvent
        let waiter = ReadinessWaiter(runner: ProbeRunner(prober: environment.prober), exitWatcher: environment.exitWatcher,
                                     processTable: environment.processTable)
        let outcome = await waiter.wait(for: probes.readiness, process: identity, logPath: record.logPath,
                                        settings: runner.readinessSettings()) { reason in
            onEvent(.waiting(instance: name, reason: reason))
        }
        switch outcome {
        case .ready:
            record.readyAt = environment.now()
            record.health = .healthy
            runner.set(&record, phase: .ready, reason: "Ready", message: outcome.message)
            runner.persist(record)
            return (.ready, outcome.message)
        case .exited(let status, _):
            record.lastExit = ExitRecord(status: status.terminationStatus, at: environment.now())
            return fail(&record, reason: outcome.conditionReason, outcome.message)
        case .fatal, .timedOut, .stalled:
            // A server that will not become ready is stopped, not left holding memory and a port.
            _ = await environment.terminator.stop(identity, signal: SignalNumbers.number(record.stopSignal),
                                                  gracePeriod: .milliseconds(record.stopGraceMilliseconds ?? 10_000))
            record.lastExit = ExitRecord(status: environment.exitWatcher.exitStatusIfExited(identity)?.terminationStatus ?? .unknown,
                                         at: environment.now())
            return fail(&record, reason: outcome.conditionReason, outcome.message)
        }
    }

    func fail(_ record: inout InstanceRecord, reason: String, _ message: String) -> (InstancePhase, String) {
        record.health = .unavailable
        runner.set(&record, phase: .failed, reason: reason, message: message)
        runner.persist(record)
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
