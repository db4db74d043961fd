/// What became of a process named by a `ProcessIdentity`.
public enum ProcessLiveness: String, Sendable, Codable, Hashable {
    /// Alive and the very same process.
    case running
    /// Exited but not yet reaped by its parent: counts as dead.
    case zombie
    /// No process with that pid.
    case gone
    /// The pid is alive but names another process (different start time or
    /// another boot). It must never be adopted nor signalled.
    case reused
}
