import Foundation
import Testing

/// A model llama-server cannot load: the instance is Failed at once, with the server's own words.
extension RealLlamaServer {
    @Test("a vocabulary-only GGUF: Failed (ExitedBeforeReady) with llama-server's log tail, long before readiness.timeout")
    func unloadableModelFails() async throws {
        let real = try RealBackends.require()
        try await withWorkspace("real-broken") { ws in
            try ws.write("broken.yaml", RealLlamaServer.gemmaYAML("broken", real, model: real.brokenModel)
                + "---\n" + consumerYAML("broken-client", instance: "broken"))
            // readiness.timeout is 2m: only noticing the exit can end this apply within the 30 s allowed.
            let apply = try await ws.inferctl("apply", ws.dir, timeout: .seconds(30))
            #expect(apply.status == 1, "\(apply)")
            let status = try ws.instanceStatus("broken")
            #expect(status.string("phase") == "Failed", "\(status)")
            #expect(status.objects("conditions").contains { $0.string("reason") == "ExitedBeforeReady" }, "\(status)")
            let message = status.string("message") ?? ""
            #expect(message.contains("failed to load model") || message.contains("model loading error"), "\(status)")
            #expect(apply.output.contains("failed to load model") || apply.output.contains("model loading error"), "\(apply)")
            let consumer = try ws.consumerStatus("broken-client")
            #expect(consumer.bool("ready") == false && consumer.string("reason") == "InstanceUnhealthy", "\(consumer)")
            #expect(!consumer.has("endpoint"), "\(consumer)")
        }
    }
}
