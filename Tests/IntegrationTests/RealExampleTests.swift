import Foundation
import Testing

/// examples/llama-cpp as a user runs it: its manifest applied as written (llama-server from PATH, the
/// model under ./models, the API key from GEMMA_KEY), then its chat.py, PyPI's openai client reading
/// the consumer's status file.
extension RealLlamaServer {
    @Test("examples/llama-cpp: apply to Ready; the openai client chats and streams through the descriptor; 401 without the key")
    func llamaCppExample() async throws {
        let real = try RealBackends.require()
        try await withWorkspace("real-example") { ws in
            let example = repositoryRoot().appendingPathComponent("examples/llama-cpp")
            try ws.write("gemma.yaml", String(contentsOf: example.appendingPathComponent("gemma.yaml"), encoding: .utf8))
            try FileManager.default.createDirectory(atPath: ws.path("models"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: ws.path("models/gemma-3-270m-q4_k_m.gguf"), withDestinationPath: real.model)
            let key = "example-key-\(UUID().uuidString.prefix(8))"
            let serverFolder = URL(fileURLWithPath: real.llamaServer).deletingLastPathComponent().path
            let environment = ["GEMMA_KEY": key, "PATH": serverFolder + ":" + (RealBackends.environment["PATH"] ?? "/usr/bin:/bin")]

            let apply = try await Inferctl.run(["apply", ws.dir], environment: environment, timeout: .seconds(150))
            #expect(apply.status == 0, "\(apply)")
            #expect(try ws.instanceStatus("gemma-small").string("phase") == "Ready")
            ws.track(try ws.pid("gemma-small"))
            let consumer = try ws.consumerStatus("chat-client")
            #expect(consumer.bool("ready") == true, "\(consumer)")
            let baseURL = try #require(consumer.string("endpoint.base_url"), "\(consumer)")
            #expect(consumer.string("endpoint.secret_headers.authorization.env") == "GEMMA_KEY", "\(consumer)")
            #expect(!consumer.description.contains(key), "the key's value is never in a status file")

            #expect(try await httpGet(baseURL + "/models").status == 401)
            #expect(try await httpGet(baseURL + "/models", headers: ["Authorization": "Bearer \(key)"]).status == 200)

            let chat = try await RunningCommand(
                executable: URL(fileURLWithPath: real.python),
                arguments: [example.appendingPathComponent("chat.py").path, ws.consumerStatusPath("chat-client"), "--json"],
                environment: ["GEMMA_KEY": key]).finish(timeout: .seconds(120))
            #expect(chat.status == 0, "\(chat)")
            let result = try #require(try JSONSerialization.jsonObject(with: Data(chat.stdout.utf8)) as? [String: Any], "\(chat)")
            let reply = result["reply"] as? String ?? "", streamed = result["streamed"] as? String ?? ""
            #expect(!reply.isEmpty, "\(chat.stdout)")
            #expect((result["stream_chunks"] as? Int ?? 0) >= 2, "a stream of several chunks: \(chat.stdout)")
            for token in chatTemplateTokens {
                #expect(!reply.contains(token) && !streamed.contains(token), "template markup in the replies: \(chat.stdout)")
            }

            let wrongKey = try await RunningCommand(
                executable: URL(fileURLWithPath: real.python),
                arguments: [example.appendingPathComponent("chat.py").path, ws.consumerStatusPath("chat-client"), "--json"],
                environment: ["GEMMA_KEY": "not-the-key"]).finish(timeout: .seconds(60))
            #expect(wrongKey.status != 0 && wrongKey.stderr.contains("401"), "\(wrongKey)")
        }
    }
}
