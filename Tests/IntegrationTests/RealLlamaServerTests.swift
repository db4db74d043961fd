import Foundation
import Testing

/// Tests against a real llama-server with real models (see `RealBackends` for where they come from).
/// Serialized: each starts a server that loads a model, and on 2 cores they would compete for CPU.
@Suite("real llama-server", .serialized, .timeLimit(.minutes(3)), .enabled(if: RealBackends.shouldRun, RealBackends.skipReason))
struct RealLlamaServer {
    /// An instance of the real Gemma model, small enough for 2 cores.
    static func gemmaYAML(_ name: String, _ real: RealBackends, model: String? = nil, server extra: String = "",
                          more: String = "") -> String {
        """
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: \(name)}
        spec:
          backend: llama_cpp
          model: {path: \(model ?? real.model), identity: gemma-3-270m}
          server: {binary: \(real.llamaServer), port: auto, ctxSize: 512, threads: 2, chatTemplate: gemma\(extra)}
          readiness: {timeout: 2m}
          stop: {gracePeriod: 5s}
        \(more)
        """
    }

    /// The assistant's text of a chat completion answer.
    static func replyText(_ body: String) throws -> String {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any], "\(body)")
        let choices = try #require(object["choices"] as? [[String: Any]], "\(body)")
        let message = try #require(choices.first?["message"] as? [String: Any], "\(body)")
        return message["content"] as? String ?? ""
    }

    /// A short chat through `baseURL`; the reply must be real text, not a chat template's markup.
    static func chat(_ baseURL: String, key: String? = nil) async throws -> String {
        let answer = try await httpPostJSON(baseURL + "/chat/completions",
                                            #"{"model":"gemma-3-270m","messages":[{"role":"user","content":"Name three colours."}],"max_tokens":16}"#,
                                            headers: key.map { ["Authorization": "Bearer \($0)"] } ?? [:])
        #expect(answer.status == 200, "\(answer.body)")
        let text = try replyText(answer.body)
        #expect(!text.isEmpty, "\(answer.body)")
        for token in chatTemplateTokens { #expect(!text.contains(token), "template markup in the reply: \(text)") }
        return text
    }

    @Test("spawn, ready, chat with the API key (no template markup in the reply), adopt, down")
    func realServerEndToEnd() async throws {
        let real = try RealBackends.require()
        try await withWorkspace("real-llama") { ws in
            try ws.write("key.txt", "real-test-key\n")
            try ws.write("gemma.yaml", Self.gemmaYAML("gemma", real, server: ", apiKey: {file: ./key.txt}"))
            let apply = try await ws.inferctl("apply", ws.dir, timeout: .seconds(150))
            #expect(apply.status == 0, "\(apply)")
            let status = try ws.instanceStatus("gemma")
            #expect(status.string("phase") == "Ready", "\(status)")
            let pid = try ws.pid("gemma")
            ws.track(pid)
            let commandLine = Processes.commandLine(pid)
            // The key file is passed by path, never its value on the command line.
            #expect(!commandLine.contains("real-test-key"))
            #expect(commandLine.contains("--chat-template gemma"), "\(commandLine)")
            let baseURL = try #require(status.string("base_url"))

            let unauthorized = try await httpGet(baseURL + "/models")
            #expect(unauthorized.status == 401)
            _ = try await Self.chat(baseURL, key: "real-test-key")

            let again = try await ws.inferctl("apply", ws.dir)
            #expect(again.stdout.contains("No changes"), "\(again)")
            #expect(try ws.pid("gemma") == pid)

            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0, "\(down)")
            try await eventually("llama-server exits") { !Processes.isAlive(pid) }
        }
    }
}
