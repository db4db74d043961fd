import Foundation

/// What one `inferctl` run printed and how it ended.
struct CommandResult: Sendable, CustomStringConvertible {
    let arguments: [String]
    let status: Int32
    let stdout: String
    let stderr: String

    var output: String { stdout + stderr }

    var description: String {
        "inferctl \(arguments.joined(separator: " ")) -> exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }
}

struct BinaryNotFound: Error, CustomStringConvertible {
    let name: String
    var description: String { "\(name) not found next to the test bundle; run `swift build --build-tests` first" }
}

/// The real, built `inferctl`, run as a child process.
enum Inferctl {
    /// Walks up from the test runner's location to the build products folder holding `inferctl`.
    static let binary: Result<URL, BinaryNotFound> = {
        var starts = [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(), Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { starts.append(executable) }
        for start in starts {
            var directory = start.standardizedFileURL
            for _ in 0..<6 {
                let candidate = directory.appendingPathComponent("inferctl")
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                   FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return .success(candidate)
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return .failure(BinaryNotFound(name: "inferctl"))
    }()

    /// Runs `inferctl ARGS` to completion (killed, and reported as a timeout, after `timeout`).
    static func run(_ arguments: [String], environment: [String: String] = [:], currentDirectory: String? = nil,
                    timeout: Duration = .seconds(60)) async throws -> CommandResult {
        try await start(arguments, environment: environment, currentDirectory: currentDirectory).finish(timeout: timeout)
    }

    /// Starts `inferctl ARGS` without waiting, e.g. to run two at once.
    /// `environment` is added to (and overrides) the test's own environment.
    static func start(_ arguments: [String], environment: [String: String] = [:],
                      currentDirectory: String? = nil) throws -> RunningCommand {
        try RunningCommand(executable: binary.get(), arguments: arguments, environment: environment,
                           currentDirectory: currentDirectory)
    }
}

/// A started command whose stdout and stderr are read on plain threads (no concurrency-pool thread blocks).
final class RunningCommand: @unchecked Sendable {
    let arguments: [String]
    private let process = Process()
    private let lock = NSLock()
    private var stdoutData = Data()
    private var stderrData = Data()
    private var openStreams = 2

    init(executable: URL, arguments: [String], environment: [String: String] = [:], currentDirectory: String? = nil) throws {
        self.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        read(out.fileHandleForReading, isStdout: true)
        read(err.fileHandleForReading, isStdout: false)
    }

    var pid: Int32 { process.processIdentifier }

    private func read(_ handle: FileHandle, isStdout: Bool) {
        let thread = Thread { [self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                lock.withLock {
                    if isStdout { stdoutData.append(chunk) } else { stderrData.append(chunk) }
                }
            }
            lock.withLock { openStreams -= 1 }
        }
        thread.start()
    }

    /// Waits for the exit, then for stdout and stderr to reach end of file. A pipe still open after the exit
    /// means some process we did not wait for (a spawned server) inherited it: that is reported, not waited out.
    func finish(timeout: Duration = .seconds(60)) async throws -> CommandResult {
        do {
            try await eventually("inferctl \(arguments.joined(separator: " ")) to exit", timeout: timeout) { !process.isRunning }
        } catch {
            if process.isRunning { Processes.kill(process.processIdentifier) }
            throw error
        }
        try await eventually("the output pipes of inferctl \(arguments.first ?? "") to close (leaked to a child?)",
                             timeout: .seconds(5)) { lock.withLock { openStreams == 0 } }
        return lock.withLock {
            CommandResult(arguments: arguments, status: process.terminationStatus,
                          stdout: String(decoding: stdoutData, as: UTF8.self),
                          stderr: String(decoding: stderrData, as: UTF8.self))
        }
    }
}
