import Foundation
import Glibc

/// Starts server processes that outlive us: each in its own session and
/// process group, output appended to a log file, no inherited descriptors.
/// Children are handed to a `ChildExitWatcher`, which reaps them on exit.
public struct ProcessLauncher: Sendable {
    public let processTable: ProcessTable
    public let exitWatcher: ChildExitWatcher

    public init(processTable: ProcessTable = ProcessTable(), exitWatcher: ChildExitWatcher = .shared) {
        self.processTable = processTable
        self.exitWatcher = exitWatcher
    }

    public func launch(_ request: LaunchRequest) throws(LaunchError) -> ProcessIdentity {
        let path = try ExecutableResolver.resolve(request.executable, searchPath: request.environment["PATH"])
        if let directory = request.workingDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory),
                  isDirectory.boolValue
            else { throw .workingDirectoryMissing(directory) }
        }
        let logFD = try openLog(request.logPath)
        defer { close(logFD) }

        let pid = try SessionSpawner.spawn(path: path, argv: [request.executable] + request.arguments,
                                           environment: request.environment,
                                           workingDirectory: request.workingDirectory, outputFD: logFD)
        // Our unreaped child: its pid cannot be recycled yet, so the pidfd and
        // the /proc identity both name it, even if it already exited.
        guard let descriptor = ProcessDescriptor(pid: pid),
              let identity = processTable.identity(of: pid)
        else {
            _ = collectChildExit(pid: pid, reap: true)
            throw .identityUnavailable(pid: pid)
        }
        exitWatcher.register(identity, descriptor: descriptor)
        return identity
    }

    /// O_APPEND so our copy-truncate rotation and the child never overwrite
    /// each other; O_CLOEXEC so only this child gets it (via dup2); never
    /// through a symbolic link, so a planted link cannot aim the server's
    /// output at another file.
    private func openLog(_ path: String) throws(LaunchError) -> Int32 {
        do throws(SystemCallError) {
            return try openCreatingFolder(path, flags: O_APPEND | O_CREAT | O_WRONLY)
        } catch {
            throw .logUnavailable(error)
        }
    }
}
