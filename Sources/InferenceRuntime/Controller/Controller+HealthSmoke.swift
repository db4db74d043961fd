import Foundation
import InferenceBackends
import InferenceModel

/// `health.smoke` under watch: the readiness smoke completion repeated every `interval`, besides
/// the health probe, so a server whose probe answers but whose generation hangs is found.
extension Controller {
    /// Runs the instance's health smoke when one is due (bounded by its timeout) and returns the
    /// latest verdict for this run of the server; nil when it has none (not ready, no smoke).
    func healthSmoke(_ key: String, record: InstanceRecord?, instance: InstanceManifest?,
                     registry: BackendRegistry) async -> SmokeVerdict? {
        guard let instance, let interval = instance.spec.health.smoke?.interval.duration,
              let record, record.phase == .ready, let readyAt = record.readyAt, let endpoint = record.endpoint else {
            setHealthSmokeState(key, nil)
            return nil
        }
        var state = healthSmokeState(of: key).flatMap { $0.readySince == readyAt ? $0 : nil } ?? HealthSmokeState(readySince: readyAt)
        defer { setHealthSmokeState(key, state) }
        guard state.isDue(at: environment.now(), interval: interval) else { return state.latest }
        // A server of ours that has exited is this pass's to restart: a smoke would only say it is gone.
        if record.startupKind == .spawned, let process = record.process, environment.host.liveness(of: process) != .running {
            return state.latest
        }
        let verdict: SmokeVerdict
        do {
            let request = try SmokeRequest(spec: instance.spec.readiness.smoke, endpoint: endpoint,
                                           defaultPrompt: registry.driver(named: instance.spec.backend)?.defaultSmokePrompt
                                               ?? SmokeRequestBody.standardPrompt,
                                           secrets: environment.secrets)
            verdict = await SmokeCompletion(client: environment.completions).run(request)
        } catch {
            verdict = .failed("\(error)")
        }
        // Cut short (`down`, the controller stopping): that says nothing about the server.
        if Task.isCancelled { return state.latest }
        state.record(verdict, at: environment.now())
        if case .failed(let why) = verdict {
            let threshold = instance.spec.health.failureThreshold
            event(.warning, .smokeTestFailed, key, "smoke completion failed (\(state.consecutiveFailures) of \(threshold) in a row): \(why)")
        }
        return verdict
    }

    /// An attached server is not ours to restart: at `failureThreshold` failed smokes in a row it
    /// is withdrawn from its consumers (`Pending`, `HealthCheckFailed`) and attached again by the
    /// next pass, which verifies it once more.
    func withdrawIfGenerationFails(_ record: inout InstanceRecord, instance: InstanceManifest, reconciler: Reconciler) async {
        guard let state = healthSmokeState(of: record.name), state.consecutiveFailures >= instance.spec.health.failureThreshold,
              case .failed(let why)? = state.latest else { return }
        setHealthSmokeState(record.name, nil)
        let summary = "generation (health.smoke) failed \(state.consecutiveFailures) times in a row (\(why)); withdrawn until it passes again"
        log("\(record.name): \(summary)")
        event(.warning, .healthCheckFailed, record.name, summary)
        record.health = .degraded
        record.readyAt = nil
        record.phase = .pending
        record.message = summary
        Conditions.apply(phase: .pending, reason: .healthCheckFailed, message: summary, to: &record, now: environment.now())
        persist(record, reconciler: reconciler)
        await queue.add(record.name)
    }

    /// When a ready instance's key comes back: its health interval, or sooner when its next
    /// health smoke is due first.
    func nextHealthCheck(_ key: String, instance: InstanceManifest) -> Duration {
        let probe = nextSlot(of: key, every: instance.spec.health.interval.duration)
        guard let interval = instance.spec.health.smoke?.interval.duration else { return probe }
        let smoke = healthSmokeState(of: key)?.untilDue(at: environment.now(), interval: interval) ?? interval
        return max(min(probe, smoke), .milliseconds(1))
    }
}
