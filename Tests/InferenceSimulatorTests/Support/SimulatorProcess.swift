import Foundation

/// The `inference-sim` executable started as a child process, stdout captured.
final class SimulatorProcess: @unchecked Sendable {
    struct BinaryNotFound: Error, CustomStringConvertible {
        var description: String {
            "inference-sim binary not found next to the test bundle; run `swift build --build-tests` first"
        }
    }

    private let process = Process()
    private let lock = NSLock()
    private var captured = ""
    private let outputChunks: AsyncStream<String>
    private let exitStatus: AsyncStream<Int32>

    init(arguments: [String]) throws {
        let binary = try Self.locateBinary()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe

        let (chunks, chunkContinuation) = AsyncStream.makeStream(of: String.self)
        outputChunks = chunks
        let (exits, exitContinuation) = AsyncStream.makeStream(of: Int32.self, bufferingPolicy: .bufferingNewest(1))
        exitStatus = exits
        process.terminationHandler = { finished in
            exitContinuation.yield(finished.terminationStatus)
            exitContinuation.finish()
        }
        try process.run()

        // A plain thread does the blocking reads so no concurrency-pool thread is held.
        let reader = pipe.fileHandleForReading
        let thread = Thread { [weak self] in
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                let text = String(decoding: data, as: UTF8.self)
                self?.lock.withLock { self?.captured += text }
                chunkContinuation.yield(text)
            }
            chunkContinuation.finish()
        }
        thread.start()
    }

    var output: String { lock.withLock { captured } }

    /// Reads stdout until it contains `needle`; returns everything read so far.
    func waitForOutput(containing needle: String, timeout: Duration = .seconds(5)) async throws -> String {
        let chunks = outputChunks
        return try await withTimeout("output containing '\(needle)'", timeout) {
            var seen = ""
            for await chunk in chunks {
                seen += chunk
                if seen.contains(needle) { return seen }
            }
            throw TimedOut(what: "'\(needle)' (stdout closed)")
        }
    }

    func waitForExit(timeout: Duration = .seconds(5)) async throws -> Int32 {
        let exits = exitStatus
        let status = try await withTimeout("process exit", timeout) {
            for await status in exits { return status }
            return Int32(-1)
        }
        // Let the reader drain what the process wrote before exiting.
        _ = try? await withTimeout("stdout to close", .seconds(2)) { [outputChunks] in
            for await _ in outputChunks {}
        }
        return status
    }

    func terminate() {
        process.terminate()
    }

    func send(_ signal: Int32) {
        Foundation.kill(process.processIdentifier, signal)
    }

    var exitedBySignal: Bool {
        !process.isRunning && process.terminationReason == .uncaughtSignal
    }

    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
        }
    }

    /// Walks up from the test runner's location to the build products folder.
    static func locateBinary() throws -> URL {
        var starts = [URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath(), Bundle.main.bundleURL]
        if let executable = Bundle.main.executableURL { starts.append(executable) }
        for start in starts {
            var directory = start.standardizedFileURL
            for _ in 0..<6 {
                let candidate = directory.appendingPathComponent("inference-sim")
                if FileManager.default.isExecutableFile(atPath: candidate.path) {
                    return candidate
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        throw BinaryNotFound()
    }
}
