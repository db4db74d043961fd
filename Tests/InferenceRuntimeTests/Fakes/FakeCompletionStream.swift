import Foundation
import InferenceRuntime

/// Streamed answers made up in memory: played back piece by piece, or a generation that hangs.
final class FakeCompletionStream: CompletionStreamClient, @unchecked Sendable {
    enum Behaviour: Sendable {
        /// The status, then each piece of the body.
        case answer(status: Int, pieces: [String])
        /// The status and these pieces, then nothing until the request is cancelled.
        case hangAfter(status: Int, pieces: [String])
        /// No answer at all until the request is cancelled.
        case silent
        case transportFailure(String)
    }

    struct Sent: Sendable {
        var url: String
        var body: String
        var headers: [String: String]
    }

    private let lock = NSLock()
    private var behaviours: [Behaviour]
    private var sentRequests: [Sent] = []

    /// Each request gets the next behaviour; the last one repeats.
    init(_ behaviours: Behaviour...) {
        self.behaviours = behaviours
    }

    var sent: [Sent] { lock.withLock { sentRequests } }

    func post(_ url: String, jsonBody: String, headers: [String: String], receive: (StreamedPiece) -> Bool) async throws {
        let behaviour = lock.withLock { () -> Behaviour in
            sentRequests.append(Sent(url: url, body: jsonBody, headers: headers))
            return behaviours.count > 1 ? behaviours.removeFirst() : behaviours[0]
        }
        switch behaviour {
        case .answer(let status, let pieces):
            guard receive(.status(status)) else { return }
            for piece in pieces {
                try await Task.sleep(for: .milliseconds(1)) // so the pieces are apart in time, as on a wire
                guard receive(.body(Array(piece.utf8))) else { return }
            }
        case .hangAfter(let status, let pieces):
            guard receive(.status(status)) else { return }
            for piece in pieces { _ = receive(.body(Array(piece.utf8))) }
            try await Task.sleep(for: .seconds(3600))
        case .silent:
            try await Task.sleep(for: .seconds(3600))
        case .transportFailure(let why):
            throw FakeTransportError(description: why)
        }
    }
}

struct FakeTransportError: Error, CustomStringConvertible {
    var description: String
}

/// A streamed chat completion as llama-server sends one.
enum FakeChatStream {
    static func chunk(_ content: String?, finish: String? = nil) -> String {
        let delta = content.map { #"{"content":"\#($0)"}"# } ?? #"{"role":"assistant","content":""}"#
        let reason = finish.map { "\"\($0)\"" } ?? "null"
        return #"data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":\#(delta),"finish_reason":\#(reason)}]}"# + "\n\n"
    }

    /// A role chunk, `words` one per chunk, the finish, usage and `[DONE]`.
    static func reply(_ words: [String]) -> [String] {
        [chunk(nil)] + words.map { chunk($0) } + [
            #"data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"# + "\n\n",
            #"data: {"choices":[],"usage":{"completion_tokens":\#(words.count)}}"# + "\n\n",
            "data: [DONE]\n\n",
        ]
    }
}
