import Foundation
import InferenceSimulator
import Testing

/// Runs the built `inference-sim` binary as a real process.
@Suite("inference-sim executable")
struct ExecutableTests {
    @Test func logsListeningThenStopsGracefullyOnSIGTERM() async throws {
        let process = try SimulatorProcess(arguments: ["--port", "0"])
        defer { process.kill() }
        let output = try await process.waitForOutput(containing: "listening on")
        let line = try #require(output.split(separator: "\n").first { $0.contains("listening on") })
        let url = try #require(line.split(separator: " ").last.map(String.init))
        #expect(url.hasPrefix("http://127.0.0.1:"))
        #expect(!url.hasSuffix(":0"))

        let health = try await TestHTTP(baseURL: url).get("/health")
        #expect(health.status == 200)

        process.terminate()
        let status = try await process.waitForExit()
        #expect(status == 0)
    }

    @Test func exitBeforeReadyExitsWithTheGivenCode() async throws {
        let process = try SimulatorProcess(arguments: ["--port", "0", "--exit-before-ready", "3"])
        defer { process.kill() }
        let status = try await process.waitForExit()
        #expect(status == 3)
        let output = process.output
        #expect(output.contains("error: failed to load model 'sim-model': simulated failure"))
        #expect(!output.contains("listening on"))
    }

    @Test func crashAfterExitsWith70() async throws {
        let process = try SimulatorProcess(arguments: ["--port", "0", "--crash-after", "200ms"])
        defer { process.kill() }
        let status = try await process.waitForExit()
        #expect(status == 70)
        #expect(process.output.contains("simulated crash"))
    }

    @Test func ignoreSigtermLeavesOnlySIGKILL() async throws {
        let process = try SimulatorProcess(arguments: ["--port", "0", "--ignore-sigterm"])
        defer { process.kill() }
        let output = try await process.waitForOutput(containing: "listening on")
        let url = try #require(output.split(separator: "\n").first { $0.contains("listening on") }?.split(separator: " ").last)

        // Ignored signals are discarded by the kernel when sent, so the server must still answer.
        process.terminate()
        process.send(SIGINT)
        #expect(try await TestHTTP(baseURL: String(url)).get("/health").status == 200)

        process.send(SIGKILL)
        let status = try await process.waitForExit()
        #expect(status == SIGKILL)
        #expect(process.exitedBySignal)
        #expect(!process.output.contains("shutting down"))
    }

    @Test func apiKeyFileIsReadAndTrimmed() async throws {
        let keyFile = FileManager.default.temporaryDirectory.appendingPathComponent("sim-key-\(UUID().uuidString)")
        try "  secret-key \n".write(to: keyFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: keyFile) }
        let options = try SimulatorFlags.parse(["--api-key-file", keyFile.path]).makeOptions()
        #expect(options.apiKey == "secret-key")
        #expect(throws: (any Error).self) { try SimulatorFlags.parse(["--api-key-file", "/nonexistent/key"]).makeOptions() }
    }
}
