import Foundation
import Testing

extension EndToEnd {
    @Test("editing readiness, stop and restart settings restarts nothing")
    func watchSettingsRestartNothing() async throws {
        try await withWorkspace("watch-settings") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let pid = try ws.pid("alpha")

            try ws.write("alpha.yaml", SimInstance(name: "alpha", readinessTimeout: "45s", gracePeriod: "700ms", restartBackoff: "2s").yaml)
            let plan = try await ws.inferctl("plan", ws.dir, "--detailed-exitcode")
            #expect(plan.status == 0, "\(plan)")
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            #expect(apply.stdout.contains("No changes"), "\(apply)")
            #expect(try ws.pid("alpha") == pid)
            #expect(Processes.isAlive(pid))
            #expect(try ws.record("alpha").int("stopGraceMilliseconds") == 700, "the new grace period applies to the running server's next stop")
        }
    }

    @Test("renaming an instance on a fixed port: the old one is stopped first, freeing the port for the new one")
    func renameOnFixedPort() async throws {
        try await withWorkspace("rename") { ws in
            let port = try freePortFromOS()
            try ws.write("server.yaml", SimInstance(name: "alpha", port: String(port)).yaml)
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let old = try ws.pid("alpha")
            #expect(try ws.instanceStatus("alpha").int("port") == port)

            try ws.write("server.yaml", SimInstance(name: "beta", port: String(port)).yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            #expect(planRow("alpha", in: apply.stdout)?.prefix(2) == ["-", "stop"], "\(apply)")
            #expect(planRow("beta", in: apply.stdout)?.prefix(2) == ["+", "spawn"], "\(apply)")
            #expect(!Processes.isAlive(old))
            let beta = try ws.instanceStatus("beta")
            #expect(beta.string("phase") == "Ready", "\(beta)")
            #expect(beta.int("port") == port)
            #expect(!ws.exists(ws.instanceStatusPath("alpha")))
            #expect(Processes.running(inDirectory: ws.dir) == [try ws.pid("beta")])
        }
    }

    @Test("two instances on one fixed port are refused by validation, and apply touches nothing")
    func fixedPortCollision() async throws {
        try await withWorkspace("port-collision") { ws in
            let port = try freePortFromOS()
            try ws.write("alpha.yaml", SimInstance(name: "alpha", port: String(port)).yaml)
            try ws.write("beta.yaml", SimInstance(name: "beta", port: String(port)).yaml)
            let validate = try await ws.inferctl("validate", ws.dir)
            #expect(validate.status == 1, "\(validate)")
            #expect(validate.stderr.contains("spec.server.port"), "\(validate)")
            #expect(validate.stderr.contains("\(port)"), "\(validate)")
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            #expect(!ws.exists(ws.stateDir))
        }
    }

    @Test("restart policy Never: a crashed server is not started again and is not reported Ready")
    func restartPolicyNever() async throws {
        try await withWorkspace("never") { ws in
            let yaml = SimInstance(name: "alpha", extraArgs: ["--crash-after", "1s"]).yaml + "  restart: {policy: Never}\n"
            try ws.write("alpha.yaml", yaml)
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let pid = try ws.pid("alpha")
            try await eventually("the simulated crash of pid \(pid)") { !Processes.isAlive(pid) }

            let plan = try await ws.inferctl("plan", ws.dir)
            let row = try #require(planRow("alpha", in: plan.stdout), "\(plan)")
            #expect(row[1] == "noop" && row[3].contains("restart policy Never"), "\(plan)")
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "a crashed instance left down has not converged: \(apply)")
            #expect(Processes.running(inDirectory: ws.dir).isEmpty)
            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") != "Ready", "\(status)")
            #expect(status.string("health") != "healthy", "\(status)")
        }
    }

    @Test("apply --timeout caps every readiness timeout")
    func applyTimeoutCaps() async throws {
        try await withWorkspace("timeout-cap") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--load-delay", "30s"], readinessTimeout: "20s").yaml)
            let apply = try await ws.inferctl("apply", ws.dir, "--timeout", "700ms")
            #expect(apply.status == 1, "\(apply)")
            let status = try ws.instanceStatus("alpha")
            #expect(status.objects("conditions").contains { $0.string("reason") == "ReadinessTimeout" }, "\(status)")
            #expect(Processes.running(inDirectory: ws.dir).isEmpty)
        }
    }
}
