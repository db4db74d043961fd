import Foundation

/// Request and response bodies of the Ollama HTTP API (the parts we simulate).

/// Ollama accepts `keep_alive` as seconds (`0`, `-1`, `300`) or a Go duration string (`"5m"`, `"0s"`).
struct OllamaKeepAlive: Decodable, Sendable {
    let seconds: TimeInterval

    var unloadsNow: Bool { seconds == 0 }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            seconds = number
        } else {
            let text = try container.decode(String.self)
            do {
                let duration = try DurationParsing.parse(text)
                let (whole, attoseconds) = duration.components
                seconds = Double(whole) + Double(attoseconds) / 1e18
            } catch {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid keep_alive '\(text)'")
            }
        }
    }
}

/// Accepts and ignores any JSON value (e.g. `tools` definitions we only count).
struct IgnoredJSON: Decodable, Sendable {
    init(from decoder: any Decoder) throws {}
}

struct OllamaRuntimeOptions: Decodable, Sendable {
    let num_predict: Int?
}

/// `/api/show`, `/api/pull`, `/api/delete` name the model as `model` (or the older `name`).
struct OllamaModelReference: Decodable, Sendable {
    let model: String?
    let name: String?
    let stream: Bool?

    var requestedName: String? { model ?? name }
}

struct OllamaGenerateRequest: Decodable, Sendable {
    let model: String?
    let prompt: String?
    let images: [String]?
    let stream: Bool?
    let keep_alive: OllamaKeepAlive?
    let options: OllamaRuntimeOptions?
}

struct OllamaChatMessage: Codable, Sendable {
    let role: String
    let content: String?
}

struct OllamaChatRequest: Decodable, Sendable {
    let model: String?
    let messages: [OllamaChatMessage]?
    let tools: [IgnoredJSON]?
    let stream: Bool?
    let keep_alive: OllamaKeepAlive?
    let options: OllamaRuntimeOptions?
}

struct OllamaModelDetails: Encodable, Sendable {
    let parent_model = ""
    let format: String
    let family: String
    let families: [String]
    let parameter_size: String
    let quantization_level: String

    init(_ facts: OllamaModelFacts) {
        format = facts.format
        family = facts.family
        families = [facts.family]
        parameter_size = facts.parameterSize
        quantization_level = facts.quantizationLevel
    }
}

struct OllamaTagsResponse: Encodable {
    struct Model: Encodable {
        let name: String
        let model: String
        let modified_at: String
        let size: Int64
        let digest: String
        let details: OllamaModelDetails
    }
    let models: [Model]
}

struct OllamaProcessResponse: Encodable {
    struct Model: Encodable {
        let name: String
        let model: String
        let size: Int64
        let digest: String
        let details: OllamaModelDetails
        let expires_at: String
        let size_vram: Int64
        let context_length: Int
    }
    let models: [Model]
}

/// A JSON value of any shape, for `model_info` whose keys depend on the family.
enum JSONValue: Encodable, Sendable {
    case string(String)
    case int(Int64)
    case strings([String])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        }
    }
}

struct OllamaShowResponse: Encodable {
    let modelfile: String
    let parameters: String
    let template: String
    let details: OllamaModelDetails
    let model_info: [String: JSONValue]
    let capabilities: [String]
    let modified_at: String
}

struct OllamaStatus: Encodable {
    let status: String
    var digest: String? = nil
    var total: Int64? = nil
    var completed: Int64? = nil
}

struct OllamaVersion: Encodable {
    let version: String
}

/// Timing fields Ollama adds to the final object of a generation (nanoseconds).
struct OllamaGenerationStats: Encodable, Sendable {
    let total_duration: Int64
    let load_duration: Int64
    let prompt_eval_count: Int
    let prompt_eval_duration: Int64
    let eval_count: Int
    let eval_duration: Int64

    /// Made-up but stable timings: 1 ms per prompt token, 10 ms per generated token.
    init(promptTokens: Int, evalTokens: Int) {
        prompt_eval_count = promptTokens
        prompt_eval_duration = Int64(promptTokens) * 1_000_000
        eval_count = evalTokens
        eval_duration = Int64(evalTokens) * 10_000_000
        load_duration = 1_000_000
        total_duration = load_duration + prompt_eval_duration + eval_duration
    }
}

struct OllamaGenerateResponse: Encodable {
    let model: String
    let created_at: String
    let response: String
    let done: Bool
    var done_reason: String? = nil
    var context: [Int]? = nil
    var stats: OllamaGenerationStats? = nil

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(created_at, forKey: .created_at)
        try container.encode(response, forKey: .response)
        try container.encode(done, forKey: .done)
        try container.encodeIfPresent(done_reason, forKey: .done_reason)
        try container.encodeIfPresent(context, forKey: .context)
        try stats?.encode(to: encoder)
    }

    private enum CodingKeys: String, CodingKey {
        case model, created_at, response, done, done_reason, context
    }
}

struct OllamaChatResponse: Encodable {
    let model: String
    let created_at: String
    let message: OllamaChatMessage
    let done: Bool
    var done_reason: String? = nil
    var stats: OllamaGenerationStats? = nil

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
        try container.encode(created_at, forKey: .created_at)
        try container.encode(message, forKey: .message)
        try container.encode(done, forKey: .done)
        try container.encodeIfPresent(done_reason, forKey: .done_reason)
        try stats?.encode(to: encoder)
    }

    private enum CodingKeys: String, CodingKey {
        case model, created_at, message, done, done_reason
    }
}

/// Ollama timestamps: RFC 3339 with fractional seconds.
enum OllamaTimestamp {
    static func format(_ date: Date) -> String {
        Date.ISO8601FormatStyle(includingFractionalSeconds: true).format(date)
    }
}
