import Foundation
import Hummingbird

/// `/v1/models`, `/v1/chat/completions` and `/v1/completions`, shared by both modes.
struct OpenAIRoutes: Sendable {
    let models: any OpenAIModelProvider
    var hang = GenerationHang(answered: nil)

    func register(on router: Router<BasicRequestContext>) {
        router.get("/v1/models") { _, _ in
            JSONResponses.json(OpenAIModelList(data: await models.listedModels()))
        }
        router.post("/v1/chat/completions") { request, _ in
            try await chatCompletions(request)
        }
        router.post("/v1/completions") { request, _ in
            try await completions(request)
        }
    }

    private func modelNotFound(_ name: String?) -> Response {
        OpenAIErrorEnvelope.response(
            .notFound,
            message: "model \"\(name ?? "")\" not found, try pulling it first",
            type: "not_found_error"
        )
    }

    private func chatCompletions(_ request: Request) async throws -> Response {
        let body = try await RequestJSON.decode(OpenAIChatRequest.self, from: request)
        guard let model = await models.useModel(requested: body.model) else {
            return modelNotFound(body.model)
        }
        let reply = SimulatedReply(
            replyingTo: body.lastUserMessage,
            maxTokens: body.max_completion_tokens ?? body.max_tokens
        )
        let usage = OpenAIUsage(prompt: body.promptTokens, completion: reply.words.count)
        let id = Self.makeID(prefix: "chatcmpl-")
        let created = Self.now()
        let hangs = await hang.admit()

        guard body.stream == true else {
            if hangs { return await Self.hungResponse() }
            return JSONResponses.json(OpenAIChatCompletion(
                id: id, created: created, model: model,
                choices: [.init(index: 0, message: .init(content: reply.text), finish_reason: reply.finishReason.rawValue)],
                usage: usage
            ))
        }

        func chunk(_ delta: OpenAIChatCompletionChunk.Delta, finish: String?) -> ByteBuffer {
            JSONResponses.encode(OpenAIChatCompletionChunk(
                id: id, created: created, model: model,
                choices: [.init(index: 0, delta: delta, finish_reason: finish)], usage: nil
            ))
        }
        // The first chunk announces the role, like OpenAI's own streams.
        var events = [chunk(.init(role: "assistant", content: ""), finish: nil)]
        if hangs { return ServerSentEvents.stalled(after: events) }
        events += reply.pieces.map { chunk(.init(content: $0), finish: nil) }
        events.append(chunk(.init(), finish: reply.finishReason.rawValue))
        if body.stream_options?.include_usage == true {
            events.append(JSONResponses.encode(OpenAIChatCompletionChunk(
                id: id, created: created, model: model, choices: [], usage: usage
            )))
        }
        return ServerSentEvents.response(events: events)
    }

    private func completions(_ request: Request) async throws -> Response {
        let body = try await RequestJSON.decode(OpenAICompletionRequest.self, from: request)
        guard let model = await models.useModel(requested: body.model) else {
            return modelNotFound(body.model)
        }
        let prompt = body.prompt?.text ?? ""
        let reply = SimulatedReply(completing: prompt, maxTokens: body.max_tokens)
        let usage = OpenAIUsage(prompt: SimulatedReply.tokenCount(prompt), completion: reply.words.count)
        let id = Self.makeID(prefix: "cmpl-")
        let created = Self.now()
        let hangs = await hang.admit()

        guard body.stream == true else {
            if hangs { return await Self.hungResponse() }
            return JSONResponses.json(OpenAITextCompletion(
                id: id, created: created, model: model,
                choices: [.init(index: 0, text: reply.text, finish_reason: reply.finishReason.rawValue)],
                usage: usage
            ))
        }

        func chunk(_ text: String, finish: String?) -> ByteBuffer {
            JSONResponses.encode(OpenAITextCompletion(
                id: id, created: created, model: model,
                choices: [.init(index: 0, text: text, finish_reason: finish)], usage: nil
            ))
        }
        if hangs { return ServerSentEvents.stalled(after: []) }
        var events = reply.pieces.map { chunk($0, finish: nil) }
        events.append(chunk("", finish: reply.finishReason.rawValue))
        if body.stream_options?.include_usage == true {
            events.append(JSONResponses.encode(OpenAITextCompletion(
                id: id, created: created, model: model, choices: [], usage: usage
            )))
        }
        return ServerSentEvents.response(events: events)
    }

    /// A completion that hangs without streaming answers nothing until the server shuts down.
    static func hungResponse() async -> Response {
        await GenerationHang.hang()
        return OpenAIErrorEnvelope.response(.serviceUnavailable, message: "shutting down", type: "unavailable_error")
    }

    static func makeID(prefix: String) -> String {
        prefix + String(UInt64.random(in: 0...UInt64.max), radix: 16)
    }

    static func now() -> Int {
        Int(Date().timeIntervalSince1970)
    }
}
