/// Result of `ProcessTerminator.stop`.
public enum StopOutcome: String, Sendable, Codable, Hashable, CustomStringConvertible {
    /// Already exited (or a zombie, which we reaped if it was ours).
    case notRunning
    /// The process group was gone within the grace period.
    case exitedAfterSignal
    /// Still there after the grace period: the group got SIGKILL.
    case killedAfterGrace
    /// The pid now names a different process: nothing was signalled.
    case refusedIdentityMismatch
    /// Alive with the recorded pid and start time, but without our spawn token (a forged record,
    /// a copied state folder, pid 1 or ourselves): nothing was signalled.
    case refusedNotProven

    public var description: String {
        switch self {
        case .notRunning: "not running"
        case .exitedAfterSignal: "exited after signal"
        case .killedAfterGrace: "killed after grace period"
        case .refusedIdentityMismatch: "refused: pid belongs to another process"
        case .refusedNotProven: "refused: not proven ours (no matching spawn token); left alone"
        }
    }
}
