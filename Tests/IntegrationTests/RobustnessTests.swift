import Foundation
import Testing

extension EndToEnd {
    @Test("an apply killed while waiting for readiness leaves a record the next apply adopts: no duplicate")
    func killedApplyIsAdopted() async throws {
        try await withWorkspace("killed-apply") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--load-delay", "2s"], readinessTimeout: "20s").yaml)
            let apply = try Inferctl.start(["apply", ws.dir])
            try await eventually("the record of the launched server") {
                (try? ws.record("alpha").int("process.pid")) != nil
            }
            let pid = try #require(try ws.record("alpha").int("process.pid").map(Int32.init))
            kill(apply.pid, SIGKILL)
            let killed = try await apply.finish()
            #expect(killed.status != 0, "\(killed)")
            #expect(Processes.isAlive(pid), "the server outlives the apply that started it")

            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(planRow("alpha", in: plan.stdout)?.prefix(2) == ["=", "adopt"], "\(plan)")
            let again = try await ws.inferctl("apply", ws.dir)
            #expect(again.status == 0, "\(again)")
            #expect(try ws.instanceStatus("alpha").string("phase") == "Ready")
            #expect(try ws.pid("alpha") == pid)
            #expect(Processes.running(inDirectory: ws.dir) == [pid])
        }
    }

    @Test("a server that crashes after ready shows Failed in status and is restarted by apply")
    func crashAfterReady() async throws {
        try await withWorkspace("crash") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--crash-after", "2s"], restartBackoff: "100ms").yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let pid = try ws.pid("alpha")
            try await eventually("the simulated crash of pid \(pid)") { !Processes.isAlive(pid) }

            let status = try await ws.inferctl("status", ws.dir, "-o", "json")
            let list = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [[String: Any]], "\(status)")
            let live = try #require(list.map(JSONObject.init).first { $0.string("name") == "alpha" })
            #expect(live.string("phase") == "Failed", "status must not believe a record that says Ready about a dead process: \(live)")

            let restart = try await ws.inferctl("apply", ws.dir)
            #expect(restart.status == 0, "\(restart)")
            #expect(planRow("alpha", in: restart.stdout)?.prefix(2) == ["~", "restart"], "\(restart)")
            let after = try ws.instanceStatus("alpha")
            #expect(after.string("phase") == "Ready", "\(after)")
            #expect(after.int("restarts") == 1)
            #expect(after.has("last_exit"))
            #expect(try ws.pid("alpha") != pid)
        }
    }

    @Test("a fixed port already in use fails only that instance")
    func fixedPortInUse() async throws {
        try await withWorkspace("port-in-use") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let alpha = try ws.pid("alpha")
            let taken = try #require(try ws.instanceStatus("alpha").int("port"))

            try ws.write("beta.yaml", SimInstance(name: "beta", port: String(taken)).yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            let beta = try ws.instanceStatus("beta")
            #expect(beta.string("phase") == "Failed", "\(beta)")
            #expect(beta.objects("conditions").contains { $0.string("reason") == "PortUnavailable" }, "\(beta)")
            #expect((beta.string("message") ?? "").contains("\(taken)"), "\(beta)")
            #expect(try ws.pid("alpha") == alpha)
            #expect(Processes.running(inDirectory: ws.dir) == [alpha])
        }
    }

    @Test("down stops everything and marks it Stopped; the next apply starts it again on the same port")
    func downThenApply() async throws {
        try await withWorkspace("down-up") { ws in
            try ws.write("alpha.yaml", documents(SimInstance(name: "alpha").yaml, consumerYAML("agent", instance: "alpha")))
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let pid = try ws.pid("alpha")
            let port = try ws.instanceStatus("alpha").int("port")

            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0, "\(down)")
            #expect(!Processes.isAlive(pid))
            #expect(try ws.instanceStatus("alpha").string("phase") == "Stopped")
            #expect(try ws.consumerStatus("agent").bool("ready") == false)
            let again = try await ws.inferctl("down", ws.dir)
            #expect(again.stdout.contains("Nothing to stop"), "\(again)")

            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(planRow("alpha", in: plan.stdout)?.prefix(2) == ["+", "spawn"], "\(plan)")
            let up = try await ws.inferctl("apply", ws.dir)
            #expect(up.status == 0, "\(up)")
            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Ready")
            #expect(status.int("port") == port, "port: auto is kept across down and apply")
            #expect(try ws.pid("alpha") != pid)
            #expect(try ws.consumerStatus("agent").bool("ready") == true)
        }
    }

    @Test("an API key by reference reaches the server and is never written down")
    func apiKeyIsNeverWritten() async throws {
        try await withWorkspace("secret") { ws in
            let secret = "sk-integration-\(UUID().uuidString)"
            try ws.write("alpha.yaml", documents(SimInstance(name: "alpha", serverLines: ["apiKey: {env: IT_SIM_KEY}"]).yaml,
                                                 consumerYAML("agent", instance: "alpha")))
            let apply = try await Inferctl.run(["apply", ws.dir], environment: ["IT_SIM_KEY": secret])
            #expect(apply.status == 0, "\(apply)")
            #expect(!apply.output.contains(secret))
            let status = try ws.instanceStatus("alpha")
            let baseURL = try #require(status.string("base_url"))
            let pid = try ws.pid("alpha")

            #expect(try await httpGet(baseURL + "/models").status == 401)
            #expect(try await httpGet(baseURL + "/models", headers: ["Authorization": "Bearer \(secret)"]).status == 200)
            #expect(!Processes.commandLine(pid).contains(secret), "the key is on the command line, readable in ps")
            #expect(try ws.consumerStatus("agent").bool("ready") == true)

            let files = FileManager.default.enumerator(atPath: ws.dir)?.compactMap { $0 as? String } ?? []
            for file in files {
                guard let data = FileManager.default.contents(atPath: ws.path(file)) else { continue }
                #expect(!String(decoding: data, as: UTF8.self).contains(secret), "the key was written to \(file)")
            }
            let logs = try await ws.inferctl("logs", "alpha", ws.dir)
            #expect(!logs.output.contains(secret))
        }
    }
}
