/// The deterministic "model": the same input always yields the same words.
///
/// Text is handled as a list of whitespace-separated words so that streamed
/// chunks (one per word) join back to exactly the non-streamed text.
struct SimulatedReply: Sendable, Equatable {
    enum FinishReason: String, Sendable {
        case stop
        case length
    }

    let words: [String]
    let finishReason: FinishReason

    /// `Simulated reply to: <input>`, cut to `maxTokens` words when given.
    init(replyingTo input: String, maxTokens: Int?) {
        self.init(fullWords: ["Simulated", "reply", "to:"] + Self.words(in: input), maxTokens: maxTokens)
    }

    /// `Simulated completion of: <prompt>` for text completions.
    init(completing prompt: String, maxTokens: Int?) {
        self.init(fullWords: ["Simulated", "completion", "of:"] + Self.words(in: prompt), maxTokens: maxTokens)
    }

    private init(fullWords: [String], maxTokens: Int?) {
        if let maxTokens, maxTokens >= 0, maxTokens < fullWords.count {
            words = Array(fullWords.prefix(maxTokens))
            finishReason = .length
        } else {
            words = fullWords
            finishReason = .stop
        }
    }

    var text: String { words.joined(separator: " ") }

    /// Streamed pieces: each word, preceded by a space except the first.
    var pieces: [String] {
        words.enumerated().map { index, word in index == 0 ? word : " " + word }
    }

    /// Our "tokenizer": whitespace-separated words.
    static func tokenCount(_ text: String) -> Int {
        words(in: text).count
    }

    static func words(in text: String) -> [String] {
        text.split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }
}
