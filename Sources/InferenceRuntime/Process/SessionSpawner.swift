import CProcessSupport
import Glibc

/// Swift side of `sh_spawn_session`: marshals argv/envp into C strings.
/// Does not register the child anywhere; `ProcessLauncher` does that.
enum SessionSpawner {
    /// Returns the child's pid; throws the posix_spawn errno.
    static func spawn(path: String, argv: [String], environment: [String: String],
                      workingDirectory: String?, outputFD: Int32) throws(LaunchError) -> Int32 {
        let envStrings = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let cArgv = argv.map { strdup($0) } + [nil]
        let cEnvp = envStrings.map { strdup($0) } + [nil]
        defer {
            cArgv.forEach { free($0) }
            cEnvp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let rc = cArgv.withUnsafeBufferPointer { argvBuffer in
            cEnvp.withUnsafeBufferPointer { envpBuffer in
                if let workingDirectory {
                    return sh_spawn_session(&pid, path, argvBuffer.baseAddress, envpBuffer.baseAddress,
                                            workingDirectory, outputFD)
                }
                return sh_spawn_session(&pid, path, argvBuffer.baseAddress, envpBuffer.baseAddress,
                                        nil, outputFD)
            }
        }
        guard rc == 0 else { throw .spawnFailed(executable: path, errno: rc) }
        return pid
    }
}
