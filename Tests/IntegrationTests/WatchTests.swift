import Foundation
import Testing

/// A running `inferctl watch` on a workspace, stopped (SIGTERM) at the end.
final class Watcher: @unchecked Sendable {
    let command: RunningCommand
    init(_ ws: Workspace, _ extra: [String] = []) throws {
        command = try Inferctl.start(["watch", ws.dir, "--resync", "30s"] + extra)
        // A test that fails before stop() must not leave its controller running.
        ws.track(command.pid)
    }

    func stop() async throws -> CommandResult {
        kill(command.pid, SIGTERM)
        return try await command.finish(timeout: .seconds(30))
    }
}

/// An instance that the controller checks every 300 ms.
func watchedInstance(_ name: String, extraArgs: [String] = [], identity: String = "sim-model", policy: String = "OnFailure",
                     backoff: String = "200ms", threshold: Int = 2) -> String {
    SimInstance(name: name, identity: identity, extraArgs: extraArgs, gracePeriod: "2s").yaml
        + "  health: {interval: 300ms, failureThreshold: \(threshold)}\n"
        + "  restart: {policy: \(policy), backoff: \(backoff), maxBackoff: 10s}\n"
}

@Suite("watch", .serialized, .timeLimit(.minutes(3)))
struct WatchTests {
    static func readyPID(_ ws: Workspace, _ name: String, not old: Int32? = nil, timeout: Duration = .seconds(30)) async throws -> Int32 {
        var pid: Int32 = 0
        try await eventually("\(name) Ready with a live pid\(old.map { " other than \($0)" } ?? "")", timeout: timeout) {
            guard let status = try? ws.instanceStatus(name), status.string("phase") == "Ready",
                  let current = status.int("pid").map(Int32.init), current != old, Processes.isAlive(current) else { return false }
            pid = current
            return true
        }
        return pid
    }

    @Test("manifest edits: a changed instance is replaced alone, a new file spawns, a deleted file prunes")
    func followsManifestEdits() async throws {
        try await withWorkspace("watch-edits") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            try ws.write("b.yaml", watchedInstance("b"))
            let watcher = try Watcher(ws)
            let a = try await Self.readyPID(ws, "a")
            let b = try await Self.readyPID(ws, "b")

            try ws.write("a.yaml", watchedInstance("a", identity: "other-model"))
            let a2 = try await Self.readyPID(ws, "a", not: a)
            // Rolled out (Surge): the old revision drains for its grace period, then stops.
            try await eventually("the old revision of a stopped", timeout: .seconds(30)) { !Processes.isAlive(a) }
            #expect(try ws.pid("b") == b, "an edit of a restarted b")
            #expect(Processes.isAlive(b))

            try ws.write("c.yaml", watchedInstance("c"))
            let c = try await Self.readyPID(ws, "c")
            try ws.remove("b.yaml")
            try await eventually("b pruned") { !Processes.isAlive(b) && !ws.exists(ws.instanceStatusPath("b")) }
            #expect(Processes.running(inDirectory: ws.dir).sorted() == [a2, c].sorted())

            // A broken edit keeps the last valid set: nothing is stopped.
            try ws.write("c.yaml", "kind: [")
            let output = try await watcher.stop()
            #expect(output.status == 0, "\(output)")
            #expect(Processes.isAlive(a2) && Processes.isAlive(c), "SIGTERM leaves the servers running")
        }
    }

    @Test("a killed server is restarted at once; one that keeps crashing backs off as CrashLoopBackOff")
    func restartsAndBacksOff() async throws {
        try await withWorkspace("watch-crash") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            try ws.write("loop.yaml", watchedInstance("loop", extraArgs: ["--crash-after", "300ms"], backoff: "300ms"))
            let watcher = try Watcher(ws)
            let a = try await Self.readyPID(ws, "a")
            kill(a, SIGKILL)
            let a2 = try await Self.readyPID(ws, "a", not: a, timeout: .seconds(10))
            #expect(try ws.instanceStatus("a").int("restarts") == 1)
            #expect(a2 != a)

            try await eventually("loop in CrashLoopBackOff", timeout: .seconds(30)) {
                let status = try? ws.instanceStatus("loop")
                return status?.objects("conditions").contains { $0.string("reason") == "CrashLoopBackOff" } == true
            }
            let status = try ws.instanceStatus("loop")
            #expect(status.string("phase") == "Failed", "\(status)")
            #expect((status.int("restarts") ?? 0) >= 1)
            #expect(status.string("message")?.contains("next restart at") == true, "\(status)")
            _ = try await watcher.stop()
        }
    }

    @Test("a hung server is found by its health checks and restarted")
    func hungServerIsRestarted() async throws {
        try await withWorkspace("watch-hung") { ws in
            try ws.write("a.yaml", watchedInstance("a", threshold: 2))
            let watcher = try Watcher(ws)
            let a = try await Self.readyPID(ws, "a")
            kill(a, SIGSTOP) // alive, answers nothing
            let a2 = try await Self.readyPID(ws, "a", not: a, timeout: .seconds(40))
            #expect(!Processes.isAlive(a))
            #expect(try ws.instanceStatus("a").string("last_exit.failed_check") == "HealthCheckFailed")
            #expect(a2 != a)
            _ = try await watcher.stop()
        }
    }

    @Test("one controller per directory; apply and status go through it; a killed controller's successor adopts every server")
    func oneControllerAndAdoption() async throws {
        try await withWorkspace("watch-one") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            try ws.write("b.yaml", watchedInstance("b"))
            let first = try Watcher(ws)
            let a = try await Self.readyPID(ws, "a")
            let b = try await Self.readyPID(ws, "b")

            let second = try await ws.inferctl("watch", ws.dir)
            #expect(second.status == 1, "\(second)")
            #expect(second.stderr.contains("already runs"), "\(second)")
            // apply goes through the controller (its socket) instead of waiting for the lock.
            try ws.write("c.yaml", watchedInstance("c"))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            #expect(apply.stderr.contains("asking it to reconcile now"), "\(apply)")
            #expect(apply.stdout.contains("c: Ready"), "\(apply)")
            let c = try ws.pid("c")
            let status = try await ws.inferctl("status", ws.dir)
            #expect(status.status == 0, "\(status)")
            #expect(status.stderr.contains("as the controller sees it"), "\(status)")
            #expect(status.stdout.contains("Ready") && status.stdout.contains("\(c)"), "\(status)")
            let json = try await ws.inferctl("status", ws.dir, "-o", "json")
            let names = (try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])?.compactMap { $0["name"] as? String }
            #expect(names?.sorted() == ["a", "b", "c"], "\(json)")

            kill(first.command.pid, SIGKILL)
            _ = try await first.command.finish()
            let successor = try Watcher(ws)
            // Give it a full pass: both servers must be kept, not restarted.
            try await eventually("the successor to reconcile") { (try? ws.instanceStatus("a").string("phase")) == "Ready" }
            try await Task.sleep(for: .milliseconds(1500)) // several health intervals: nothing may restart meanwhile
            #expect(try ws.pid("a") == a)
            #expect(try ws.pid("b") == b)
            #expect(Processes.running(inDirectory: ws.dir).sorted() == [a, b, c].sorted())
            let output = try await successor.stop()
            #expect(!output.stdout.contains("a: spawn") && !output.stdout.contains("b: spawn"), "\(output)")
        }
    }

    @Test("down through a running controller stops everything (a loading model too) and holds the directory down, across a controller restart, until apply")
    func downThroughTheController() async throws {
        try await withWorkspace("watch-down") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            try ws.write("b.yaml", watchedInstance("b"))
            let first = try Watcher(ws)
            let a = try await Self.readyPID(ws, "a")
            let b = try await Self.readyPID(ws, "b")
            // A model that takes a minute to load: down must not wait for it.
            try ws.write("slow.yaml", SimInstance(name: "slow", extraArgs: ["--load-delay", "60s"], readinessTimeout: "120s").yaml)
            var slow: Int32 = 0
            try await eventually("slow to be starting with a pid") {
                guard let pid = try? ws.instanceStatus("slow").int("pid"), Processes.isAlive(Int32(pid)) else { return false }
                slow = Int32(pid)
                return true
            }

            let down = try await ws.inferctl("down", ws.dir, timeout: .seconds(40))
            #expect(down.status == 0, "\(down)")
            #expect(down.stderr.contains("asking it to stop everything"), "\(down)")
            #expect(down.stdout.contains("holds \(ws.dir) down until the next apply"), "\(down)")
            for pid in [a, b, slow] { #expect(!Processes.isAlive(pid), "pid \(pid) still runs after down") }
            for name in ["a", "b", "slow"] { #expect(try ws.instanceStatus(name).string("phase") == "Stopped", "\(name)") }
            #expect(ws.exists(ws.stateDir + "/held-down.json"))
            let status = try await ws.inferctl("status", ws.dir)
            #expect(status.stderr.contains("held down by inferctl down"), "\(status)")

            // An edit is read but starts nothing while held; a new controller starts nothing either.
            // Repeats of an event raise its count in place (see docs/watch.md).
            let changes = { ((try? String(contentsOfFile: ws.stateDir + "/events.jsonl", encoding: .utf8)) ?? "")
                .split(separator: "\n").filter { $0.contains("ManifestsChanged") }
                .compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["count"] as? Int }
                .reduce(0, +) }
            let before = changes()
            try ws.write("a.yaml", watchedInstance("a", identity: "sim-model-2"))
            try await eventually("the edit to be read") { changes() > before }
            #expect(Processes.running(inDirectory: ws.dir).isEmpty, "a held directory started something")
            kill(first.command.pid, SIGTERM)
            let firstOutput = try await first.command.finish(timeout: .seconds(30))
            #expect(firstOutput.stdout.contains("held down by inferctl down"), "\(firstOutput)")
            let successor = try Watcher(ws)
            let api = APIEndpoint.unixSocket(ws.stateDir + "/api.sock")
            try await eventually("the successor's first pass to settle", timeout: .seconds(30)) {
                (try? await APIClient.get(api, "/readyz").status) == 200
            }
            #expect(Processes.running(inDirectory: ws.dir).isEmpty, "a held directory started something")

            // apply ends the hold, through the controller.
            try ws.remove("slow.yaml")
            let apply = try await ws.inferctl("apply", ws.dir, timeout: .seconds(60))
            #expect(apply.status == 0, "\(apply)")
            _ = try await Self.readyPID(ws, "a")
            _ = try await Self.readyPID(ws, "b")
            #expect(!ws.exists(ws.stateDir + "/held-down.json"))
            let output = try await successor.stop()
            #expect(output.stdout.contains("held down by inferctl down"), "\(output)")
            #expect(output.stdout.contains("down hold cleared by inferctl apply"), "\(output)")
        }
    }

    @Test("down without a controller holds the directory down: a watch started later starts nothing until apply")
    func downHoldsALaterController() async throws {
        try await withWorkspace("watch-down-later") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let a = try ws.pid("a")
            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0, "\(down)")
            #expect(down.stdout.contains("held down until the next apply"), "\(down)")
            #expect(!Processes.isAlive(a))
            let watcher = try Watcher(ws)
            let api = APIEndpoint.unixSocket(ws.stateDir + "/api.sock")
            try await eventually("the first pass to settle", timeout: .seconds(30)) {
                (try? await APIClient.get(api, "/readyz").status) == 200
            }
            #expect(Processes.running(inDirectory: ws.dir).isEmpty, "a held directory started something")
            #expect(try ws.instanceStatus("a").string("phase") == "Stopped")
            _ = try await watcher.stop()
            // Without a controller, apply ends the hold itself and says so.
            let again = try await ws.inferctl("apply", ws.dir)
            #expect(again.status == 0, "\(again)")
            #expect(again.stderr.contains("apply ends the hold"), "\(again)")
            #expect(!ws.exists(ws.stateDir + "/held-down.json"))
            #expect(Processes.isAlive(try ws.pid("a")))
        }
    }

    @Test("--stop-on-exit stops the servers when the controller ends")
    func stopOnExit() async throws {
        try await withWorkspace("watch-stop") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            let watcher = try Watcher(ws, ["--stop-on-exit"])
            let a = try await Self.readyPID(ws, "a")
            let output = try await watcher.stop()
            #expect(output.status == 0, "\(output)")
            #expect(!Processes.isAlive(a))
            #expect(try ws.instanceStatus("a").string("phase") == "Stopped")
        }
    }

    @Test("a pass that changes nothing writes no file")
    func noOpPassWritesNothing() async throws {
        try await withWorkspace("quiet") { ws in
            try ws.write("a.yaml", documents(SimInstance(name: "a").yaml, consumerYAML("agent", instance: "a")))
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            let before = Self.fileIdentities(ws)
            let again = try await ws.inferctl("apply", ws.dir)
            #expect(again.status == 0, "\(again)")
            let after = Self.fileIdentities(ws)
            let rewritten = after.filter { before[$0.key] != $0.value }.keys.sorted()
            #expect(rewritten.isEmpty, "rewritten: \(rewritten)")
        }
    }

    /// Every file we write (not logs or the lock), with its inode and change time: an atomic
    /// rewrite changes both.
    static func fileIdentities(_ ws: Workspace) -> [String: String] {
        let files = FileManager.default.enumerator(atPath: ws.dir)?.compactMap { $0 as? String } ?? []
        var identities: [String: String] = [:]
        for file in files where file.hasSuffix(".json") {
            var info = stat()
            guard stat(ws.path(file), &info) == 0 else { continue }
            identities[file] = "\(info.st_ino)-\(info.st_ctim.tv_sec).\(info.st_ctim.tv_nsec)"
        }
        return identities
    }
}

extension WatchTests {
    @Test("a running server's log is rotated while it runs, past --log-max-bytes")
    func rotatesLogsWhileRunning() async throws {
        try await withWorkspace("watch-logs") { ws in
            try ws.write("a.yaml", watchedInstance("a"))
            let watcher = try Watcher(ws, ["--log-max-bytes", "1024"])
            let a = try await Self.readyPID(ws, "a")
            let log = ws.stateDir + "/logs/a.log"
            // Every health probe adds a line to the simulator's log.
            try await eventually("the log to be rotated", timeout: .seconds(60)) { ws.exists(log + ".1") }
            var info = stat()
            #expect(stat(log, &info) == 0)
            #expect(try ws.pid("a") == a, "rotation does not restart the server")
            let output = try await watcher.stop()
            #expect(output.stdout.contains("log rotated"), "\(output)")
        }
    }
}

extension WatchTests {
    @Test("wait returns 0 once the controller has made every instance Ready, and 1 for one that fails to start")
    func waitWithAController() async throws {
        try await withWorkspace("watch-wait") { ws in
            try ws.write("a.yaml", watchedInstance("a", extraArgs: ["--load-delay", "500ms"]))
            let watcher = try Watcher(ws)
            let wait = try await ws.inferctl("wait", ws.dir, "--timeout", "60s")
            #expect(wait.status == 0, "\(wait)")
            #expect(try ws.instanceStatus("a").string("phase") == "Ready")

            try ws.write("loop.yaml", watchedInstance("loop", extraArgs: ["--exit-before-ready", "3"], backoff: "1s"))
            let failing = try await ws.inferctl("wait", ws.dir, "loop", "--timeout", "60s")
            #expect(failing.status == 1, "\(failing)")
            _ = try await watcher.stop()
        }
    }
}

extension WatchTests {
    @Test("a server that fails before it is ever ready is retried with backoff, not left until the next resync")
    func failingStartIsRetried() async throws {
        try await withWorkspace("watch-retry") { ws in
            try ws.write("bad.yaml", watchedInstance("bad", extraArgs: ["--exit-before-ready", "3"], backoff: "200ms"))
            let watcher = try Watcher(ws) // resync is 30 s: retries within seconds come from the backoff
            try await eventually("several restarts", timeout: .seconds(20)) {
                (try? ws.instanceStatus("bad").int("restarts")).map { $0 >= 2 } ?? false
            }
            _ = try await watcher.stop()
        }
    }
}
