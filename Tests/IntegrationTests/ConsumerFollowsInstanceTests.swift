import Foundation
import Testing

/// During `apply`, a consumer's status is written as soon as its instance is Ready, not when the
/// whole pass ends: here while another instance of the same apply is still loading.
extension EndToEnd {
    @Test("apply hands a consumer its endpoint as soon as its instance is Ready, while another still loads")
    func consumerStatusFollowsItsInstanceWithinAPass() async throws {
        try await withWorkspace("consumer-follows") { ws in
            try ws.write("fast.yaml", documents(SimInstance(name: "fast").yaml, consumerYAML("agent", instance: "fast")))
            try ws.write("slow.yaml", SimInstance(name: "slow", extraArgs: ["--load-delay", "20s"], readinessTimeout: "60s").yaml)
            let apply = try Inferctl.start(["apply", ws.dir])
            try await eventually("agent handed fast's endpoint", timeout: .seconds(60)) {
                (try? ws.consumerStatus("agent").bool("ready")) == true
            }
            #expect((try? ws.instanceStatus("slow").string("phase")) != "Ready", "the pass is not over: slow still loads")
            #expect(try ws.consumerStatus("agent").string("endpoint.base_url") == ws.instanceStatus("fast").string("endpoint.base_url"))
            kill(apply.pid, SIGTERM)
            _ = try? await apply.finish(timeout: .seconds(60))
        }
    }
}
