import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    @Test("stop reaches the whole process group: a server's own child goes too")
    func stopReachesProcessGroup() async throws {
        try await withWorkspace("group") { ws in
            let inferctl = try Inferctl.binary.get().path
            try ws.write("wrap.sh", """
            #!/bin/sh
            sleep 600 &
            echo "wrapper child $!"
            exec '\(inferctl)' "$@"

            """)
            chmod(ws.path("wrap.sh"), 0o755)
            try ws.write("alpha.yaml", SimInstance(name: "alpha", serverLines: ["binary: ./wrap.sh"]).yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let pid = try ws.pid("alpha")

            let log = try String(contentsOfFile: ws.stateDir + "/logs/alpha.log", encoding: .utf8)
            let childLine = try #require(log.split(separator: "\n").first { $0.hasPrefix("wrapper child ") }, "\(log)")
            let child = try #require(Int32(childLine.dropFirst("wrapper child ".count)))
            #expect(Processes.isAlive(child))
            #expect(getpgid(child) == pid, "the child is in the server's process group")

            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0, "\(down)")
            #expect(!Processes.isAlive(pid))
            #expect(!Processes.isAlive(child), "the server's child outlived the stop of its group")
        }
    }

    @Test("a held lock makes apply wait, naming the holder, and give up at --lock-timeout; servers never inherit the lock")
    func lockIsRespected() async throws {
        try await withWorkspace("lock") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha").yaml)
            try FileManager.default.createDirectory(atPath: ws.stateDir, withIntermediateDirectories: true)
            let lockPath = ws.stateDir + "/lock"
            let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            try #require(fd >= 0)
            var held = true
            defer { if held { close(fd) } }
            try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
            let holder = "\(getpid())\nintegration test\n"
            _ = holder.withCString { write(fd, $0, strlen($0)) }

            let blocked = try await ws.inferctl("apply", ws.dir, "--lock-timeout", "300ms")
            #expect(blocked.status == 1, "\(blocked)")
            #expect(blocked.stderr.contains("waiting for lock held by pid \(getpid()) (integration test)"), "\(blocked)")
            #expect(!ws.exists(ws.instanceStatusPath("alpha")))
            #expect(Processes.running(inDirectory: ws.dir).isEmpty)
            let blockedDown = try await ws.inferctl("down", ws.dir, "--lock-timeout", "300ms")
            #expect(blockedDown.status == 1, "\(blockedDown)")

            close(fd)
            held = false
            let apply = try await ws.inferctl("apply", ws.dir, "--lock-timeout", "5s")
            #expect(apply.status == 0, "\(apply)")
            let pid = try ws.pid("alpha")
            let descriptors = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? []
            #expect(!descriptors.isEmpty)
            let targets = descriptors.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\($0)") }
            #expect(!targets.contains(lockPath), "the server inherited the lock: \(targets)")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/0") == "/dev/null")
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/1") == ws.stateDir + "/logs/alpha.log")
        }
    }

    @Test("a readiness timeout stops a server that ignores SIGTERM, with SIGKILL after the grace period")
    func readinessTimeoutKillsStubbornServer() async throws {
        try await withWorkspace("stubborn") { ws in
            try ws.write("alpha.yaml", SimInstance(name: "alpha", extraArgs: ["--load-delay", "30s", "--ignore-sigterm"],
                                                   readinessTimeout: "500ms", gracePeriod: "300ms").yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            let pid = try #require(try ws.record("alpha").int("process.pid").map(Int32.init))
            #expect(!Processes.isAlive(pid))
            #expect(try ws.instanceStatus("alpha").string("phase") == "Failed")
        }
    }
}
