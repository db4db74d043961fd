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
    /// The pid and start time match, but the process does not carry our spawn token: a forged
    /// record, another folder's server, or a process that replaced its environment. Never
    /// adopted nor signalled.
    case unproven
}
