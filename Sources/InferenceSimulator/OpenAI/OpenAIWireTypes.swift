/// Request and response bodies of the OpenAI-compatible API (the parts we simulate).

/// Message content is either a string or an array of typed parts (`{"type":"text","text":...}`).
struct OpenAIMessageContent: Decodable, Sendable {
    let text: String

    private struct Part: Decodable {
        let type: String?
        let text: String?
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = ""
        } else if let string = try? container.decode(String.self) {
            text = string
        } else {
            let parts = try container.decode([Part].self)
            text = parts.compactMap(\.text).joined(separator: " ")
        }
    }
}

struct OpenAIChatMessage: Decodable, Sendable {
    let role: String
    let content: OpenAIMessageContent?
}

struct OpenAIStreamOptions: Decodable, Sendable {
    let include_usage: Bool?
}

struct OpenAIChatRequest: Decodable, Sendable {
    let model: String?
    let messages: [OpenAIChatMessage]
    let stream: Bool?
    let max_tokens: Int?
    let max_completion_tokens: Int?
    let stream_options: OpenAIStreamOptions?

    var lastUserMessage: String {
        messages.last(where: { $0.role == "user" })?.content?.text ?? ""
    }

    var promptTokens: Int {
        messages.reduce(0) { $0 + SimulatedReply.tokenCount($1.content?.text ?? "") }
    }
}

/// `prompt` is a string or an array of strings.
struct OpenAIPrompt: Decodable, Sendable {
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            text = string
        } else {
            text = try container.decode([String].self).joined(separator: " ")
        }
    }
}

struct OpenAICompletionRequest: Decodable, Sendable {
    let model: String?
    let prompt: OpenAIPrompt?
    let stream: Bool?
    let max_tokens: Int?
    let stream_options: OpenAIStreamOptions?
}

struct OpenAIUsage: Encodable, Sendable {
    let prompt_tokens: Int
    let completion_tokens: Int
    let total_tokens: Int

    init(prompt: Int, completion: Int) {
        prompt_tokens = prompt
        completion_tokens = completion
        total_tokens = prompt + completion
    }
}

struct OpenAIModelList: Encodable {
    struct Model: Encodable {
        let id: String
        let object = "model"
        let created: Int
        let owned_by: String
    }
    let object = "list"
    let data: [Model]
}

struct OpenAIAssistantMessage: Encodable {
    let role = "assistant"
    let content: String
}

struct OpenAIChatCompletion: Encodable {
    struct Choice: Encodable {
        let index: Int
        let message: OpenAIAssistantMessage
        let finish_reason: String
    }
    let id: String
    let object = "chat.completion"
    let created: Int
    let model: String
    let choices: [Choice]
    let usage: OpenAIUsage
}

struct OpenAIChatCompletionChunk: Encodable {
    struct Delta: Encodable {
        var role: String?
        var content: String?
    }
    struct Choice: Encodable {
        let index: Int
        let delta: Delta
        // Encoded as an explicit null while streaming, as OpenAI does.
        let finish_reason: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(delta, forKey: .delta)
            try container.encode(finish_reason, forKey: .finish_reason)
        }

        private enum CodingKeys: String, CodingKey {
            case index, delta, finish_reason
        }
    }
    let id: String
    let object = "chat.completion.chunk"
    let created: Int
    let model: String
    let choices: [Choice]
    let usage: OpenAIUsage?
}

struct OpenAITextCompletion: Encodable {
    struct Choice: Encodable {
        let index: Int
        let text: String
        let finish_reason: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(text, forKey: .text)
            try container.encodeNil(forKey: .logprobs)
            try container.encode(finish_reason, forKey: .finish_reason)
        }

        private enum CodingKeys: String, CodingKey {
            case index, text, logprobs, finish_reason
        }
    }
    let id: String
    let object = "text_completion"
    let created: Int
    let model: String
    let choices: [Choice]
    let usage: OpenAIUsage?
}
