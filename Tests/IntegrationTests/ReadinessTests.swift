import Foundation
import Testing

extension EndToEnd {
    @Test("exit before ready: Failed, last exit code, log tail in the message")
    func exitBeforeReady() async throws {
        try await withWorkspace("exit-early") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--exit-before-ready", "3"]).yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            #expect(apply.stderr.contains("alpha: Failed"), "\(apply)")

            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Failed", "\(status)")
            #expect(status.int("last_exit.code") == 3, "\(status)")
            let message = status.string("message") ?? ""
            #expect(message.contains("exited with status 3"), "\(status)")
            #expect(message.contains("failed to load model"), "\(status)")
            #expect(status.objects("conditions").contains { $0.string("type") == "Ready" && $0.string("status") == "False" })
            #expect(Processes.running(inDirectory: ws.dir).isEmpty)
        }
    }

    @Test("readiness timeout: Failed with ReadinessTimeout, and the server is stopped")
    func readinessTimeout() async throws {
        try await withWorkspace("timeout") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--load-delay", "30s"], readinessTimeout: "1s").yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")

            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Failed", "\(status)")
            #expect(status.objects("conditions").contains { $0.string("reason") == "ReadinessTimeout" }, "\(status)")
            let record = try ws.record("alpha")
            let pid = try #require(record.int("process.pid").map(Int32.init), "\(record)")
            #expect(!Processes.isAlive(pid), "a server that failed readiness must be stopped")
            #expect(Processes.running(inDirectory: ws.dir).isEmpty)
        }
    }

    @Test("slow load: apply waits for it and reaches Ready")
    func slowLoadIsWaitedFor() async throws {
        try await withWorkspace("slow") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--load-delay", "1500ms"], readinessTimeout: "20s").yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Ready", "\(status)")
            let models = try await httpGet(try #require(status.string("base_url")) + "/models")
            #expect(models.status == 200)
        }
    }

    @Test("apply --no-wait leaves it Starting; the next apply adopts it and waits for Ready, same pid")
    func noWaitThenAdopt() async throws {
        try await withWorkspace("no-wait") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--load-delay", "1500ms"], readinessTimeout: "20s").yaml)
            let start = try await ws.inferctl("apply", ws.dir, "--no-wait")
            #expect(start.status == 0, "\(start)")
            let starting = try ws.instanceStatus("alpha")
            #expect(starting.string("phase") == "Starting", "\(starting)")
            let pid = try ws.pid("alpha")
            #expect(Processes.isAlive(pid))

            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(planRow("alpha", in: plan.stdout)?.prefix(2) == ["=", "adopt"], "\(plan)")

            let adopt = try await ws.inferctl("apply", ws.dir)
            #expect(adopt.status == 0, "\(adopt)")
            let ready = try ws.instanceStatus("alpha")
            #expect(ready.string("phase") == "Ready", "\(ready)")
            #expect(try ws.pid("alpha") == pid)
            #expect(Processes.running(inDirectory: ws.dir) == [pid])
        }
    }

    @Test("down escalates to SIGKILL after the grace period")
    func stopEscalatesToKill() async throws {
        try await withWorkspace("sigkill") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--ignore-sigterm"], gracePeriod: "500ms").yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let pid = try ws.pid("alpha")

            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0, "\(down)")
            #expect(down.stdout.contains("killed after grace"), "\(down)")
            #expect(!Processes.isAlive(pid))
            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Stopped", "\(status)")
            #expect(!status.has("pid"), "\(status)")
        }
    }
}
