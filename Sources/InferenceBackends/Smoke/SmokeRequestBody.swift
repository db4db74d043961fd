import Foundation

/// The JSON of a smoke completion: one user message, a few tokens, streamed (so the first token
/// can be timed), usage asked for (so tokens are counted by the server, not guessed).
public struct SmokeRequestBody: Encodable, Sendable, Equatable {
    struct Message: Encodable, Sendable, Equatable {
        var role = "user"
        var content: String
    }

    struct StreamOptions: Encodable, Sendable, Equatable {
        var include_usage = true
    }

    var model: String
    var messages: [Message]
    var max_tokens: Int
    var stream = true
    var stream_options = StreamOptions()

    /// Short, and answerable in a word by any chat model, so a few tokens make a whole reply.
    public static let standardPrompt = "Reply with the word OK."

    public init(model: String, prompt: String, maxTokens: Int) {
        self.model = model
        self.messages = [Message(content: prompt)]
        self.max_tokens = maxTokens
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Encoding strings and numbers cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
