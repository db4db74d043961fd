import InferenceModel

/// How one reconcile of a key ended, as metrics count it.
public enum ReconcileResult: String, Sendable, CaseIterable {
    /// The instance is where its manifest wants it (or on its way, waiting for nothing of ours).
    case succeeded
    /// The action failed (the instance is `Failed`, or its state could not be written).
    case failed
    /// A restart held by its backoff: the key comes back at its time.
    case backoff
    /// Nothing to do for this key (an unreadable record left alone, a key already gone).
    case skipped
}

/// What the controller measures for metrics (the API's Prometheus registry implements it).
/// Every label a sink may make comes from a name or an enum here, never from free text.
public protocol ControllerMetricsSink: Sendable {
    /// One key reconciled: how it ended, why it failed (when it did), and how long it took.
    func reconciled(_ instance: String, result: ReconcileResult, failure: ConditionReason?, duration: Duration)
    /// An instance became ready after a start (spawn, restart, replace, attach), `after` this long.
    func becameReady(_ instance: String, after: Duration)
}

/// Measures nothing.
public struct DiscardingMetricsSink: ControllerMetricsSink {
    public init() {}
    public func reconciled(_ instance: String, result: ReconcileResult, failure: ConditionReason?, duration: Duration) {}
    public func becameReady(_ instance: String, after: Duration) {}
}
