import InferenceModel

/// Where the controller reports state changes as structured events (besides its text log).
public protocol EventSink: Sendable {
    func record(_ type: ControllerEvent.Kind, _ reason: ConditionReason, object: String?, message: String)
}

/// Reports nowhere: `apply`, and controllers in tests that do not look.
public struct DiscardingEventSink: EventSink {
    public init() {}
    public func record(_ type: ControllerEvent.Kind, _ reason: ConditionReason, object: String?, message: String) {}
}
