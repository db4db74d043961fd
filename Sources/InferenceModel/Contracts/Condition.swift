/// A Kubernetes-style condition on an instance's status.
public struct Condition: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        case `true` = "True"
        case `false` = "False"
        case unknown = "Unknown"
    }

    public var type: String
    public var status: Status
    /// CamelCase machine-readable cause, e.g. `ExitedBeforeReady`.
    public var reason: String
    public var message: String
    /// RFC 3339 time of the last change of `status`.
    public var lastTransitionTime: String
    /// The spec hash this condition was computed for.
    public var observedGeneration: String

    public init(type: String, status: Status, reason: String, message: String, lastTransitionTime: String, observedGeneration: String) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.lastTransitionTime = lastTransitionTime
        self.observedGeneration = observedGeneration
    }
}

/// Lifecycle phases an instance status reports.
public enum InstancePhase: String, Codable, Sendable, CaseIterable {
    case pending = "Pending"
    case starting = "Starting"
    case ready = "Ready"
    case failed = "Failed"
    case stopped = "Stopped"
}

/// What health probes say about a running instance.
public enum HealthStatus: String, Codable, Sendable, CaseIterable {
    case healthy
    case degraded
    case unavailable
    case unknown
}
