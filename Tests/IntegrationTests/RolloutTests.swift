import Foundation
import Testing

/// Calls the endpoint a consumer's status file names, over and over, until stopped: what a client
/// that follows the status file sees during a rollout.
///
/// Stopped by a flag, never by cancelling its task: cancelling a task inside FoundationNetworking's
/// `URLSession.data(for:)` can deadlock on Linux (the cancel waits on the session's queue while
/// holding the task's status lock, which the request completing on that queue needs), and with
/// both threads of a 2-core machine's pool stuck there, the whole test process hung in CI.
final class StatusFollowingClient: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String] = []
    private var successes = 0
    private var baseURLs: Set<String> = []
    private var stopping = false
    private var task: Task<Void, Never>?

    init(statusPath: String) {
        task = Task {
            while !self.lock.withLock({ self.stopping }) {
                guard let data = FileManager.default.contents(atPath: statusPath),
                      let status = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                      let endpoint = status["endpoint"] as? [String: Any], let base = endpoint["base_url"] as? String else {
                    self.record(failure: "the consumer status names no endpoint")
                    continue
                }
                do {
                    let reply = try await httpGet(base + "/models")
                    if reply.status == 200 { self.record(success: base) } else { self.record(failure: "\(base): HTTP \(reply.status)") }
                } catch {
                    self.record(failure: "\(base): \(error)")
                }
            }
        }
    }

    private func record(success base: String) { lock.withLock { successes += 1; baseURLs.insert(base) } }
    private func record(failure: String) { lock.withLock { failures.append(failure) } }

    func stop() async -> (successes: Int, failures: [String], baseURLs: Set<String>) {
        lock.withLock { stopping = true }
        await task?.value // at most one request more (httpGet has its own timeout)
        return lock.withLock { (successes, failures, baseURLs) }
    }
}

@Suite("Surge rollouts", .serialized, .timeLimit(.minutes(3)))
struct RolloutTests {
    static func chat(loadDelay: String, exitBeforeReady: Int? = nil) -> String {
        var instance = SimInstance(name: "chat")
        instance.extraArgs = ["--load-delay", loadDelay] + (exitBeforeReady.map { ["--exit-before-ready", "\($0)"] } ?? [])
        instance.gracePeriod = "1s"
        return instance.yaml
    }

    static func readyCondition(_ ws: Workspace, _ type: String) throws -> [String: Any]? {
        let conditions = try ws.instanceStatus("chat").value("conditions") as? [[String: Any]] ?? []
        return conditions.first { $0["type"] as? String == type }
    }

    @Test("a changed spec rolls out beside the old revision: a client following the consumer status never sees a failed request")
    func noFailedRequest() async throws {
        try await withWorkspace("rollout-surge") { ws in
            try ws.write("chat.yaml", documents(Self.chat(loadDelay: "100ms"), consumerYAML("app", instance: "chat")))
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let oldPid = try ws.pid("chat")
            let oldURL = try #require(try ws.consumerStatus("app").string("endpoint.base_url"))

            let client = StatusFollowingClient(statusPath: ws.consumerStatusPath("app"))
            try ws.write("chat.yaml", documents(Self.chat(loadDelay: "1500ms"), consumerYAML("app", instance: "chat")))
            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(plan.stdout.contains("~ ") && plan.stdout.contains("rollout") && plan.stdout.contains("Surge"), "\(plan)")
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let newPid = try ws.pid("chat")
            let newURL = try #require(try ws.consumerStatus("app").string("endpoint.base_url"))
            #expect(newPid != oldPid)
            #expect(newURL != oldURL, "the new revision listens on another port")
            #expect(!Processes.isAlive(oldPid), "the old revision was stopped after its grace period")
            let seen = await client.stop()
            #expect(seen.failures.isEmpty, "\(seen.failures.prefix(5))")
            #expect(seen.successes >= 2)
            #expect(seen.baseURLs == [oldURL, newURL], "\(seen.baseURLs)")
            #expect(try ws.instanceStatus("chat").string("phase") == "Ready")
            #expect(try Self.readyCondition(ws, "Ready")?["reason"] as? String == "RolledOut")
            #expect(Processes.running(inDirectory: ws.dir) == [newPid])
            let log = try String(contentsOfFile: ws.stateDir + "/logs/chat.log", encoding: .utf8)
            #expect(log.contains("rolling out chat"), "the instance's log is the new revision's")
            #expect(FileManager.default.fileExists(atPath: ws.stateDir + "/logs/chat.log.1"), "the old revision's log is kept")
        }
    }

    @Test("a new revision that fails leaves the old one serving (Stalled, RolloutFailed); going back to the old manifest ends it")
    func failedRollout() async throws {
        try await withWorkspace("rollout-fails") { ws in
            try ws.write("chat.yaml", documents(Self.chat(loadDelay: "100ms"), consumerYAML("app", instance: "chat")))
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            let oldPid = try ws.pid("chat")
            let oldURL = try ws.consumerStatus("app").string("endpoint.base_url")

            try ws.write("chat.yaml", documents(Self.chat(loadDelay: "200ms", exitBeforeReady: 3), consumerYAML("app", instance: "chat")))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            #expect((apply.stdout + apply.stderr).contains("rollout failed"), "\(apply)")
            #expect(Processes.isAlive(oldPid))
            #expect(Processes.running(inDirectory: ws.dir) == [oldPid], "the failed revision is not left running")
            #expect(try ws.instanceStatus("chat").string("phase") == "Ready")
            let stalled = try Self.readyCondition(ws, "Stalled")
            #expect(stalled?["status"] as? String == "True" && stalled?["reason"] as? String == "RolloutFailed", "\(String(describing: stalled))")
            #expect((stalled?["message"] as? String)?.contains("status 3") == true, "the new revision's exit: \(String(describing: stalled))")
            #expect(try ws.consumerStatus("app").string("endpoint.base_url") == oldURL)
            let retry = try await ws.inferctl("plan", ws.dir)
            #expect(retry.stdout.contains("attempt 2 after RolloutFailed"), "\(retry)")

            try ws.write("chat.yaml", documents(Self.chat(loadDelay: "100ms"), consumerYAML("app", instance: "chat")))
            let back = try await ws.inferctl("apply", ws.dir)
            #expect(back.status == 0, "\(back)")
            #expect(try ws.pid("chat") == oldPid)
            let over = try Self.readyCondition(ws, "Stalled")
            #expect(over?["status"] as? String == "False" && over?["reason"] as? String == "RolloutAbandoned", "\(String(describing: over))")
        }
    }

    @Test("apply killed in the middle of a rollout: the next apply stops the half-started revision and rolls out again; no orphan")
    func killedMidRollout() async throws {
        try await withWorkspace("rollout-killed") { ws in
            try ws.write("chat.yaml", documents(Self.chat(loadDelay: "100ms"), consumerYAML("app", instance: "chat")))
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            let oldPid = try ws.pid("chat")
            try ws.write("chat.yaml", documents(Self.chat(loadDelay: "30s"), consumerYAML("app", instance: "chat")))
            let running = try Inferctl.start(["apply", ws.dir])
            try await eventually("the new revision to be recorded", timeout: .seconds(30)) {
                (try? ws.record("chat").value("surge.process.pid")) != nil
            }
            let surgePid = try #require((try ws.record("chat").value("surge.process.pid") as? NSNumber)?.int32Value)
            kill(running.pid, SIGKILL)
            _ = try? await running.finish(timeout: .seconds(10))
            #expect(Processes.isAlive(oldPid) && Processes.isAlive(surgePid))

            try ws.write("chat.yaml", documents(Self.chat(loadDelay: "200ms"), consumerYAML("app", instance: "chat")))
            let again = try await ws.inferctl("apply", ws.dir)
            #expect(again.status == 0, "\(again)")
            #expect(!Processes.isAlive(surgePid), "the interrupted revision was left running")
            let newPid = try ws.pid("chat")
            #expect(Processes.running(inDirectory: ws.dir) == [newPid], "\(Processes.running(inDirectory: ws.dir))")
            #expect(newPid != oldPid && !Processes.isAlive(oldPid))
            #expect((try? ws.record("chat").value("surge")) == nil || (try? ws.record("chat").value("surge")) is NSNull)
        }
    }
}
