import Foundation
import InferenceBackends
import InferenceModel

/// What the reconciler reports as it goes, for live output.
public enum ApplyEvent: Sendable {
    case starting(instance: String, action: ActionKind)
    case launched(instance: String, pid: Int32, port: Int)
    case waiting(instance: String, reason: String)
    case finished(InstanceOutcome)
}

/// How one instance's action ended.
public struct InstanceOutcome: Sendable, Equatable {
    public var instance: String
    public var action: ActionKind
    public var phase: InstancePhase
    public var message: String
    public var succeeded: Bool
    public var elapsed: Duration
    /// Set when the outcome's reason is not in the record: an action refused before it acted
    /// (`StalePlan`) wrote nothing.
    public var reason: ConditionReason?

    public init(instance: String, action: ActionKind, phase: InstancePhase, message: String, succeeded: Bool, elapsed: Duration,
                reason: ConditionReason? = nil) {
        self.instance = instance
        self.action = action
        self.phase = phase
        self.message = message
        self.succeeded = succeeded
        self.elapsed = elapsed
        self.reason = reason
    }

    /// An action not carried out because what it was planned from moved on (its record, the manifests).
    /// The action failed (nothing was done); the instance's record and status are left as they are.
    static func refused(_ action: PlannedAction, _ why: String) -> InstanceOutcome {
        InstanceOutcome(instance: action.instance, action: action.kind, phase: .failed, message: why,
                        succeeded: false, elapsed: .zero, reason: .stalePlan)
    }
}

public struct ApplyOptions: Sendable {
    /// Wait for readiness before returning (apply --wait, on by default).
    public var wait: Bool
    /// Caps every instance's readiness timeout (apply --timeout).
    public var timeout: Duration?

    /// Hold restarts until their backoff has passed. A controller loop wants this; a person who runs
    /// `apply` by hand has asked for a restart now.
    public var respectBackoff: Bool

    /// Prune instances even while live leases hold them (apply --force).
    public var force: Bool

    /// The latest `health.smoke` verdict per instance (the controller runs them): folded into
    /// the health a ready instance's refresh records. A failure stays until a smoke passes.
    public var healthSmokeVerdicts: [String: SmokeVerdict] = [:]

    public init(wait: Bool = true, timeout: Duration? = nil, respectBackoff: Bool = false, force: Bool = false) {
        self.wait = wait
        self.timeout = timeout
        self.respectBackoff = respectBackoff
        self.force = force
    }
}

/// What a pass did: each instance's outcome, and each consumer's resolved status.
public struct ApplyResult: Sendable {
    public var instances: [InstanceOutcome]
    public var consumers: [ConsumerStatus]
    /// Files that could not be written beyond any one instance (consumer status): a failure too.
    public var stateErrors: [String]

    public init(instances: [InstanceOutcome], consumers: [ConsumerStatus], stateErrors: [String] = []) {
        self.instances = instances
        self.consumers = consumers
        self.stateErrors = stateErrors
    }

    /// Consumers that got an instance they cannot use (known once backends report their facts).
    public var incompatibleConsumers: [ConsumerStatus] {
        consumers.filter { $0.compatibility?.compatible == false }
    }

    public var succeeded: Bool {
        instances.allSatisfy(\.succeeded) && incompatibleConsumers.isEmpty && stateErrors.isEmpty
    }
}
