import Foundation
import Testing

/// "Never a duplicate, never an orphan, never a signal to a process that is not ours", tried as a
/// hostile or careless user would: forged records, copied folders, traversal in names, pid 1.
@Suite("ownership", .serialized, .timeLimit(.minutes(3)))
struct OwnershipTests {
    /// Rewrites fields of a record file in place.
    static func editRecord(_ ws: Workspace, _ instance: String, _ edit: (inout [String: Any]) throws -> Void) throws {
        let url = URL(fileURLWithPath: ws.recordPath(instance))
        var record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        try edit(&record)
        try JSONSerialization.data(withJSONObject: record, options: [.prettyPrinted, .sortedKeys]).write(to: url)
    }

    /// Points a record at `pid` with that process's true start time: a forgery /proc cannot expose.
    static func forge(_ ws: Workspace, _ instance: String, pid: Int32, token: String?? = .none) throws {
        let start = try #require(Processes.startTimeTicks(pid))
        try editRecord(ws, instance) { record in
            var process = try #require(record["process"] as? [String: Any])
            process["pid"] = Int(pid)
            process["startTimeTicks"] = Int(start)
            record["process"] = process
            if case .some(let replacement) = token { record["spawnToken"] = replacement ?? NSNull() }
        }
    }

    @Test("a record forged with a foreign pid and its true start time is never adopted nor signalled")
    func forgedRecord() async throws {
        try await withWorkspace("forged") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            let server = try ws.pid("alpha")
            let sleep = try EndToEnd.startSleep()
            ws.track(sleep.processIdentifier)
            defer { if sleep.isRunning { sleep.terminate() } }

            // 1. The forged pid keeps the real token: the token names the real server, which is kept.
            try Self.forge(ws, "alpha", pid: sleep.processIdentifier)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            #expect(try ws.pid("alpha") == server, "the server carrying the token is the record's: \(apply)")
            #expect(Processes.running(inDirectory: ws.dir) == [server])

            // 2. A record whose token is not ours (hand-written): the sleep is left alone by apply and down.
            try Self.forge(ws, "alpha", pid: sleep.processIdentifier, token: .some(String(repeating: "ab", count: 16) + "." + String(repeating: "cd", count: 16)))
            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(planRow("alpha", in: plan.stdout)?[3].contains("not proven ours") == true, "\(plan)")
            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0, "\(down)")
            #expect(down.stdout.contains("not proven ours"), "\(down)")
            #expect(sleep.isRunning, "down signalled a process that is not ours")
            // The real server no record names any more is found by its token and stopped: no orphan.
            #expect(!Processes.isAlive(server) || down.stderr.contains("no record names"), "\(down)")
            try await eventually("the unrecorded server to be gone") { !Processes.isAlive(server) }
            #expect(sleep.isRunning)
        }
    }

    @Test("a copied state folder never adopts nor stops the original's servers")
    func copiedFolder() async throws {
        try await withWorkspace("original") { original in
            try original.write("alpha.yaml", documents(SimInstance(name: "alpha").yaml, consumerYAML("agent", instance: "alpha")))
            #expect(try await original.inferctl("apply", original.dir).status == 0)
            let server = try original.pid("alpha")

            try await withWorkspace("copy") { copy in
                try FileManager.default.removeItem(atPath: copy.dir)
                let cp = Process()
                cp.executableURL = URL(fileURLWithPath: "/bin/cp")
                cp.arguments = ["-a", original.dir, copy.dir]
                try cp.run()
                cp.waitUntilExit()
                #expect(cp.terminationStatus == 0)

                let down = try await copy.inferctl("down", copy.dir)
                #expect(down.status == 0, "\(down)")
                #expect(down.stderr.contains("copy of"), "\(down)")
                #expect(Processes.isAlive(server), "down in a copy stopped the original's server")

                let apply = try await copy.inferctl("apply", copy.dir)
                #expect(apply.status == 0, "\(apply)")
                let own = try copy.pid("alpha")
                #expect(own != server)
                #expect(Processes.running(inDirectory: copy.dir) == [own])
                #expect(Processes.isAlive(server))
                #expect(try original.pid("alpha") == server)
                let status = try await original.inferctl("plan", original.dir)
                #expect(planRow("alpha", in: status.stdout)?[1] == "noop", "\(status)")
            }
            #expect(Processes.isAlive(server), "the copy's teardown stopped the original's server")
            #expect(Processes.running(inDirectory: original.dir) == [server])
        }
    }

    @Test("names read back from disk never leave their folder; logs takes only known instance names")
    func recordNameTraversal() async throws {
        try await withWorkspace("traversal") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            // A victim folder next to the manifest directory, reachable as ../../../victim from the records.
            let victim = URL(fileURLWithPath: ws.dir).deletingLastPathComponent().appendingPathComponent("victim-\(UUID().uuidString.prefix(6))")
            try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: victim) }
            let settings = victim.appendingPathComponent("settings.json")
            try Data("{\"keep\": true}".utf8).write(to: settings)
            let evil = try String(contentsOfFile: ws.recordPath("alpha"), encoding: .utf8)
                .replacingOccurrences(of: "\"name\" : \"alpha\"", with: "\"name\" : \"../../../\(victim.lastPathComponent)/settings\"")
            try ws.write(".inferctl/instances/evil.json", evil)

            for arguments in [["apply", ws.dir], ["plan", ws.dir], ["status", ws.dir], ["down", ws.dir], ["apply", ws.dir]] {
                let result = try await Inferctl.run(arguments)
                #expect(result.stderr.contains("evil.json"), "\(result)")
                #expect(try String(contentsOf: settings, encoding: .utf8) == "{\"keep\": true}", "after \(arguments[0])")
            }
            let logs = try await ws.inferctl("logs", "../../../../etc/hostname", ws.dir)
            #expect(logs.status == 1, "\(logs)")
            #expect(logs.stderr.contains("no instance named"), "\(logs)")
            let hostname = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if !hostname.isEmpty { #expect(!logs.stdout.contains(hostname)) }
            #expect(try await ws.inferctl("logs", "alpha", ws.dir).status == 0)
            try ws.remove(".inferctl/instances/evil.json")
        }
    }

    @Test("a record naming pid 1 (its true start time, a well-formed token) makes down signal nothing")
    func recordNamingInit() async throws {
        try await withWorkspace("pid-one") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            let server = try ws.pid("alpha")
            guard Processes.startTimeTicks(1) != nil else { return }
            try Self.forge(ws, "alpha", pid: 1, token: .some(nil))
            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0, "\(down)")
            #expect(down.stderr.contains("alpha.json"), "a record naming pid 1 is not trusted: \(down)")
            // Its real server carries a token no readable record names, but the instance's record is
            // unreadable, so it is left alone like the record; removing the record lets down find it.
            #expect(Processes.isAlive(server))
            try ws.remove(".inferctl/instances/alpha.json")
            let again = try await ws.inferctl("down", ws.dir)
            #expect(again.status == 0, "\(again)")
            try await eventually("the server to be stopped as unrecorded") { !Processes.isAlive(server) }
        }
    }
}

extension OwnershipTests {
    @Test("forty instances with port: auto started in one pass get forty distinct ports, all Ready")
    func parallelAutomaticPortsAreUnique() async throws {
        try await withWorkspace("many-ports") { ws in
            let count = 40
            try ws.write("many.yaml", (0..<count).map { SimInstance(name: "p\($0)").yaml }.joined(separator: "---\n"))
            let apply = try await ws.inferctl("apply", ws.dir, timeout: .seconds(150))
            #expect(apply.status == 0, "\(apply)")
            let ports = try (0..<count).map { try #require(try ws.instanceStatus("p\($0)").int("port")) }
            #expect(Set(ports).count == count, "\(ports)")
            #expect(!apply.output.lowercased().contains("address already in use"), "\(apply)")
        }
    }
}
