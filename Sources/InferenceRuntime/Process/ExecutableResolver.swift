import Foundation
import Glibc

/// Turns `llama-server` or `./bin/server` into an absolute path, so a missing
/// binary is reported by name instead of as a bare ENOENT from the spawn.
enum ExecutableResolver {
    static let defaultSearchPath = "/usr/local/bin:/usr/bin:/bin"

    /// - Parameter searchPath: the PATH to search for bare names.
    static func resolve(_ executable: String, searchPath: String?) throws(LaunchError) -> String {
        guard !executable.isEmpty else { throw .executableNotFound(executable) }
        if executable.contains("/") {
            let absolute = executable.hasPrefix("/")
                ? executable
                : FileManager.default.currentDirectoryPath + "/" + executable
            guard access(absolute, F_OK) == 0 else { throw .executableNotFound(executable) }
            guard isExecutableFile(absolute) else { throw .notExecutable(absolute) }
            return absolute
        }
        let path = searchPath ?? ProcessInfo.processInfo.environment["PATH"] ?? defaultSearchPath
        for directory in path.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(directory)/\(executable)"
            if isExecutableFile(candidate) { return candidate }
        }
        throw .executableNotFound(executable)
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }
}
