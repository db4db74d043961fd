/// Everything needed to start one server process.
public struct LaunchRequest: Codable, Sendable, Hashable {
    /// A bare name looked up in PATH (the request's PATH, else ours), or a path.
    public var executable: String
    public var arguments: [String]
    /// The complete environment of the child; nothing is inherited implicitly.
    public var environment: [String: String]
    public var workingDirectory: String?
    /// stdout and stderr are appended here; parent directories are created.
    public var logPath: String

    public init(executable: String, arguments: [String] = [], environment: [String: String] = [:],
                workingDirectory: String? = nil, logPath: String) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.logPath = logPath
    }
}
