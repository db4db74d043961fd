import Foundation
import Testing

extension EndToEnd {
    /// A process we did not start, standing in for whatever the kernel gave a recycled pid to.
    static func startSleep() throws -> Process {
        let sleep = Process()
        sleep.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: "/bin/sleep") ? "/bin/sleep" : "/usr/bin/sleep")
        sleep.arguments = ["600"]
        try sleep.run()
        return sleep
    }

    /// Rewrites the recorded pid of `instance`, keeping every other field (the start time too).
    static func pointRecord(_ ws: Workspace, _ instance: String, atPID pid: Int32) throws {
        let url = URL(fileURLWithPath: ws.recordPath(instance))
        var record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var process = try #require(record["process"] as? [String: Any])
        process["pid"] = Int(pid)
        record["process"] = process
        try JSONSerialization.data(withJSONObject: record, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    @Test("a recycled pid is never adopted nor signalled, by apply or by down")
    func pidReuseIsDetected() async throws {
        try await withWorkspace("pid-reuse") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", restartBackoff: "100ms").yaml)
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 0, "\(first)")
            let original = try ws.pid("alpha")

            let sleep = try Self.startSleep()
            ws.track(sleep.processIdentifier)
            defer { if sleep.isRunning { sleep.terminate() } }
            let sleepPID = sleep.processIdentifier

            // The real server dies; its pid is "reused" by the sleep (same start time in the record).
            Processes.kill(original)
            try await eventually("pid \(original) to die") { !Processes.isAlive(original) }
            try Self.pointRecord(ws, "alpha", atPID: sleepPID)

            let plan = try await ws.inferctl("plan", ws.dir)
            let row = try #require(planRow("alpha", in: plan.stdout), "\(plan)")
            #expect(row[1] != "adopt" && row[1] != "noop", "\(plan)")
            #expect(row[3].contains("another process"), "\(plan)")

            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            #expect(Processes.isAlive(sleepPID), "apply signalled a process that is not ours")
            let replacement = try ws.pid("alpha")
            #expect(replacement != sleepPID)
            #expect(replacement != original)
            #expect(Processes.isAlive(replacement))
            #expect(try ws.instanceStatus("alpha").string("phase") == "Ready")

            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0, "\(down)")
            #expect(!Processes.isAlive(replacement))
            #expect(Processes.isAlive(sleepPID), "down signalled a process that is not ours")

            // down itself, faced with a record whose pid was recycled, never signals that pid: the
            // spawn token still names the real server, which down finds and stops.
            let again = try await ws.inferctl("apply", ws.dir)
            #expect(again.status == 0, "\(again)")
            let third = try ws.pid("alpha")
            ws.track(third)
            try Self.pointRecord(ws, "alpha", atPID: sleepPID)
            let down2 = try await ws.inferctl("down", ws.dir)
            #expect(down2.status == 0, "\(down2)")
            #expect(down2.stderr.contains("does not carry its spawn token"), "\(down2)")
            #expect(Processes.isAlive(sleepPID), "down signalled a process that is not ours")
            try await eventually("the real server to be stopped") { !Processes.isAlive(third) }

            sleep.terminate()
        }
    }

    @Test("two concurrent applies on one directory start exactly one server")
    func concurrentAppliesDoNotDuplicate() async throws {
        try await withWorkspace("concurrent") { ws in
            try ws.write("alpha.yaml", documents(SimInstance(name: "alpha", extraArgs: ["--load-delay", "500ms"]).yaml,
                                                 consumerYAML("agent", instance: "alpha")))
            let one = try Inferctl.start(["apply", ws.dir])
            let two = try Inferctl.start(["apply", ws.dir])
            async let firstResult = one.finish()
            async let secondResult = two.finish()
            let results = try await [firstResult, secondResult]

            for result in results { #expect(result.status == 0, "\(result)") }
            let spawned = results.filter { $0.stdout.contains("Plan: 1 to spawn") }
            #expect(spawned.count == 1, "\(results)")
            let other = results.first { !$0.stdout.contains("Plan: 1 to spawn") }
            #expect(other.map { $0.stdout.contains("No changes") || $0.stderr.contains("waiting for lock") } == true, "\(results)")

            let pid = try ws.pid("alpha")
            #expect(Processes.running(inDirectory: ws.dir) == [pid])
            #expect(try ws.instanceStatus("alpha").string("phase") == "Ready")
            #expect(try ws.consumerStatus("agent").bool("ready") == true)
        }
    }
}
