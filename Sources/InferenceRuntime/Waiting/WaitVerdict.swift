import InferenceModel

/// Where one instance stands against what `wait` waits for.
public struct WaitVerdict: Sendable, Equatable {
    public enum State: String, Sendable, Equatable {
        /// The condition holds now.
        case met
        /// It cannot hold without someone acting (a failed instance, a crash loop, an unreadable record):
        /// waiting longer would only hide it.
        case failed
        /// Not yet.
        case pending
    }

    public var name: String
    public var state: State
    /// The phase to show: the status file's, or `Failed` when its process has died. Nil without a status file.
    public var phase: InstancePhase?
    /// Why: the status message, or what is missing.
    public var message: String

    public init(_ name: String, _ state: State, phase: InstancePhase?, message: String) {
        self.name = name
        self.state = state
        self.phase = phase
        self.message = message
    }
}
