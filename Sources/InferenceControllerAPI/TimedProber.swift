import InferenceBackends
import InferenceRuntime

/// Wraps the controller's prober to time every readiness and health probe for the metrics.
public struct TimedProber: HTTPProber {
    public let base: any HTTPProber
    public let metrics: ControllerMetrics

    public init(_ base: any HTTPProber, metrics: ControllerMetrics) {
        self.base = base
        self.metrics = metrics
    }

    public func send(_ request: ProbeRequest, headers: [String: String], timeout: Duration) async -> ProbeResponse {
        let started = ContinuousClock.now
        let response = await base.send(request, headers: headers, timeout: timeout)
        let result: ControllerMetrics.ProbeResult
        switch response {
        case .answered: result = .answered
        case .unreachable: result = .unreachable
        }
        metrics.probed(result, duration: ContinuousClock.now - started)
        return response
    }
}
