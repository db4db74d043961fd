import Foundation

/// What one event of a streamed chat completion says, read tolerantly: OpenAI's
/// `chat.completion.chunk`, llama-server's and Ollama's variants of it, `[DONE]`, or an error.
/// One chunk may say several things (llama-server's last one has a finish reason and the usage).
public struct ChatStreamChunk: Sendable, Equatable {
    /// `data: [DONE]`: the stream is complete.
    public var isDone = false
    /// `{"error": …}` sent in the stream (llama-server reports failures mid-stream so).
    public var error: String?
    /// `delta.content` (or a reasoning model's `delta.reasoning_content` / `delta.reasoning`) has
    /// text: one generated token, as these servers stream them.
    public var carriesToken = false
    public var finishReason: String?
    /// `usage.completion_tokens`, sent when asked for with `stream_options.include_usage`.
    public var completionTokens: Int?

    public init(isDone: Bool = false, error: String? = nil, carriesToken: Bool = false, finishReason: String? = nil,
                completionTokens: Int? = nil) {
        self.isDone = isDone
        self.error = error
        self.carriesToken = carriesToken
        self.finishReason = finishReason
        self.completionTokens = completionTokens
    }

    /// Reads one event's data. Anything not JSON, or of a shape we do not know, says nothing.
    public init(data: String) {
        guard data != "[DONE]" else {
            isDone = true
            return
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any] else { return }
        if let error = object["error"] {
            self.error = (error as? [String: Any])?["message"] as? String ?? error as? String ?? "an error without a message"
        }
        let choice = (object["choices"] as? [[String: Any]])?.first
        let delta = choice?["delta"] as? [String: Any]
        carriesToken = ["content", "reasoning_content", "reasoning"].contains { ((delta?[$0] as? String) ?? "").isEmpty == false }
        finishReason = choice?["finish_reason"] as? String
        completionTokens = ((object["usage"] as? [String: Any])?["completion_tokens"] as? NSNumber)?.intValue
    }
}
