import Foundation
import Testing

extension WatchTests {
    @Test("health.smoke: a server whose generation starts hanging after Ready is found (Degraded, HealthCheckFailed) and restarted")
    func hungGenerationIsFoundAndRestarted() async throws {
        try await withWorkspace("watch-smoke") { ws in
            // The readiness smoke is its first completion and answers; every later one hangs.
            var a = SimInstance(name: "a", extraArgs: ["--hang-generation-after", "1"], gracePeriod: "2s")
            a.readinessSmoke = "{timeout: 1s}"
            try ws.write("a.yaml", a.yaml
                + "  health: {interval: 300ms, failureThreshold: 2, smoke: {interval: 300ms}}\n"
                + "  restart: {policy: OnFailure, backoff: 200ms, maxBackoff: 10s}\n")
            let watcher = try Watcher(ws)
            let first = try await Self.readyPID(ws, "a")
            #expect(try ws.instanceStatus("a").has("endpoint.metadata.measured_ttft_ms"))

            try await eventually("a Degraded by its failed smoke", timeout: .seconds(20)) {
                guard let status = try? ws.instanceStatus("a"), status.string("phase") == "Ready",
                      status.int("pid").map(Int32.init) == first else { return false }
                return status.string("health") == "degraded"
                    && status.objects("conditions").contains { $0.string("type") == "Healthy" && $0.string("reason") == "SmokeTestFailed" }
            }
            let second = try await Self.readyPID(ws, "a", not: first, timeout: .seconds(40))
            #expect(second != first)
            #expect(!Processes.isAlive(first))
            let status = try ws.instanceStatus("a")
            #expect(status.string("last_exit.failed_check") == "HealthCheckFailed", "\(status)")
            #expect((status.int("restarts") ?? 0) >= 1, "\(status)")
            let events = try String(contentsOfFile: ws.stateDir + "/events.jsonl", encoding: .utf8)
            #expect(events.contains("SmokeTestFailed"), "\(events)")
            #expect(events.contains("generation (health.smoke) failed 2 times in a row"), "\(events)")
            _ = try await watcher.stop()
        }
    }
}
