import InferenceBackends
import InferenceModel

/// A ready instance's health is its probe's verdict and its last `health.smoke` verdict together:
/// a probe that answers does not make a server that cannot generate healthy.
enum HealthSmokeFold {
    /// What the `Healthy` condition says: the probe's word, unless the probe passed and the last
    /// smoke failed (then `Degraded`, reason `SmokeTestFailed`). A passing smoke publishes its
    /// figures when they moved meaningfully (`SmokeFigures.differMeaningfully`).
    static func fold(probe: (HealthStatus, String), smoke: SmokeVerdict?, endpoint: inout EndpointDescriptor?)
        -> (health: HealthStatus, reason: ConditionReason, message: String) {
        let (health, why) = probe
        switch smoke {
        case .failed(let failure)? where health == .healthy:
            return (.degraded, .smokeTestFailed, "the probe answers, but the smoke completion failed (health.smoke): \(failure)")
        case .passed(let figures)?:
            if let published = endpoint?.metadata, figures.differMeaningfully(from: published) { endpoint?.publish(figures) }
        default:
            break
        }
        return (health, ConditionReason(health: health), why)
    }
}
