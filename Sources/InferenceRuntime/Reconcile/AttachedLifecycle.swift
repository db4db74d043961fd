import Foundation
import InferenceBackends
import InferenceModel

/// attach for servers we do not own: probe until ready, publish, never signal.
struct AttachedLifecycle {
    let runner: InstanceRunner
    var environment: ReconcileEnvironment { runner.environment }
    var instance: InstanceManifest { runner.instance }

    func attach(_ record: inout InstanceRecord, driver: BackendDriver, manifest: BackendManifest) async -> (InstancePhase, String) {
        record.fingerprint = SpecFingerprint(spec: instance.spec, startupKind: .attachExistingService)
        record.process = nil
        record.argv = []
        record.logPath = nil
        let plan: AttachPlan
        do {
            plan = try driver.attachPlan(for: instance)
        } catch {
            return await finish(&record, phase: .failed, reason: .invalidSpec, "\(error)")
        }
        let headers: [String: String]
        do {
            headers = try environment.secrets.headers(plan.secretHeaders)
        } catch {
            return await finish(&record, phase: .failed, reason: .secretUnavailable, "\(error)")
        }
        record.rootURL = plan.rootURL
        record.port = URLComponents(string: plan.rootURL)?.port
        record.endpoint = EndpointBuilder.descriptor(instance: instance, manifest: manifest, template: plan.endpoint,
                                                     runtimeRef: plan.rootURL)
        if record.phase != .ready {
            runner.set(&record, phase: .pending, reason: .attaching, message: "probing \(plan.rootURL)")
            do { try await runner.persist(record) } catch { return (.failed, "\(error)") }
        }
        let probeRunner = ProbeRunner(prober: environment.prober, headers: headers)
        var settings = runner.readinessSettings()
        if !runner.options.wait { settings.timeout = .zero }
        let name = instance.name
        let onEvent = runner.onEvent
        let outcome = await ReadinessWaiter(runner: probeRunner, host: environment.host)
            .wait(for: plan.probes.readiness, process: nil, logPath: nil, settings: settings) { reason in
                onEvent(.waiting(instance: name, reason: reason))
            }
        switch outcome {
        case .ready:
            await discover(&record, plan: plan, runner: probeRunner, manifest: manifest)
            if instance.spec.ollama.preload, let request = plan.probes.readiness.preloadRequest(keepAlive: instance.spec.ollama.keepAlive) {
                onEvent(.waiting(instance: name, reason: "preloading model"))
                // Loading a model can take long; the readiness timeout bounds it.
                let response = await environment.prober.send(request, headers: headers, timeout: settings.timeout)
                if case .answered(200..<300, _) = response {} else {
                    onEvent(.waiting(instance: name, reason: "preload did not succeed: \(response)"))
                }
            }
            // Attached servers are verified even under --no-wait: the smoke is bounded by its timeout.
            let verified = await ReadinessSmoke(runner: runner).verify(&record, after: outcome, driver: driver)
            if case .smokeFailed = verified {
                // Not handed to consumers; the next pass (or watch) tries again.
                record.health = .degraded
                return await finish(&record, phase: .pending, reason: verified.conditionReason, verified.message)
            }
            let (health, why) = await probeRunner.health(plan.probes.health)
            record.health = health
            record.readyAt = record.readyAt ?? environment.now()
            Conditions.set(&record.conditions, type: "Healthy", status: health == .healthy ? .true : .false,
                           reason: ConditionReason(health: health), message: why, generation: record.fingerprint.hash,
                           now: environment.now())
            let measured = if case .verified(_, let figures) = verified { "; smoke completion: \(figures.summary)" } else { "" }
            return await finish(&record, phase: .ready, reason: .ready, "attached to \(plan.rootURL); \(why)\(measured)")
        case .fatal(let why):
            return await finish(&record, phase: .failed, reason: outcome.conditionReason, why)
        case .timedOut(_, let why), .stalled(_, let why):
            // Still pending: the next pass (or watch) tries again.
            record.health = why.contains("refused") || why.contains("timed out") ? .unavailable : .degraded
            return await finish(&record, phase: .pending, reason: .notReachable, why)
        case .exited, .verified, .smokeFailed: // the waiter reports neither of the last two
            return await finish(&record, phase: .pending, reason: .notReachable, outcome.message)
        }
    }

    /// What the server says about itself (Ollama: version, capabilities) goes into the record and endpoint.
    func discover(_ record: inout InstanceRecord, plan: AttachPlan, runner: ProbeRunner, manifest: BackendManifest) async {
        let requests = plan.probes.readiness.discoveryRequests
        guard !requests.isEmpty else { return }
        var responses: [ProbeResponse] = []
        for request in requests {
            responses.append(await runner.prober.send(request, headers: runner.headers, timeout: runner.requestTimeout))
        }
        let facts = plan.probes.readiness.facts(from: responses)
        if let capabilities = facts.capabilities { record.discoveredCapabilities = capabilities }
        var capabilities = manifest.capabilities
        if let learned = record.discoveredCapabilities { capabilities.merge(learned) { $1 } }
        record.endpoint = EndpointBuilder.descriptor(instance: instance, manifest: manifest, template: plan.endpoint,
                                                     capabilities: capabilities, runtimeRef: plan.rootURL,
                                                     extraMetadata: facts.metadata)
    }

    func finish(_ record: inout InstanceRecord, phase: InstancePhase, reason: ConditionReason, _ message: String) async -> (InstancePhase, String) {
        if phase != .ready { record.readyAt = nil }
        runner.set(&record, phase: phase, reason: reason, message: message)
        do { try await runner.persist(record) } catch { return (.failed, "\(message); also \(error)") }
        return (phase, message)
    }
}
