import Foundation
import Testing

/// `inferctl wait`: 0 met, 1 failed, 2 timed out; it follows the status files whoever writes them.
extension EndToEnd {
    /// `inferctl wait ARGS` started now, cleaned up with the workspace if the test ends early.
    func startWait(_ ws: Workspace, _ arguments: String...) throws -> RunningCommand {
        let wait = try Inferctl.start(["wait"] + arguments)
        ws.track(wait.pid)
        return wait
    }

    @Test("wait, started alongside apply --no-wait, exits 0 once the status files say Ready")
    func waitForReady() async throws {
        try await withWorkspace("wait-ready") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--load-delay", "300ms"]).yaml)
            try ws.write("beta.yaml", SimInstance(name: "beta").yaml)
            let wait = try startWait(ws, ws.dir, "--timeout", "90s")
            let noWait = try await ws.inferctl("apply", ws.dir, "--no-wait")
            #expect(noWait.status == 0, "\(noWait)")
            #expect(try ws.instanceStatus("alpha").string("phase") == "Starting")
            // Without a controller, nothing rewrites a Starting status: wait keeps waiting …
            #expect(Processes.isAlive(wait.pid), "wait ended while the status files said Starting")
            // … until a writer (here apply, which adopts and waits; or watch) publishes Ready.
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let result = try await wait.finish(timeout: .seconds(30))
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("alpha: Ready"), "\(result)")
            #expect(result.stdout.contains("beta: Ready"), "\(result)")
            #expect(result.stdout.contains("Wait complete: 2 of 2 instances ready."), "\(result)")

            // Already ready: at once, also for named instances and as JSON.
            let again = try await ws.inferctl("wait", ws.dir, "beta", "-o", "json", "--timeout", "10s")
            #expect(again.status == 0, "\(again)")
            let report = JSONObject(try #require(try JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any]))
            #expect(report.bool("met") == true, "\(report)")
            #expect(report.bool("timed_out") == false)
            #expect(report.objects("instances").map { $0.string("name") } == ["beta"])
            #expect(report.objects("instances").first?.string("phase") == "Ready")
            #expect(report.objects("instances").first?.bool("met") == true)

            // After an edit the status still says Ready, but for the earlier manifest: not yet.
            try ws.write("beta.yaml", SimInstance(name: "beta", identity: "edited").yaml)
            let edited = try await ws.inferctl("wait", ws.dir, "beta", "--timeout", "300ms")
            #expect(edited.status == 2, "\(edited)")
            #expect(edited.stderr.contains("beta: Ready: its status (Ready) is for an earlier version of its manifest"), "\(edited)")
        }
    }

    @Test("wait exits 1 for a server that fails to load, whether the status says Starting or Failed")
    func waitForAFailure() async throws {
        try await withWorkspace("wait-failed") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--exit-before-ready", "3"]).yaml)
            // apply --no-wait leaves it Starting; its process dies and no controller says so: wait sees it.
            let wait = try startWait(ws, ws.dir, "--timeout", "60s")
            let noWait = try await ws.inferctl("apply", ws.dir, "--no-wait")
            #expect(noWait.status == 0, "\(noWait)")
            let early = try await wait.finish(timeout: .seconds(30))
            #expect(early.status == 1, "\(early)")
            #expect(early.stderr.contains("alpha: Failed"), "\(early)")
            #expect(early.stdout.contains("Wait failed: alpha failed"), "\(early)")

            // apply records it Failed: wait says so at once.
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            #expect(try ws.instanceStatus("alpha").string("phase") == "Failed")
            let late = try await ws.inferctl("wait", ws.dir, "-o", "json", "--timeout", "30s")
            #expect(late.status == 1, "\(late)")
            let report = JSONObject(try #require(try JSONSerialization.jsonObject(with: Data(late.stdout.utf8)) as? [String: Any]))
            #expect(report.bool("met") == false, "\(report)")
            #expect(report.bool("timed_out") == false)
            let alpha = try #require(report.objects("instances").first)
            #expect(alpha.string("phase") == "Failed")
            #expect(alpha.string("state") == "failed")
            #expect(alpha.string("message")?.contains("3") == true, "\(alpha)")
        }
    }

    @Test("wait exits 1 when a Ready server's process has died and no controller noticed")
    func waitSeesADeadProcess() async throws {
        try await withWorkspace("wait-dead") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let pid = try ws.pid("alpha")
            Processes.kill(pid)
            try await eventually("server \(pid) to die") { !Processes.isAlive(pid) }
            #expect(try ws.instanceStatus("alpha").string("phase") == "Ready") // the file still says so
            let wait = try await ws.inferctl("wait", ws.dir, "--timeout", "30s")
            #expect(wait.status == 1, "\(wait)")
            #expect(wait.stderr.contains("no longer running"), "\(wait)")
        }
    }

    @Test("wait exits 2 on timeout, naming what is not ready and why")
    func waitTimesOut() async throws {
        try await withWorkspace("wait-timeout") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--load-delay", "30s"]).yaml)
            let noWait = try await ws.inferctl("apply", ws.dir, "--no-wait")
            #expect(noWait.status == 0, "\(noWait)")
            let wait = try await ws.inferctl("wait", ws.dir, "--timeout", "1s")
            #expect(wait.status == 2, "\(wait)")
            #expect(wait.stderr.contains("alpha: Starting"), "\(wait)")
            #expect(wait.stdout.contains("Timed out after 1s: 0 of 1 instance ready; not yet: alpha."), "\(wait)")

            let json = try await ws.inferctl("wait", ws.dir, "alpha", "-o", "json", "--timeout", "500ms")
            #expect(json.status == 2, "\(json)")
            let report = JSONObject(try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]))
            #expect(report.bool("timed_out") == true, "\(report)")
            #expect(report.bool("met") == false)
            #expect(report.objects("instances").first?.string("state") == "pending")
        }
    }

    @Test("wait --for deleted: 2 before the prune, 0 once apply has pruned")
    func waitForDeleted() async throws {
        try await withWorkspace("wait-deleted") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            try ws.write("beta.yaml", SimInstance(name: "beta").yaml)
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let betaPid = try ws.pid("beta")
            try ws.remove("beta.yaml")

            let before = try await ws.inferctl("wait", ws.dir, "beta", "--for", "deleted", "--timeout", "300ms")
            #expect(before.status == 2, "\(before)")
            #expect(before.stderr.contains("beta: Ready: its status file remains"), "\(before)")
            // With no NAME: whatever DIR no longer declares but still has a status file or record.
            let leftovers = try await ws.inferctl("wait", ws.dir, "--for", "deleted", "--timeout", "300ms")
            #expect(leftovers.status == 2, "\(leftovers)")
            #expect(leftovers.stdout.contains("not yet: beta."), "\(leftovers)")

            let wait = try startWait(ws, ws.dir, "beta", "--for", "deleted", "--timeout", "60s")
            let prune = try await ws.inferctl("apply", ws.dir)
            #expect(prune.status == 0, "\(prune)")
            let after = try await wait.finish(timeout: .seconds(30))
            #expect(after.status == 0, "\(after)")
            #expect(after.stdout.contains("beta: deleted"), "\(after)")
            #expect(!Processes.isAlive(betaPid))

            let nothingLeft = try await ws.inferctl("wait", ws.dir, "--for", "deleted", "--timeout", "5s")
            #expect(nothingLeft.status == 0, "\(nothingLeft)")
            // Stopped by down is not deleted: the record stays, for the next apply.
            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0, "\(down)")
            let stopped = try await ws.inferctl("wait", ws.dir, "alpha", "--for", "deleted", "--timeout", "300ms")
            #expect(stopped.status == 2, "\(stopped)")
            #expect(stopped.stderr.contains("alpha: Stopped"), "\(stopped)")
        }
    }

    @Test("wait refuses an unknown NAME, invalid manifests and a missing DIR with exit 1")
    func waitRefusesWhatCanNeverBeMet() async throws {
        try await withWorkspace("wait-unknown") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            let unknown = try await ws.inferctl("wait", ws.dir, "alpha", "nosuch", "--timeout", "30s")
            #expect(unknown.status == 1, "\(unknown)")
            #expect(unknown.stderr.contains("no instance named 'nosuch'"), "\(unknown)")
            #expect(!unknown.stderr.contains("'alpha'"), "\(unknown)")
            let invalid = try await ws.inferctl("wait", ws.dir, "Not_A_Name", "--timeout", "30s")
            #expect(invalid.status == 1, "\(invalid)")
            #expect(invalid.stderr.contains("not an instance name"), "\(invalid)")
            // Something never there is already deleted.
            let gone = try await ws.inferctl("wait", ws.dir, "nosuch", "--for", "deleted", "--timeout", "30s")
            #expect(gone.status == 0, "\(gone)")

            try ws.write("broken.yaml", "apiVersion: inference.selfhosted/v1\nkind: Instance\nmetadata: {name: broken}\nspec: {}\n")
            let broken = try await ws.inferctl("wait", ws.dir, "--timeout", "30s")
            #expect(broken.status == 1, "\(broken)")
            #expect(broken.stderr.contains("broken.yaml:"), "\(broken)")

            let missing = try await ws.inferctl("wait", ws.path("not/there"), "--timeout", "30s")
            #expect(missing.status == 1, "\(missing)")
            #expect(missing.stderr.contains("no such directory"), "\(missing)")
            #expect(!ws.exists(ws.path("not")))
        }
    }
}
