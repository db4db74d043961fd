import Foundation
import Testing

extension EndToEnd {
    @Test("spawn to ready: status, endpoint, consumer, own process group")
    func spawnToReady() async throws {
        try await withWorkspace("spawn") { ws in
            try ws.write("alpha.yaml", documents(SimInstance(name: "alpha", identity: "alpha-model").yaml,
                                                 consumerYAML("agent", instance: "alpha")))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")

            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Ready", "\(status)")
            #expect(status.string("health") == "healthy")
            #expect(status.string("kind") == "InstanceStatus")
            let pid = try ws.pid("alpha")
            #expect(Processes.isAlive(pid))
            // Its own session and process group, so a stop reaches all of it and nothing of ours.
            #expect(getsid(pid) == pid)
            #expect(getpgid(pid) == pid)
            #expect(ws.exists(ws.recordPath("alpha")))
            #expect(ws.exists(ws.stateDir + "/logs/alpha.log"))

            let baseURL = try #require(status.string("base_url"))
            #expect(baseURL.hasPrefix("http://127.0.0.1:"))
            #expect(baseURL == "http://127.0.0.1:\(status.int("port") ?? -1)/v1")
            let models = try await httpGet(baseURL + "/models")
            #expect(models.status == 200)
            #expect(models.body.contains("\"alpha-model\""), "\(models.body)")

            let consumer = try ws.consumerStatus("agent")
            #expect(consumer.bool("ready") == true, "\(consumer)")
            #expect(consumer.string("instance") == "alpha")
            #expect(consumer.string("endpoint.base_url") == baseURL)
            #expect(consumer.string("endpoint.model_identity") == "alpha-model")
            #expect(consumer.bool("compatibility.compatible") == true)
        }
    }

    @Test("a second apply adopts the running server: No changes, same pid")
    func secondApplyAdopts() async throws {
        try await withWorkspace("adopt") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let pid = try ws.pid("alpha")

            let second = try await ws.inferctl("apply", ws.dir)
            #expect(second.status == 0, "\(second)")
            #expect(second.stdout.contains("No changes"), "\(second)")
            #expect(planRow("alpha", in: second.stdout)?.prefix(2) == ["=", "noop"], "\(second)")
            #expect(try ws.pid("alpha") == pid)
            #expect(Processes.isAlive(pid))
            #expect(Processes.running(inDirectory: ws.dir) == [pid])
            #expect(try ws.instanceStatus("alpha").string("phase") == "Ready")
        }
    }

    @Test("a spec change replaces only that instance (Recreate keeps an automatic port)")
    func specChangeReplacesOnlyThatInstance() async throws {
        try await withWorkspace("replace") { ws in
            let recreate = "  rollout: {strategy: Recreate}\n"
            try ws.write("alpha.yaml", SimInstance(name: "alpha", identity: "a").yaml + recreate)
            try ws.write("beta.yaml", SimInstance(name: "beta", identity: "x").yaml)
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let alphaBefore = try ws.pid("alpha"), betaBefore = try ws.pid("beta")
            let alphaPort = try ws.instanceStatus("alpha").int("port")

            try ws.write("alpha.yaml", SimInstance(name: "alpha", identity: "b").yaml + recreate)
            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(plan.status == 0, "\(plan)")
            #expect(planRow("alpha", in: plan.stdout) == ["~", "replace", "alpha", "spec changed: model.identity a -> b"], "\(plan)")
            #expect(planRow("beta", in: plan.stdout)?.prefix(2) == ["=", "noop"], "\(plan)")

            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let alphaAfter = try ws.pid("alpha")
            #expect(alphaAfter != alphaBefore)
            #expect(Processes.isAlive(alphaAfter))
            #expect(!Processes.isAlive(alphaBefore))
            #expect(try ws.pid("beta") == betaBefore)
            #expect(Processes.isAlive(betaBefore))

            let alpha = try ws.instanceStatus("alpha")
            #expect(alpha.string("phase") == "Ready")
            #expect(alpha.string("endpoint.model_identity") == "b")
            #expect(alpha.int("port") == alphaPort, "port: auto is kept across a replacement")
            let models = try await httpGet(try #require(alpha.string("base_url")) + "/models")
            #expect(models.body.contains("\"b\""), "\(models.body)")
            #expect(Set(Processes.running(inDirectory: ws.dir)) == [alphaAfter, betaBefore])
        }
    }

    @Test("a removed manifest is pruned: process, status file and record gone")
    func removedManifestIsPruned() async throws {
        try await withWorkspace("prune") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            try ws.write("beta.yaml", documents(SimInstance(name: "beta").yaml, consumerYAML("beta-user", instance: "beta")))
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let alpha = try ws.pid("alpha"), beta = try ws.pid("beta")
            #expect(ws.exists(ws.consumerStatusPath("beta-user")))

            try ws.remove("beta.yaml")
            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(planRow("beta", in: plan.stdout) == ["-", "stop", "beta", "manifest removed"], "\(plan)")

            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            #expect(!Processes.isAlive(beta))
            #expect(!ws.exists(ws.instanceStatusPath("beta")))
            #expect(!ws.exists(ws.recordPath("beta")))
            #expect(!ws.exists(ws.consumerStatusPath("beta-user")), "the removed consumer's status file is stale")
            #expect(try ws.pid("alpha") == alpha)
            #expect(Processes.running(inDirectory: ws.dir) == [alpha])
        }
    }

    @Test("a killed server is restarted by the next apply")
    func killedServerIsRestarted() async throws {
        try await withWorkspace("restart") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", restartBackoff: "200ms").yaml)
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let old = try ws.pid("alpha")

            kill(old, SIGKILL)
            try await eventually("pid \(old) to die") { !Processes.isAlive(old) }

            let plan = try await ws.inferctl("plan", ws.dir, "--detailed-exitcode")
            #expect(plan.status == 2, "\(plan)")
            #expect(planRow("alpha", in: plan.stdout)?.prefix(2) == ["~", "restart"], "\(plan)")

            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let status = try ws.instanceStatus("alpha")
            let new = try ws.pid("alpha")
            #expect(new != old)
            #expect(Processes.isAlive(new))
            #expect(status.string("phase") == "Ready", "\(status)")
            #expect(status.int("restarts") == 1, "\(status)")
            #expect(status.has("last_exit"), "\(status)")
            #expect(status.has("last_exit.status"))
            #expect(status.has("last_exit.at"))

            let after = try await ws.inferctl("plan", ws.dir, "--detailed-exitcode")
            #expect(after.status == 0, "\(after)")
        }
    }
}
