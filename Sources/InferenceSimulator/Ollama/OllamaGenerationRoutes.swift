import Foundation
import Hummingbird

/// `/api/generate` and `/api/chat`: loading, unloading and deterministic generation.
extension OllamaRoutes {
    func generate(_ request: Request) async throws -> Response {
        let body = try await RequestJSON.decode(OllamaGenerateRequest.self, from: request)
        let model = try await installedModel(body.model)
        let displayName = model.name.displayName
        let prompt = body.prompt ?? ""
        // An empty prompt only loads or (keep_alive 0) unloads the model.
        if prompt.isEmpty, body.images?.isEmpty ?? true {
            let reason = await loadOrUnload(model.name, keepAlive: body.keep_alive)
            return JSONResponses.json(OllamaGenerateResponse(
                model: displayName, created_at: OllamaTimestamp.format(Date()), response: "", done: true, done_reason: reason
            ))
        }
        guard model.capabilities.contains("completion") else {
            return OllamaErrorBody.response(.badRequest, "\"\(displayName)\" does not support generate")
        }
        await useForGeneration(model.name, keepAlive: body.keep_alive)

        let reply = SimulatedReply(replyingTo: prompt, maxTokens: body.options?.num_predict)
        let stats = OllamaGenerationStats(promptTokens: SimulatedReply.tokenCount(prompt), evalTokens: reply.words.count)
        let createdAt = OllamaTimestamp.format(Date())
        let final = OllamaGenerateResponse(
            model: displayName, created_at: createdAt, response: body.stream == false ? reply.text : "", done: true,
            done_reason: reply.finishReason.rawValue, context: Array(0..<min(reply.words.count, 8)), stats: stats
        )
        guard body.stream ?? true else {
            return JSONResponses.json(final)
        }
        var lines = reply.pieces.map {
            JSONResponses.encode(OllamaGenerateResponse(model: displayName, created_at: createdAt, response: $0, done: false))
        }
        lines.append(JSONResponses.encode(final))
        return NDJSONStream.response(lines: lines)
    }

    func chat(_ request: Request) async throws -> Response {
        let body = try await RequestJSON.decode(OllamaChatRequest.self, from: request)
        let model = try await installedModel(body.model)
        let displayName = model.name.displayName
        let messages = body.messages ?? []
        // No messages only loads or (keep_alive 0) unloads the model.
        if messages.isEmpty {
            let reason = await loadOrUnload(model.name, keepAlive: body.keep_alive)
            return JSONResponses.json(OllamaChatResponse(
                model: displayName, created_at: OllamaTimestamp.format(Date()),
                message: .init(role: "assistant", content: ""), done: true, done_reason: reason
            ))
        }
        guard model.capabilities.contains("completion") else {
            return OllamaErrorBody.response(.badRequest, "\"\(displayName)\" does not support chat")
        }
        if !(body.tools ?? []).isEmpty, !model.capabilities.contains("tools") {
            return OllamaErrorBody.response(.badRequest, "\"\(displayName)\" does not support tools")
        }
        await useForGeneration(model.name, keepAlive: body.keep_alive)

        let lastUser = messages.last(where: { $0.role == "user" })?.content ?? ""
        let reply = SimulatedReply(replyingTo: lastUser, maxTokens: body.options?.num_predict)
        let promptTokens = messages.reduce(0) { $0 + SimulatedReply.tokenCount($1.content ?? "") }
        let stats = OllamaGenerationStats(promptTokens: promptTokens, evalTokens: reply.words.count)
        let createdAt = OllamaTimestamp.format(Date())
        let final = OllamaChatResponse(
            model: displayName, created_at: createdAt,
            message: .init(role: "assistant", content: body.stream == false ? reply.text : ""),
            done: true, done_reason: reply.finishReason.rawValue, stats: stats
        )
        guard body.stream ?? true else {
            return JSONResponses.json(final)
        }
        var lines = reply.pieces.map {
            JSONResponses.encode(OllamaChatResponse(
                model: displayName, created_at: createdAt, message: .init(role: "assistant", content: $0), done: false
            ))
        }
        lines.append(JSONResponses.encode(final))
        return NDJSONStream.response(lines: lines)
    }

    /// Returns the `done_reason` Ollama reports: `load` or `unload`.
    private func loadOrUnload(_ name: OllamaModelName, keepAlive: OllamaKeepAlive?) async -> String {
        if keepAlive?.unloadsNow == true {
            await store.unload(name)
            return "unload"
        }
        _ = await store.load(name, keepAlive: keepAlive?.seconds)
        return "load"
    }

    /// Generating loads the model; with `keep_alive: 0` it is unloaded right after.
    private func useForGeneration(_ name: OllamaModelName, keepAlive: OllamaKeepAlive?) async {
        if keepAlive?.unloadsNow == true {
            await store.unload(name)
        } else {
            _ = await store.load(name, keepAlive: keepAlive?.seconds)
        }
    }
}
