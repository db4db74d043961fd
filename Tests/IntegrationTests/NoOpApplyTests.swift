import Foundation
import Glibc
import Testing

/// A no-op `apply` writes nothing when nothing changed, but it is not blind: it still probes every
/// ready server, so a hung one (alive, answering nothing) is said to be unavailable and its
/// consumers lose the endpoint; and a dead one is started again.
extension EndToEnd {
    @Test("a no-op apply still probes: a hung server is unavailable and withdrawn, then healthy again once it answers")
    func noOpApplyNoticesAHungServer() async throws {
        try await withWorkspace("noop-hung") { ws in
            try ws.write("a.yaml", documents(SimInstance(name: "a").yaml, consumerYAML("agent", instance: "a")))
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            let pid = try ws.pid("a")
            kill(pid, SIGSTOP) // alive, answers nothing
            defer { kill(pid, SIGCONT) }
            let hung = try await ws.inferctl("apply", ws.dir)
            #expect(try ws.instanceStatus("a").string("health") == "unavailable", "\(hung)")
            #expect(try ws.consumerStatus("agent").bool("ready") == false)
            #expect(try ws.consumerStatus("agent").string("reason") == "InstanceUnhealthy")
            #expect(try ws.pid("a") == pid, "a hung server is reported, not replaced, by apply")

            kill(pid, SIGCONT)
            let back = try await ws.inferctl("apply", ws.dir)
            #expect(back.status == 0, "\(back)")
            #expect(try ws.instanceStatus("a").string("health") == "healthy")
            #expect(try ws.consumerStatus("agent").bool("ready") == true)
        }
    }

    @Test("a no-op apply notices a dead server and starts it again")
    func noOpApplyNoticesADeadServer() async throws {
        try await withWorkspace("noop-dead") { ws in
            try ws.write("a.yaml", SimInstance(name: "a").yaml)
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            let pid = try ws.pid("a")
            kill(pid, SIGKILL)
            try await eventually("the server to be gone", timeout: .seconds(10)) { !Processes.isAlive(pid) }
            let again = try await ws.inferctl("apply", ws.dir)
            #expect(again.status == 0, "\(again)")
            #expect(try ws.pid("a") != pid)
            #expect(try ws.instanceStatus("a").string("phase") == "Ready")
        }
    }
}
