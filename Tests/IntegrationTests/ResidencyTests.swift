import Foundation
import Testing

/// An on-demand simulated instance labelled as a member of the `gpu: main` residency group.
func gpuMember(_ name: String, memory: String = "4Gi") -> String {
    """
    apiVersion: inference.selfhosted/v1
    kind: Instance
    metadata:
      name: \(name)
      labels: {gpu: main}
    spec:
      backend: simulation
      model: {identity: \(name)}
      server: {host: 127.0.0.1, port: auto}
      resources: {memory: \(memory)}
      activation: OnDemand
      readiness: {timeout: 30s}
      stop: {gracePeriod: 3s}

    """
}

func residencyGroupYAML(_ name: String, maxRunning: Int) -> String {
    """
    apiVersion: inference.selfhosted/v1
    kind: ResidencyGroup
    metadata: {name: \(name)}
    spec:
      selector: {gpu: main}
      maxRunning: \(maxRunning)

    """
}

@Suite("residency groups: eviction of idle members, InsufficientCapacity", .serialized, .timeLimit(.minutes(3)))
struct ResidencyTests {
    static func write(_ ws: Workspace) throws {
        try ws.write("models.yaml", documents(gpuMember("chat"), gpuMember("coder"), residencyGroupYAML("gpu", maxRunning: 1),
                                              consumerYAML("chat-app", instance: "chat"), consumerYAML("coder-app", instance: "coder")))
    }

    static func conditionReason(_ ws: Workspace, _ instance: String) throws -> String? {
        let conditions = try ws.instanceStatus(instance).value("conditions") as? [[String: Any]] ?? []
        return conditions.first { $0["type"] as? String == "Ready" }?["reason"] as? String
    }

    @Test("ensure: a leased member holds the room (InsufficientCapacity names its lease), once released it is evicted for the next")
    func ensureWithoutController() async throws {
        try await withWorkspace("residency-ensure") { ws in
            try Self.write(ws)
            let validate = try await ws.inferctl("validate", ws.dir)
            #expect(validate.status == 0, "\(validate)")

            let chat = try LeaseTests.ensured(try await ws.inferctl("ensure", "chat-app", ws.dir, "--owner", "alice", "--ttl", "5m", "-o", "json"))
            let chatLease = try #require(chat.string("lease.lease_ref"))
            let chatPid = try ws.pid("chat")

            let refused = try await ws.inferctl("ensure", "coder-app", ws.dir, "--owner", "bob", "--wait", "1s")
            #expect(refused.status != 0, "\(refused)")
            #expect(refused.stderr.contains("InsufficientCapacity") && refused.stderr.contains(chatLease)
                    && refused.stderr.contains("alice") && refused.stderr.contains("residency group gpu"), "\(refused)")
            #expect(Processes.isAlive(chatPid), "a leased member was evicted")
            #expect(try await LeaseTests.leases(ws).compactMap { $0["lease_ref"] as? String } == [chatLease],
                    "the refused ensure left a lease behind")

            let release = try await ws.inferctl("lease", "release", chatLease, ws.dir)
            #expect(release.status == 0, "\(release)")
            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(plan.status == 0, "\(plan)")

            let coder = try await ws.inferctl("ensure", "coder-app", ws.dir, "--owner", "bob", "-o", "json")
            _ = try LeaseTests.ensured(coder)
            #expect(!Processes.isAlive(chatPid), "the idle member was not evicted")
            #expect(Processes.isAlive(try ws.pid("coder")))
            #expect(try ws.instanceStatus("chat").string("phase") == "Stopped")
            #expect(try Self.conditionReason(ws, "chat") == "Evicted")
            #expect(try ws.consumerStatus("chat-app").bool("ready") == false)
            #expect(Processes.running(inDirectory: ws.dir).count == 1)
        }
    }

    @Test("apply: two Always members of a group of one: one starts, the other waits, named in plan and apply; nothing is evicted until a start needs the room")
    func applyAndPlan() async throws {
        try await withWorkspace("residency-apply") { ws in
            let always = [gpuMember("chat"), gpuMember("coder")].map { $0.replacingOccurrences(of: "activation: OnDemand", with: "activation: Always") }
            try ws.write("models.yaml", documents(always[0], always[1], residencyGroupYAML("gpu", maxRunning: 1)))
            let plan = try await ws.inferctl("plan", ws.dir, "-o", "json")
            #expect(plan.stdout.contains("\"insufficient_capacity\" : true"), "\(plan)")
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "a member that cannot start is a failed apply: \(apply)")
            #expect((apply.stdout + apply.stderr).contains("InsufficientCapacity: coder does not fit in residency group gpu (maxRunning 1): the room is held by chat (activation Always"),
                    "\(apply)")
            #expect(Processes.running(inDirectory: ws.dir).count == 1)

            // An on-demand member with a lease evicts an idle on-demand one; plan says so beforehand.
            try ws.write("models.yaml", documents(gpuMember("chat"), gpuMember("coder"), residencyGroupYAML("gpu", maxRunning: 1),
                                                  consumerYAML("coder-app", instance: "coder")))
            let chatPid = try ws.pid("chat")
            let idlePlan = try await ws.inferctl("plan", ws.dir)
            #expect(!idlePlan.stdout.contains("evict"), "nothing is evicted while no start needs the room: \(idlePlan)")
            _ = try LeaseTests.ensured(try await ws.inferctl("ensure", "coder-app", ws.dir, "--owner", "bob", "-o", "json"))
            #expect(!Processes.isAlive(chatPid))
        }
    }

    @Test("under watch: ensure waits for room and gets it when the lease holding it is released")
    func controllerWakesWaiters() async throws {
        try await withWorkspace("residency-watch") { ws in
            try Self.write(ws)
            let watcher = try Watcher(ws)
            let api = APIEndpoint.unixSocket(ws.stateDir + "/api.sock")
            try await eventually("the controller to settle", timeout: .seconds(30)) { (try? await APIClient.get(api, "/readyz").status) == 200 }
            let chat = try LeaseTests.ensured(try await ws.inferctl("ensure", "chat-app", ws.dir, "--owner", "alice", "-o", "json"))
            let chatLease = try #require(chat.string("lease.lease_ref"))
            let waiting = try Inferctl.start(["ensure", "coder-app", ws.dir, "--owner", "bob", "--wait", "60s", "-o", "json"])
            try await eventually("the controller to report the wait", timeout: .seconds(30)) {
                (try? String(contentsOfFile: ws.stateDir + "/events.jsonl", encoding: .utf8))?.contains("InsufficientCapacity") == true
            }
            let release = try await ws.inferctl("lease", "release", chatLease, ws.dir)
            #expect(release.status == 0, "\(release)")
            let coder = try LeaseTests.ensured(try await waiting.finish(timeout: .seconds(90)))
            #expect(coder.string("lease.lease_ref") != nil)
            #expect(try Self.conditionReason(ws, "chat") == "Evicted")
            _ = try await watcher.stop()
        }
    }
}
