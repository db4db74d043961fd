import Foundation
import Testing

/// An on-demand simulated instance and a consumer of it.
func onDemandInstance(_ name: String, idleTimeout: String? = nil) -> String {
    SimInstance(name: name).yaml + "  activation: {mode: OnDemand\(idleTimeout.map { ", idleTimeout: \($0)" } ?? "")}\n"
}

@Suite("leases and ensure", .serialized, .timeLimit(.minutes(3)))
struct LeaseTests {
    static func leases(_ ws: Workspace) async throws -> [[String: Any]] {
        let list = try await ws.inferctl("lease", "list", ws.dir, "-o", "json")
        #expect(list.status == 0, "\(list)")
        let object = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any]
        return object?["leases"] as? [[String: Any]] ?? []
    }

    static func ensured(_ result: CommandResult) throws -> JSONObject {
        #expect(result.status == 0, "\(result)")
        return JSONObject(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] ?? [:])
    }

    @Test("ensure starts an on-demand instance and leases it; renew, release; idle-stop after the last lease; ensure starts it again")
    func onDemandLifecycle() async throws {
        try await withWorkspace("lease-ondemand") { ws in
            try ws.write("chat.yaml", documents(onDemandInstance("chat", idleTimeout: "1s"), consumerYAML("app", instance: "chat")))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            #expect(Processes.running(inDirectory: ws.dir).isEmpty, "an on-demand instance was started without a lease")

            let first = try Self.ensured(try await ws.inferctl("ensure", "app", ws.dir, "--owner", "job-1", "--ttl", "60s", "-o", "json"))
            let reference = try #require(first.string("lease.lease_ref"))
            #expect(first.string("endpoint.lease_ref") == reference)
            #expect(first.bool("compatibility.compatible") == true)
            let pid = try ws.pid("chat")
            #expect(Processes.isAlive(pid))
            let reply = try await httpGet(try #require(first.string("endpoint.base_url")) + "/models")
            #expect(reply.status == 200)
            #expect(try await Self.leases(ws).compactMap { $0["lease_ref"] as? String } == [reference])

            let renew = try await ws.inferctl("lease", "renew", reference, ws.dir, "--ttl", "120s", "-o", "json")
            #expect(renew.status == 0, "\(renew)")
            #expect(renew.stdout.contains("\"ttl_ms\" : 120000"), "\(renew)")
            // While leased, no pass stops it for idleness.
            let leasedPlan = try await ws.inferctl("plan", ws.dir)
            #expect(!leasedPlan.stdout.contains("idle-stop"), "\(leasedPlan)")

            let release = try await ws.inferctl("lease", "release", reference, ws.dir)
            #expect(release.status == 0, "\(release)")
            #expect(try await Self.leases(ws).isEmpty)
            let again = try await ws.inferctl("lease", "release", reference, ws.dir)
            #expect(again.status == 1 && again.stderr.contains("no lease \(reference)"), "\(again)")

            try await eventually("plan to stop it for idleness", timeout: .seconds(20)) {
                try await ws.inferctl("plan", ws.dir).stdout.contains("idle-stop")
            }
            let idle = try await ws.inferctl("apply", ws.dir)
            #expect(idle.status == 0, "\(idle)")
            #expect(!Processes.isAlive(pid))
            #expect(try ws.instanceStatus("chat").string("phase") == "Stopped")
            let conditions = try ws.instanceStatus("chat").value("conditions") as? [[String: Any]] ?? []
            #expect(conditions.first { $0["type"] as? String == "Ready" }?["reason"] as? String == "Idle", "\(conditions)")

            let second = try Self.ensured(try await ws.inferctl("ensure", "app", ws.dir, "--owner", "job-2", "-o", "json"))
            #expect(second.string("lease.lease_ref") != reference)
            #expect(Processes.isAlive(try ws.pid("chat")))
        }
    }

    @Test("ensure --env prints variables a shell can eval, the lease included")
    func ensureEnv() async throws {
        try await withWorkspace("lease-env") { ws in
            try ws.write("chat.yaml", documents(onDemandInstance("chat"), consumerYAML("app", instance: "chat")))
            let env = try await ws.inferctl("ensure", "app", ws.dir, "--owner", "shell user's job", "--env")
            #expect(env.status == 0, "\(env)")
            let shell = Process()
            shell.executableURL = URL(fileURLWithPath: "/bin/sh")
            shell.arguments = ["-c", env.stdout + "\nprintf '%s|%s|%s' \"$OPENAI_BASE_URL\" \"$OPENAI_MODEL\" \"$INFERCTL_LEASE\""]
            let pipe = Pipe()
            shell.standardOutput = pipe
            try shell.run()
            shell.waitUntilExit()
            let fields = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "|").map(String.init)
            #expect(fields.count == 3, "\(fields)")
            #expect(fields.first?.hasPrefix("http://127.0.0.1:") == true && fields.first?.hasSuffix("/v1") == true)
            #expect(fields.dropFirst().first == "sim-model")
            #expect(fields.last?.hasPrefix("lease-") == true)
        }
    }

    @Test("fifty concurrent ensure calls without a controller start one process and hand out fifty leases")
    func fiftyWithoutController() async throws {
        try await withWorkspace("lease-fifty") { ws in
            try ws.write("chat.yaml", documents(onDemandInstance("chat"), consumerYAML("app", instance: "chat")))
            try await Self.fiftyEnsures(ws)
        }
    }

    @Test("fifty concurrent ensure calls through a running controller start one process and hand out fifty leases")
    func fiftyThroughController() async throws {
        try await withWorkspace("lease-fifty-watch") { ws in
            try ws.write("chat.yaml", documents(onDemandInstance("chat"), consumerYAML("app", instance: "chat")))
            let watcher = try Watcher(ws)
            let api = APIEndpoint.unixSocket(ws.stateDir + "/api.sock")
            try await eventually("the controller to settle", timeout: .seconds(30)) { (try? await APIClient.get(api, "/readyz").status) == 200 }
            #expect(Processes.running(inDirectory: ws.dir).isEmpty)
            try await Self.fiftyEnsures(ws)
            _ = try await watcher.stop()
        }
    }

    static func fiftyEnsures(_ ws: Workspace) async throws {
        let commands = try (0..<50).map { index in
            try Inferctl.start(["ensure", "app", ws.dir, "--owner", "worker-\(index)", "--ttl", "5m", "-o", "json"])
        }
        var references: Set<String> = []
        for command in commands {
            let result = try await command.finish(timeout: .seconds(120))
            references.insert(try #require(try Self.ensured(result).string("lease.lease_ref"), "\(result)"))
        }
        #expect(references.count == 50)
        #expect(Processes.running(inDirectory: ws.dir).count == 1, "\(Processes.running(inDirectory: ws.dir))")
        #expect(Set(try await Self.leases(ws).compactMap { $0["lease_ref"] as? String }) == references)
    }

    @Test("an instance held by a live lease is not pruned without --force; plan and apply name the lease")
    func leasedPruneNeedsForce() async throws {
        try await withWorkspace("lease-prune") { ws in
            try ws.write("chat.yaml", SimInstance(name: "chat").yaml)
            try ws.write("app.yaml", consumerYAML("app", instance: "chat"))
            let first = try Self.ensured(try await ws.inferctl("ensure", "app", ws.dir, "--owner", "nightly", "-o", "json"))
            let reference = try #require(first.string("lease.lease_ref"))
            let pid = try ws.pid("chat")
            try ws.remove("chat.yaml")
            try ws.remove("app.yaml")
            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(plan.stdout.contains(reference) && plan.stdout.contains("owner nightly") && plan.stdout.contains("--force"), "\(plan)")
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.stdout.contains(reference), "\(apply)")
            #expect(Processes.isAlive(pid), "a leased instance was pruned")
            let forced = try await ws.inferctl("apply", ws.dir, "--force")
            #expect(forced.status == 0, "\(forced)")
            #expect(!Processes.isAlive(pid))
            #expect(try await Self.leases(ws).isEmpty, "a pruned instance's leases are dropped")
        }
    }

    @Test("an expired lease is dropped by the next pass; under watch at its expiry, and the idle instance is stopped")
    func expiry() async throws {
        try await withWorkspace("lease-expiry") { ws in
            try ws.write("chat.yaml", documents(onDemandInstance("chat", idleTimeout: "500ms"), consumerYAML("app", instance: "chat")))
            let watcher = try Watcher(ws)
            let api = APIEndpoint.unixSocket(ws.stateDir + "/api.sock")
            try await eventually("the controller to settle", timeout: .seconds(30)) { (try? await APIClient.get(api, "/readyz").status) == 200 }
            let ensured = try Self.ensured(try await ws.inferctl("ensure", "app", ws.dir, "--owner", "short", "--ttl", "1s", "-o", "json"))
            let reference = try #require(ensured.string("lease.lease_ref"))
            let pid = try ws.pid("chat")
            // No pass is asked for: the controller acts at the expiry, then at the idle deadline.
            try await eventually("the lease to be dropped", timeout: .seconds(20)) { try await Self.leases(ws).isEmpty }
            try await eventually("the idle instance to be stopped and said so", timeout: .seconds(20)) {
                !Processes.isAlive(pid) && (try? ws.instanceStatus("chat").string("phase")) == "Stopped"
            }
            try await eventually("its consumer to say Idle, without an endpoint") {
                let consumer = try? ws.consumerStatus("app")
                return consumer?.string("reason") == "Idle" && consumer?.object("endpoint") == nil
            }
            let renew = try await ws.inferctl("lease", "renew", reference, ws.dir)
            #expect(renew.status == 1, "\(renew)")
            _ = try await watcher.stop()
        }
    }

    @Test("forged lease files (garbage, a path-like instance, a symbolic link, a wrong name) hold nothing and are named")
    func forgedLeases() async throws {
        try await withWorkspace("lease-forged") { ws in
            try ws.write("chat.yaml", documents(onDemandInstance("chat"), consumerYAML("app", instance: "chat")))
            _ = try await ws.inferctl("apply", ws.dir)
            let folder = ws.stateDir + "/leases/"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let now = ISO8601DateFormatter().string(from: Date())
            let forged = """
            {"contract_version":"1.0","lease_ref":"lease-11111111111111111111111111111111","owner_ref":"x","consumer":"app",
             "instance":"../../chat","acquired_at":"\(now)","renewed_at":"\(now)","ttl_ms":600000,"renewable":true}
            """
            try forged.write(toFile: folder + "lease-11111111111111111111111111111111.json", atomically: true, encoding: .utf8)
            try "garbage".write(toFile: folder + "lease-22222222222222222222222222222222.json", atomically: true, encoding: .utf8)
            try forged.replacingOccurrences(of: "../../chat", with: "chat")
                .write(toFile: folder + "chat.json", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: folder + "lease-33333333333333333333333333333333.json",
                                                       withDestinationPath: "/etc/passwd")
            let list = try await ws.inferctl("lease", "list", ws.dir)
            #expect(list.status == 0, "\(list)")
            #expect(list.stdout.contains("No leases"), "\(list)")
            for name in ["lease-1111", "lease-2222", "lease-3333", "leases/chat.json"] { #expect(list.stderr.contains(name), "\(name): \(list)") }
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            #expect(Processes.running(inDirectory: ws.dir).isEmpty, "a forged lease started the instance")
            let release = try await ws.inferctl("lease", "release", "../../etc/passwd", ws.dir)
            #expect(release.status == 1 && release.stderr.contains("not a lease reference"), "\(release)")
        }
    }
}
