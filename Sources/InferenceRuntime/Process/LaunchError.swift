/// Why a process could not be started.
public enum LaunchError: Error, Sendable, Equatable, CustomStringConvertible {
    case executableNotFound(String)
    case notExecutable(String)
    case workingDirectoryMissing(String)
    case logUnavailable(SystemCallError)
    case spawnFailed(executable: String, errno: Int32)
    /// Spawned, but its /proc entry or pidfd could not be read (should not happen).
    case identityUnavailable(pid: Int32)

    public var description: String {
        switch self {
        case .executableNotFound(let name): "executable not found: \(name)"
        case .notExecutable(let path): "not an executable file: \(path)"
        case .workingDirectoryMissing(let path): "working directory does not exist: \(path)"
        case .logUnavailable(let error): "cannot open log file: \(error)"
        case .spawnFailed(let executable, let code): "cannot start \(executable): \(errnoText(code)) (errno \(code))"
        case .identityUnavailable(let pid): "started pid \(pid) but could not read its identity"
        }
    }
}
