/// Why a consumer is or is not ready: the `reason` of its status file. Only `Ready` comes with an
/// endpoint; every other reason withdraws it, so a descriptor never points at a server that is
/// not serving.
public enum ConsumerReason: String, Codable, Sendable, CaseIterable {
    /// Its instance is ready and compatible: the endpoint is safe to use.
    case ready = "Ready"
    /// Its instance is not serving yet: not started, starting, pending (an attached server not
    /// reachable yet) or stopped (by `inferctl down`, or it exited cleanly and is not restarted).
    case waitingForInstance = "WaitingForInstance"
    /// Its instance failed (a start that did not succeed, a crash loop, a dead process) or no
    /// longer answers its health checks; its restart policy decides what comes next.
    case instanceUnhealthy = "InstanceUnhealthy"
    /// Its instance cannot serve it (every missing requirement is in `compatibility`): only an
    /// edit of a manifest changes that.
    case incompatible = "Incompatible"
    /// Its instance is activated on demand and is not running.
    case idle = "Idle"
    /// No declared instance is the one it names, or matches its selector.
    case noMatchingInstance = "NoMatchingInstance"

    /// The reason for a consumer bound to an instance. `phase` is nil when the instance has never
    /// been started (no record); `health` is what its last probe said.
    ///
    /// Incompatibility comes first: it is what waiting cannot fix. A ready server whose health is
    /// `degraded` still answers (an Ollama model not loaded yet, a busy llama-server): only
    /// `unavailable` takes the endpoint away.
    public init(compatible: Bool, phase: InstancePhase?, health: HealthStatus, activation: ActivationMode) {
        guard compatible else {
            self = .incompatible
            return
        }
        switch phase {
        case .ready: self = health == .unavailable ? .instanceUnhealthy : .ready
        case .failed: self = .instanceUnhealthy
        case .starting: self = .waitingForInstance
        case nil, .pending, .stopped: self = activation == .onDemand ? .idle : .waitingForInstance
        }
    }
}
