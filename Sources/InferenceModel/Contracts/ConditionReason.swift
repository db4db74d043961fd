/// Every reason a condition, an event or a metric can give, in one place. Each is retryable (the
/// next pass or the controller tries again by itself) or terminal (someone must change something:
/// the manifest, a secret, the disk).
public enum ConditionReason: String, Codable, Sendable, CaseIterable {
    // Progress
    case starting = "Starting"
    case attaching = "Attaching"
    case ready = "Ready"
    case stopped = "Stopped"
    /// An on-demand instance stopped because no lease needed it for its idleTimeout.
    case idle = "Idle"
    /// An idle on-demand member of a residency group, stopped to make room for another member.
    case evicted = "Evicted"
    /// A Surge rollout whose new revision failed: the old one keeps serving (`Stalled` condition).
    case rolloutFailed = "RolloutFailed"
    /// A Surge rollout finished: clients were switched to the new revision.
    case rolledOut = "RolledOut"
    /// The manifest went back to the serving revision: a stalled rollout is over.
    case rolloutAbandoned = "RolloutAbandoned"
    /// A start waiting for room in its residency group: what holds it is live leases or `Always` members.
    case insufficientCapacity = "InsufficientCapacity"
    case completed = "Completed"
    case interrupted = "Interrupted"
    // Health (the `Healthy` condition)
    case healthy = "Healthy"
    case degraded = "Degraded"
    case unavailable = "Unavailable"
    case unknown = "Unknown"
    // Failures of a start or a run
    case exited = "Exited"
    case exitedBeforeReady = "ExitedBeforeReady"
    case readinessTimeout = "ReadinessTimeout"
    case readinessStalled = "ReadinessStalled"
    case probeRejected = "ProbeRejected"
    case healthCheckFailed = "HealthCheckFailed"
    /// The smoke completion (`readiness.smoke`, `health.smoke`) failed or hung: the server answers
    /// its probe but does not generate.
    case smokeTestFailed = "SmokeTestFailed"
    case crashLoopBackOff = "CrashLoopBackOff"
    case notReachable = "NotReachable"
    case notRestarted = "NotRestarted"
    case portUnavailable = "PortUnavailable"
    case launchFailed = "LaunchFailed"
    case stateWriteFailed = "StateWriteFailed"
    /// The instance's record changed between planning and execution: the action was refused, and
    /// the next pass plans it again from what is there now.
    case stalePlan = "StalePlan"
    // Configuration
    case invalidSpec = "InvalidSpec"
    case secretUnavailable = "SecretUnavailable"
    // The controller's own events (never a condition)
    case started = "Started"
    case restarting = "Restarting"
    case manifestsChanged = "ManifestsChanged"
    case manifestsInvalid = "ManifestsInvalid"
    /// `inferctl down` held the directory down / `inferctl apply` ended the hold.
    case heldDown = "HeldDown"
    case holdCleared = "HoldCleared"
    case leaseAcquired = "LeaseAcquired"
    case leaseReleased = "LeaseReleased"
    case leaseExpired = "LeaseExpired"

    /// Whether waiting (and the restart policy) can fix it without anyone changing anything.
    public var isRetryable: Bool {
        switch self {
        case .invalidSpec, .secretUnavailable, .probeRejected, .notRestarted, .launchFailed, .stateWriteFailed,
             .manifestsInvalid: false
        default: true
        }
    }

    /// The `Healthy` condition's reason for a health verdict.
    public init(health: HealthStatus) {
        switch health {
        case .healthy: self = .healthy
        case .degraded: self = .degraded
        case .unavailable: self = .unavailable
        case .unknown: self = .unknown
        }
    }
}
