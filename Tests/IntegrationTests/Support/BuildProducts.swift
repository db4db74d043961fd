import Foundation

/// Other executables of this package, found next to `inferctl` in the build folder.
enum BuildProducts {
    static func executable(_ name: String) throws -> URL {
        let candidate = try Inferctl.binary.get().deletingLastPathComponent().appendingPathComponent(name)
        guard FileManager.default.isExecutableFile(atPath: candidate.path) else { throw BinaryNotFound(name: name) }
        return candidate
    }

    /// Runs `name ARGS` to completion (killed, and reported as a timeout, after `timeout`).
    static func run(_ name: String, _ arguments: [String], environment: [String: String] = [:],
                    timeout: Duration = .seconds(90)) async throws -> CommandResult {
        try await RunningCommand(executable: executable(name), arguments: arguments, environment: environment).finish(timeout: timeout)
    }
}
