import Foundation
@testable import InferenceSimulator

/// Collects log lines of an in-process simulator so tests can assert on them.
final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [String] = []

    var lines: [String] { lock.withLock { storage } }

    func append(_ line: String) {
        lock.withLock { storage.append(line) }
    }
}

/// Starts a simulator on 127.0.0.1 with an OS-chosen port, runs `body`, stops it.
func withSimulator(
    _ configure: (inout SimulatorOptions) -> Void = { _ in },
    _ body: (SimulatorServer, TestHTTP, LogRecorder) async throws -> Void
) async throws {
    let recorder = LogRecorder()
    var options = SimulatorOptions(host: "127.0.0.1", port: 0, log: { recorder.append($0) })
    configure(&options)
    let server = try await SimulatorServer.start(options)
    do {
        try await body(server, TestHTTP(baseURL: server.baseURL), recorder)
    } catch {
        try? await server.stop()
        throw error
    }
    try await server.stop()
}
