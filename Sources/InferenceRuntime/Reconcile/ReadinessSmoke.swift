import InferenceBackends
import InferenceModel

/// `readiness.smoke`: once the probe says ready, a real completion through the endpoint about
/// to be published, as a consumer would send it. Ready only when it goes through; what it
/// measured is published in that endpoint's metadata.
struct ReadinessSmoke {
    let runner: InstanceRunner

    /// `outcome` itself when it is not ready or no smoke is asked for; else `.verified` (the
    /// figures put in `record.endpoint`) or `.smokeFailed`.
    func verify(_ record: inout InstanceRecord, after outcome: ReadinessOutcome, driver: BackendDriver) async -> ReadinessOutcome {
        guard case .ready(let after) = outcome, let spec = runner.instance.spec.readiness.smoke else { return outcome }
        guard let endpoint = record.endpoint else { return .smokeFailed("there is no endpoint to send it to") }
        let request: SmokeRequest
        do {
            request = try SmokeRequest(spec: spec, endpoint: endpoint, defaultPrompt: driver.defaultSmokePrompt,
                                       secrets: runner.environment.secrets)
        } catch {
            return .smokeFailed("\(error)")
        }
        runner.onEvent(.waiting(instance: runner.instance.name, reason: "probe ready; sending a smoke completion to \(request.url)"))
        switch await SmokeCompletion(client: runner.environment.completions).run(request) {
        case .passed(let figures):
            record.endpoint?.publish(figures)
            return .verified(after: after, figures)
        case .failed(let why):
            return .smokeFailed(why)
        }
    }
}

extension EndpointDescriptor {
    /// The measured figures in `metadata`, replacing any from an earlier run.
    mutating func publish(_ figures: SmokeFigures) {
        metadata[SmokeFigures.timeToFirstTokenKey] = nil
        metadata[SmokeFigures.tokensPerSecondKey] = nil
        metadata.merge(figures.metadata) { $1 }
    }
}
