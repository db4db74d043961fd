import Foundation

/// How a changed spec replaces a running server.
public enum RolloutStrategy: String, Codable, Sendable, CaseIterable {
    /// The new revision starts beside the old one (on a new automatic port); clients are switched to
    /// it once it is ready, and the old one is stopped after its grace period. No request is refused.
    case surge = "Surge"
    /// The old server is stopped, then the new one started: a gap, but never two at once.
    case recreate = "Recreate"
}

/// `rollout: {strategy: Surge | Recreate}`.
public struct RolloutSpec: Codable, Sendable, Equatable {
    /// nil: `Surge` for `port: auto`, `Recreate` for a fixed port.
    public var strategy: RolloutStrategy?

    public init(strategy: RolloutStrategy? = nil) {
        self.strategy = strategy
    }
}

extension InstanceSpec {
    /// The strategy in force: a fixed port cannot hold two revisions, so it recreates.
    public var effectiveRolloutStrategy: RolloutStrategy {
        rollout.strategy ?? (server.port == .auto ? .surge : .recreate)
    }
}

/// A Surge rollout that failed: the old revision kept serving; the next attempt waits its backoff.
public struct RolloutFailure: Codable, Sendable, Equatable {
    /// The revision that failed, by spec fingerprint hash.
    public var revision: String
    public var attempts: Int
    public var at: Date
    public var message: String

    public init(revision: String, attempts: Int, at: Date, message: String) {
        self.revision = revision
        self.attempts = attempts
        self.at = at
        self.message = message
    }
}
