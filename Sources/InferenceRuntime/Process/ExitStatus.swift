/// How a process ended. Only our own children have a knowable status: an
/// adopted process (spawned by an earlier run) is reaped by someone else.
public enum ExitStatus: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)
    /// Exited, status unknown (not our child, or already reaped elsewhere).
    case unknown

    public var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signaled(let signal): "killed by \(SignalName.name(of: signal))"
        case .unknown: "exited, status unknown"
        }
    }

    public var isSuccess: Bool { self == .exited(0) }
}
