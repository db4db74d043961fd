import InferenceBackends
import InferenceModel

/// Drives a backend's pure probe steps through a prober.
public struct ProbeRunner: Sendable {
    public let prober: HTTPProber
    /// Header values to send (already resolved from secret references; never logged).
    public let headers: [String: String]
    public let requestTimeout: Duration

    public init(prober: HTTPProber, headers: [String: String] = [:], requestTimeout: Duration = .seconds(2)) {
        self.prober = prober
        self.headers = headers
        self.requestTimeout = requestTimeout
    }

    public func readiness(_ kind: ProbeSet.Kind) async -> ProbeVerdict {
        var responses: [ProbeResponse] = []
        while true {
            switch kind.readinessStep(after: responses) {
            case .conclude(let verdict): return verdict
            case .send(let request): responses.append(await prober.send(request, headers: headers, timeout: requestTimeout))
            }
        }
    }

    public func health(_ kind: ProbeSet.Kind) async -> (HealthStatus, String) {
        var responses: [ProbeResponse] = []
        while true {
            switch kind.healthStep(after: responses) {
            case .conclude(let status, let why): return (status, why)
            case .send(let request): responses.append(await prober.send(request, headers: headers, timeout: requestTimeout))
            }
        }
    }
}
