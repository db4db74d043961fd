import Foundation
import Testing

/// Regressions: bugs these end-to-end tests found (first committed wrapped in `withKnownIssue`).
extension EndToEnd {
    /// docs/apply.md: "an exit before ready fails the instance at once, with the exit status and the last log lines".
    /// The server below exits with status 3 within milliseconds, long before its 1.5s readiness timeout. The bug:
    /// apply reported `ReadinessTimeout` ("not ready after 2.01s") without the log tail, because the first readiness
    /// probe of a port nobody listens on blocked for the prober's whole 2s request timeout (AsyncHTTPClient retries
    /// refused connections until the deadline) and ReadinessWaiter checked the timeout before the exit.
    @Test("an exit before ready is reported as such even with a short readiness timeout")
    func exitBeforeReadyWithShortTimeout() async throws {
        try await withWorkspace("exit-short-timeout") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--exit-before-ready", "3"],
                                                   readinessTimeout: "1500ms").yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Failed", "\(status)")
            #expect(status.int("last_exit.code") == 3, "\(status)")
            #expect(status.objects("conditions").contains { $0.string("type") == "Ready" && $0.string("reason") == "ExitedBeforeReady" },
                    "\(status)")
            #expect((status.string("message") ?? "").contains("exited with status 3"), "\(status)")
            #expect((status.string("message") ?? "").contains("failed to load model"), "\(status)")
        }
    }

    /// The bug: with DIR given relative to the caller's directory, the record and the status file kept `log_path`
    /// relative to that caller's directory (`rel/.inferctl/logs/alpha.log`): read from anywhere else (a script reading the status
    /// file, a later apply run from another directory that adopts the server and wants its log tail) it names nothing.
    @Test("a relative DIR: apply from elsewhere adopts without a duplicate, and log_path still names the log")
    func relativeDirectory() async throws {
        try await withWorkspace("relative") { ws in
            try ws.write("manifests/alpha.yaml", SimInstance(name: "alpha").yaml)
            let absolute = ws.path("manifests")
            let apply = try await Inferctl.run(["apply", "manifests"], currentDirectory: ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let statusPath = absolute + "/alpha.instance.status.json"
            let status = try ws.json(at: statusPath)
            #expect(status.string("phase") == "Ready", "\(status)")
            let pid = try #require(status.int("pid").map(Int32.init))

            // The same directory named another way is the same state: adopted, not duplicated.
            let again = try await Inferctl.run(["apply", absolute], currentDirectory: "/")
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout.contains("No changes"), "\(again)")
            #expect(try ws.json(at: statusPath).int("pid") == Int(pid))
            #expect(Processes.running(inDirectory: absolute) == [pid])

            let logPath = try #require(status.string("log_path"))
            let resolved = logPath.hasPrefix("/") ? logPath : absolute + "/" + logPath
            #expect(FileManager.default.fileExists(atPath: resolved), "log_path '\(logPath)' names no file")

            let down = try await Inferctl.run(["down", absolute], currentDirectory: "/")
            #expect(down.status == 0, "\(down)")
            #expect(!Processes.isAlive(pid))
        }
    }

    /// docs/apply.md: "`readiness.stallTimeout` fails it early when neither the log nor the probe's answer has
    /// changed for that long". The server below answers the same 503 "Loading model" for 30s and logs nothing but
    /// `request: GET /health 503` — lines our own probes cause (llama-server logs requests too). The bug: ReadinessWaiter
    /// counted any log growth as progress, so the stall timeout never fired and apply waited out the readiness timeout.
    @Test("stallTimeout fails a server whose only log lines are our own probes")
    func stallTimeoutIgnoresProbeLogLines() async throws {
        try await withWorkspace("stall") { ws in
            let instance = SimInstance(name: "alpha", extraArgs: ["--load-delay", "30s"], readinessTimeout: "3s")
            try ws.write("alpha.yaml", instance.yaml.replacingOccurrences(of: "readiness: {timeout: 3s}",
                                                                          with: "readiness: {timeout: 3s, stallTimeout: 500ms}"))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Failed", "\(status)")
            #expect(status.objects("conditions").contains { $0.string("reason") == "ReadinessStalled" }, "\(status)")
            let pid = try #require(try ws.record("alpha").int("process.pid").map(Int32.init))
            #expect(!Processes.isAlive(pid), "a stalled server must be stopped")
        }
    }
}
