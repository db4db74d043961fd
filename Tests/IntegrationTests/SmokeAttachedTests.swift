import Foundation
import Testing

extension AttachedTests {
    static func attachedWithSmoke(_ name: String, root: String) -> String {
        """
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: \(name)}
        spec:
          backend: openai_compatible
          url: \(root)/v1
          model: {identity: sim-model}
          readiness: {timeout: 10s, smoke: {maxTokens: 2, timeout: 1s}}

        """
    }

    @Test("readiness.smoke on attached servers: one that generates is Ready with its figures; one whose generation hangs stays Pending")
    func attachedSmoke() async throws {
        try await withWorkspace("attached-smoke") { ws in
            let working = try await Daemon(arguments: [], readyPath: "/health", workspace: ws)
            let hung = try await Daemon(arguments: ["--hang-generation"], readyPath: "/health", workspace: ws)
            try ws.write("a.yaml", documents(Self.attachedWithSmoke("working", root: working.root),
                                             Self.attachedWithSmoke("hung", root: hung.root),
                                             consumerYAML("agent", instance: "hung")))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")

            let ready = try ws.instanceStatus("working")
            #expect(ready.string("phase") == "Ready", "\(ready)")
            #expect(((ready.value("endpoint.metadata.measured_ttft_ms") as? NSNumber)?.doubleValue ?? 0) > 0, "\(ready)")
            #expect(((ready.value("endpoint.metadata.measured_tokens_per_s") as? NSNumber)?.doubleValue ?? 0) > 0, "\(ready)")

            let pending = try ws.instanceStatus("hung")
            #expect(pending.string("phase") == "Pending", "\(pending)")
            #expect(pending.objects("conditions").contains { $0.string("type") == "Ready" && $0.string("reason") == "SmokeTestFailed" },
                    "\(pending)")
            #expect(try ws.consumerStatus("agent").bool("ready") == false)
            #expect(Processes.isAlive(hung.pid), "an attached server is never stopped")
        }
    }
}
