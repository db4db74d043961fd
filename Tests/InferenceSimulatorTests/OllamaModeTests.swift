import Foundation
import Testing
@testable import InferenceSimulator

@Suite("Ollama mode")
struct OllamaModeTests {
    static func ollama(_ options: inout SimulatorOptions) {
        options.mode = .ollama
    }

    static func names(_ response: TestResponse) -> [String] {
        (response.json?["models"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    @Test func rootVersionAndNoHealth() async throws {
        try await withSimulator({ Self.ollama(&$0); $0.ollamaVersion = "9.8.7" }) { _, http, logs in
            let root = try await http.get("/")
            #expect(root.status == 200)
            #expect(root.body == "Ollama is running")
            #expect(try await http.get("/api/version").body == #"{"version":"9.8.7"}"#)
            #expect(try await http.get("/health").status == 404)
            try await waitUntil("listening line") { logs.lines.contains { $0.contains("listening on http://127.0.0.1:") } }
        }
    }

    @Test func pullThenShowReportsCapabilities() async throws {
        try await withSimulator(Self.ollama) { _, http, _ in
            #expect(Self.names(try await http.get("/api/tags")) == [])
            let missing = try await http.post("/api/show", json: #"{"model":"llama3.2"}"#)
            #expect(missing.status == 404)
            #expect(missing.body == #"{"error":"model 'llama3.2' not found"}"#)

            let pulled = try await http.post("/api/pull", json: #"{"model":"llama3.2","stream":false}"#)
            #expect(pulled.body == #"{"status":"success"}"#)

            let shown = try await http.post("/api/show", json: #"{"model":"llama3.2:latest"}"#)
            #expect(shown.status == 200)
            #expect(shown.json?["capabilities"] as? [String] == ["completion"])
            let details = try #require(shown.json?["details"] as? [String: Any])
            #expect(details["family"] as? String == "llama")
            #expect(details["format"] as? String == "gguf")

            let tags = try await http.get("/api/tags")
            #expect(Self.names(tags) == ["llama3.2:latest"])
            let entry = try #require((tags.json?["models"] as? [[String: Any]])?.first)
            #expect((entry["digest"] as? String)?.count == 64)
            #expect(entry["model"] as? String == "llama3.2:latest")
        }
    }

    @Test func streamingPullEndsWithSuccess() async throws {
        try await withSimulator(Self.ollama) { _, http, _ in
            let pulled = try await http.post("/api/pull", json: #"{"model":"qwen3:8b"}"#)
            #expect(pulled.contentType == "application/x-ndjson")
            let statuses = pulled.ndjson.compactMap { $0["status"] as? String }
            #expect(statuses.first == "pulling manifest")
            #expect(statuses.last == "success")
            #expect(Self.names(try await http.get("/api/tags")) == ["qwen3:8b"])
        }
    }

    @Test func startupModelsWithCapabilitiesAndLoaded() async throws {
        try await withSimulator({
            Self.ollama(&$0)
            $0.ollamaModels = [OllamaModelSpec(name: "llama3.2", capabilities: ["completion", "tools"])]
            $0.ollamaLoaded = ["nomic-embed-text"]
        }) { _, http, _ in
            let shown = try await http.post("/api/show", json: #"{"model":"llama3.2"}"#)
            #expect(shown.json?["capabilities"] as? [String] == ["completion", "tools"])
            #expect(Set(Self.names(try await http.get("/api/tags"))) == ["llama3.2:latest", "nomic-embed-text:latest"])
            #expect(Self.names(try await http.get("/api/ps")) == ["nomic-embed-text:latest"])
        }
    }

    @Test func generateLoadsAndKeepAliveZeroUnloads() async throws {
        try await withSimulator({ Self.ollama(&$0); $0.ollamaModels = [OllamaModelSpec(name: "llama3.2")] }) { _, http, _ in
            #expect(Self.names(try await http.get("/api/ps")) == [])

            let load = try await http.post("/api/generate", json: #"{"model":"llama3.2"}"#)
            #expect(load.status == 200)
            #expect(load.json?["done_reason"] as? String == "load")
            #expect(load.json?["done"] as? Bool == true)
            #expect(load.json?["response"] as? String == "")
            #expect(load.json?["model"] as? String == "llama3.2:latest")
            let ps = try await http.get("/api/ps")
            #expect(Self.names(ps) == ["llama3.2:latest"])
            let loaded = try #require((ps.json?["models"] as? [[String: Any]])?.first)
            #expect(loaded["expires_at"] is String)
            #expect(loaded["size_vram"] is Int)

            // The tagged name addresses the same model.
            let unload = try await http.post("/api/generate", json: #"{"model":"llama3.2:latest","keep_alive":0}"#)
            #expect(unload.json?["done_reason"] as? String == "unload")
            #expect(Self.names(try await http.get("/api/ps")) == [])
        }
    }

    @Test func generateWithPromptStreamsOrNot() async throws {
        try await withSimulator({ Self.ollama(&$0); $0.ollamaModels = [OllamaModelSpec(name: "llama3.2")] }) { _, http, _ in
            let missing = try await http.post("/api/generate", json: #"{"model":"mistral","prompt":"hi"}"#)
            #expect(missing.status == 404)

            let whole = try await http.post("/api/generate", json: #"{"model":"llama3.2","prompt":"why is the sky blue","stream":false}"#)
            #expect(whole.json?["response"] as? String == "Simulated reply to: why is the sky blue")
            #expect(whole.json?["done_reason"] as? String == "stop")
            #expect(whole.json?["eval_count"] as? Int == 8)
            #expect(Self.names(try await http.get("/api/ps")) == ["llama3.2:latest"])

            let stream = try await http.post("/api/generate", json: #"{"model":"llama3.2","prompt":"why is the sky blue"}"#)
            let lines = stream.ndjson
            #expect(lines.last?["done"] as? Bool == true)
            #expect(lines.compactMap { $0["response"] as? String }.joined() == "Simulated reply to: why is the sky blue")
        }
    }

    @Test func chatAndToolsCapability() async throws {
        try await withSimulator({ Self.ollama(&$0); $0.ollamaModels = [OllamaModelSpec(name: "llama3.2")] }) { _, http, _ in
            let chat = try await http.post(
                "/api/chat",
                json: #"{"model":"llama3.2","stream":false,"messages":[{"role":"user","content":"hello"}]}"#
            )
            let message = chat.json?["message"] as? [String: Any]
            #expect(message?["content"] as? String == "Simulated reply to: hello")
            #expect(message?["role"] as? String == "assistant")

            let tools = try await http.post(
                "/api/chat",
                json: #"{"model":"llama3.2","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]}"#
            )
            #expect(tools.status == 400)
            #expect((tools.json?["error"] as? String)?.contains("does not support tools") == true)

            let unload = try await http.post("/api/chat", json: #"{"model":"llama3.2","messages":[],"keep_alive":"0s"}"#)
            #expect(unload.json?["done_reason"] as? String == "unload")
        }
    }

    @Test func deleteRemovesModel() async throws {
        try await withSimulator({ Self.ollama(&$0); $0.ollamaLoaded = ["gemma3:1b"] }) { _, http, _ in
            let deleted = try await http.delete("/api/delete", json: #"{"model":"gemma3:1b"}"#)
            #expect(deleted.status == 200)
            #expect(Self.names(try await http.get("/api/tags")) == [])
            #expect(Self.names(try await http.get("/api/ps")) == [])
            #expect(try await http.delete("/api/delete", json: #"{"model":"gemma3:1b"}"#).status == 404)
        }
    }

    @Test func openAICompatibleEndpoints() async throws {
        try await withSimulator({ Self.ollama(&$0); $0.ollamaModels = [OllamaModelSpec(name: "llama3.2")] }) { _, http, _ in
            let models = try await http.get("/v1/models")
            let ids = (models.json?["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["llama3.2:latest"])

            let missing = try await http.post("/v1/chat/completions", json: #"{"model":"phi4","messages":[{"role":"user","content":"x"}]}"#)
            #expect(missing.status == 404)
            #expect(missing.json?["error"] is [String: Any])

            let chat = try await http.post("/v1/chat/completions", json: #"{"model":"llama3.2","messages":[{"role":"user","content":"yo"}]}"#)
            #expect(chat.status == 200)
            #expect(chat.json?["model"] as? String == "llama3.2:latest")
            #expect(LlamaServerModeTests.content(of: chat) == "Simulated reply to: yo")
            #expect(Self.names(try await http.get("/api/ps")) == ["llama3.2:latest"])
        }
    }
}
