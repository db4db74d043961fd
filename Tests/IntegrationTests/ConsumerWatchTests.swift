import Foundation
import Testing

/// Under `inferctl watch`, a consumer's status follows its instance: the endpoint is withdrawn as
/// soon as the server is gone and handed out again once its successor is ready.
@Suite("consumer endpoints under watch", .serialized, .timeLimit(.minutes(3)))
struct ConsumerWatchTests {
    static func consumer(_ ws: Workspace, _ name: String) -> JSONObject? { try? ws.consumerStatus(name) }

    /// The consumer is ready with the endpoint its instance publishes now.
    static func handedOut(_ ws: Workspace, _ consumer: String, _ instance: String) -> Bool {
        guard let status = Self.consumer(ws, consumer), status.bool("ready") == true, status.string("reason") == "Ready",
              let published = try? ws.instanceStatus(instance).string("endpoint.base_url") else { return false }
        return status.string("endpoint.base_url") == published
    }

    @Test("a SIGKILLed server's consumers lose the endpoint at once (InstanceUnhealthy) and get it back from the restarted one")
    func killedServerWithdrawsTheEndpoint() async throws {
        try await withWorkspace("consumer-watch") { ws in
            // A 1s backoff keeps the server down long enough to see the withdrawal.
            try ws.write("a.yaml", documents(watchedInstance("a", backoff: "1s"), consumerYAML("agent", instance: "a"),
                                             consumerYAML("other", instance: "a")))
            try ws.write("broken.yaml", documents(watchedInstance("broken", extraArgs: ["--exit-before-ready", "3"], policy: "Never"),
                                                  consumerYAML("late", instance: "broken")))
            let watcher = try Watcher(ws)
            let pid = try await WatchTests.readyPID(ws, "a")
            try await eventually("agent and other handed a's endpoint") { Self.handedOut(ws, "agent", "a") && Self.handedOut(ws, "other", "a") }

            kill(pid, SIGKILL)
            try await eventually("the endpoint withdrawn from both consumers", timeout: .seconds(30)) {
                ["agent", "other"].allSatisfy { name in
                    let status = Self.consumer(ws, name)
                    return status?.bool("ready") == false && status?.has("endpoint") == false
                        && status?.string("reason") == "InstanceUnhealthy"
                }
            }
            let restarted = try await WatchTests.readyPID(ws, "a", not: pid)
            try await eventually("the endpoint back, from the restarted server") {
                Self.handedOut(ws, "agent", "a") && Self.handedOut(ws, "other", "a")
            }
            #expect(try ws.pid("a") == restarted)

            // `endpoint` asks the controller: the descriptor of the restarted server, or the reason.
            let endpoint = try await ws.inferctl("endpoint", "agent", ws.dir, "-o", "json")
            #expect(endpoint.status == 0, "\(endpoint)")
            #expect(endpoint.stdout.contains(try #require(try ws.instanceStatus("a").string("endpoint.base_url"))), "\(endpoint)")
            try await eventually("broken to fail") { (try? ws.instanceStatus("broken").string("phase")) == "Failed" }
            let late = try await ws.inferctl("endpoint", "late", ws.dir)
            #expect(late.status == 1 && late.stdout.isEmpty, "\(late)")
            #expect(late.stderr.contains("error: consumer late is not ready (InstanceUnhealthy): instance broken is Failed"), "\(late)")
            #expect(Self.consumer(ws, "late")?.string("reason") == "InstanceUnhealthy")

            // Recreate: a replaced server (its spec edited) is not handed out while its successor loads.
            let recreate = "  rollout: {strategy: Recreate}\n"
            try ws.write("a.yaml", documents(watchedInstance("a", extraArgs: ["--load-delay", "2s"], identity: "other-model", backoff: "1s") + recreate,
                                             consumerYAML("agent", instance: "a"), consumerYAML("other", instance: "a")))
            try await eventually("the endpoint withdrawn while the new server loads", timeout: .seconds(10)) {
                let status = Self.consumer(ws, "agent")
                return status?.bool("ready") == false && status?.has("endpoint") == false
                    && status?.string("reason") == "WaitingForInstance"
            }
            try await eventually("the new server's endpoint handed out", timeout: .seconds(30)) {
                Self.handedOut(ws, "agent", "a") && Self.consumer(ws, "agent")?.string("endpoint.model_identity") == "other-model"
            }

            // Surge (the default for port auto): the old server is handed out until the new one is ready.
            try ws.write("a.yaml", documents(watchedInstance("a", extraArgs: ["--load-delay", "2s"], identity: "third-model", backoff: "1s"),
                                             consumerYAML("agent", instance: "a"), consumerYAML("other", instance: "a")))
            var withdrawn: [String] = []
            try await eventually("the rolled-out server's endpoint handed out", timeout: .seconds(30)) {
                guard let status = Self.consumer(ws, "agent") else { return false }
                if status.bool("ready") != true { withdrawn.append(status.string("reason") ?? "?") }
                return status.string("endpoint.model_identity") == "third-model"
            }
            #expect(withdrawn.isEmpty, "the endpoint was withdrawn during a Surge rollout: \(withdrawn)")
            let output = try await watcher.stop()
            #expect(output.status == 0, "\(output)")
        }
    }
}
