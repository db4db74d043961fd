import Foundation
import Testing
@testable import InferenceSimulator

@Suite("llama-server mode")
struct LlamaServerModeTests {
    static let loadingBody = #"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#

    @Test func healthIs503WhileLoadingThen200() async throws {
        // The load ends when the test says so: the first requests land while loading however busy the machine is.
        let (gate, open) = AsyncStream.makeStream(of: Void.self)
        try await withSimulator({ $0.loadGate = { for await _ in gate { return } } }) { _, http, logs in
            let early = try await http.get("/health")
            #expect(early.status == 503)
            #expect(early.body == Self.loadingBody)
            #expect(try await http.get("/v1/models").status == 503)
            #expect(!logs.lines.contains { $0.contains("listening on") })
            open.yield()
            open.finish()

            try await waitUntil("health 200", timeout: .seconds(20)) { try await http.get("/health").status == 200 }
            #expect(try await http.get("/health").body == #"{"status":"ok"}"#)
            try await waitUntil("listening line") { logs.lines.contains { $0.contains("listening on") } }
            #expect(logs.lines.contains("inference-sim: request: GET /health 503"))
        }
    }

    @Test func listeningLineNamesTheBoundPort() async throws {
        try await withSimulator { server, _, logs in
            #expect(server.port > 0)
            try await waitUntil("listening line") { logs.lines.contains { $0.contains("listening on") } }
            #expect(logs.lines.contains("inference-sim: listening on http://127.0.0.1:\(server.port)"))
            #expect(logs.lines.firstIndex { $0.contains("model loaded") }! < logs.lines.firstIndex { $0.contains("listening on") }!)
        }
    }

    @Test func modelsPropsAndUnknownPaths() async throws {
        try await withSimulator({ $0.modelID = "tiny" }) { _, http, _ in
            let models = try await http.get("/v1/models")
            #expect(models.status == 200)
            #expect(models.body == #"{"data":[{"created":0,"id":"tiny","object":"model","owned_by":"inference-sim"}],"object":"list"}"#)
            #expect(try await http.get("/props").json?["model_path"] as? String == "tiny")
            let missing = try await http.get("/nope")
            #expect(missing.status == 404)
            #expect(missing.json?["error"] != nil)
        }
    }

    @Test func chatCompletionIsDeterministic() async throws {
        try await withSimulator { _, http, _ in
            let request = #"{"model":"x","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hello  world"}]}"#
            let first = try await http.post("/v1/chat/completions", json: request)
            #expect(first.status == 200)
            let json = try #require(first.json)
            #expect(json["object"] as? String == "chat.completion")
            #expect(json["model"] as? String == "sim-model")
            let choice = try #require((json["choices"] as? [[String: Any]])?.first)
            let message = try #require(choice["message"] as? [String: Any])
            #expect(message["role"] as? String == "assistant")
            #expect(message["content"] as? String == "Simulated reply to: hello world")
            #expect(choice["finish_reason"] as? String == "stop")
            let usage = try #require(json["usage"] as? [String: Int])
            #expect(usage == ["prompt_tokens": 4, "completion_tokens": 5, "total_tokens": 9])

            let second = try await http.post("/v1/chat/completions", json: request)
            #expect(Self.content(of: second) == "Simulated reply to: hello world")
        }
    }

    @Test func streamedChunksJoinToTheNonStreamedText() async throws {
        try await withSimulator { _, http, _ in
            let messages = #""messages":[{"role":"user","content":[{"type":"text","text":"tell me a story"}]}]"#
            let whole = try await http.post("/v1/chat/completions", json: "{\(messages)}")
            let stream = try await http.post("/v1/chat/completions", json: #"{"stream":true,"# + messages + "}")
            #expect(stream.status == 200)
            #expect(stream.contentType == "text/event-stream")
            let events = stream.serverSentEvents
            #expect(events.last == "[DONE]")
            let chunks = events.dropLast().compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
            }
            #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" })
            let deltas = chunks.compactMap { (($0["choices"] as? [[String: Any]])?.first?["delta"]) as? [String: Any] }
            #expect(deltas.first?["role"] as? String == "assistant")
            let joined = deltas.compactMap { $0["content"] as? String }.joined()
            #expect(joined == Self.content(of: whole))
            #expect(joined == "Simulated reply to: tell me a story")
            let finish = (chunks.last?["choices"] as? [[String: Any]])?.first?["finish_reason"] as? String
            #expect(finish == "stop")
        }
    }

    @Test func maxTokensTruncatesWithFinishReasonLength() async throws {
        try await withSimulator { _, http, _ in
            let response = try await http.post(
                "/v1/chat/completions",
                json: #"{"max_tokens":2,"messages":[{"role":"user","content":"a b c"}]}"#
            )
            #expect(Self.content(of: response) == "Simulated reply")
            let choice = (response.json?["choices"] as? [[String: Any]])?.first
            #expect(choice?["finish_reason"] as? String == "length")
        }
    }

    @Test func completionsStreamAndNot() async throws {
        try await withSimulator { _, http, _ in
            let whole = try await http.post("/v1/completions", json: #"{"prompt":"once upon"}"#)
            #expect(whole.json?["object"] as? String == "text_completion")
            let text = ((whole.json?["choices"] as? [[String: Any]])?.first?["text"]) as? String
            #expect(text == "Simulated completion of: once upon")

            let stream = try await http.post("/v1/completions", json: #"{"prompt":"once upon","stream":true}"#)
            let pieces = stream.serverSentEvents.dropLast().compactMap { event -> String? in
                let chunk = (try? JSONSerialization.jsonObject(with: Data(event.utf8))) as? [String: Any]
                return ((chunk?["choices"] as? [[String: Any]])?.first?["text"]) as? String
            }
            #expect(pieces.joined() == text)
        }
    }

    @Test func badJSONIs400WithOpenAIError() async throws {
        try await withSimulator { _, http, _ in
            let response = try await http.post("/v1/chat/completions", json: "{not json")
            #expect(response.status == 400)
            let error = try #require(response.json?["error"] as? [String: Any])
            #expect(error["code"] as? Int == 400)
            #expect(error["type"] as? String == "invalid_request_error")
        }
    }

    @Test func apiKeyGuardsV1ButNotHealth() async throws {
        try await withSimulator({ $0.apiKey = "sekret" }) { _, http, _ in
            let denied = try await http.get("/v1/models")
            #expect(denied.status == 401)
            #expect(denied.body == #"{"error":{"code":401,"message":"Invalid API Key","type":"authentication_error"}}"#)
            #expect(try await http.get("/v1/models", headers: ["Authorization": "Bearer wrong"]).status == 401)
            #expect(try await http.get("/v1/models", headers: ["Authorization": "Bearer sekret"]).status == 200)
            #expect(try await http.get("/health").status == 200)
        }
    }

    static func content(of response: TestResponse) -> String? {
        let choice = (response.json?["choices"] as? [[String: Any]])?.first
        return (choice?["message"] as? [String: Any])?["content"] as? String
    }
}
