import Foundation
import InferenceBackends

/// Sends a smoke completion and measures it, bounded by its timeout: a server that accepts the
/// request and then generates nothing (or stops halfway) fails it when the time is up.
public struct SmokeCompletion: Sendable {
    public let client: any CompletionStreamClient

    public init(client: any CompletionStreamClient) {
        self.client = client
    }

    public func run(_ request: SmokeRequest) async -> SmokeVerdict {
        let progress = SmokeProgress()
        return await Race.first(within: request.timeout) {
            await stream(request, progress: progress)
        } orElse: {
            .failed(progress.timeoutMessage(request.timeout))
        }
    }

    /// The exchange itself, unbounded: each piece timed as it arrives.
    private func stream(_ request: SmokeRequest, progress: SmokeProgress) async -> SmokeVerdict {
        let clock = ContinuousClock()
        let start = clock.now
        var reader = SmokeStreamReader()
        do {
            try await client.post(request.url, jsonBody: request.body.json, headers: request.headers) { piece in
                switch piece {
                case .status(let status): reader.receive(status: status)
                case .body(let bytes): reader.receive(bytes, at: clock.now - start)
                }
                progress.update(status: reader.status, tokens: reader.tokenChunks)
                return !reader.isComplete
            }
        } catch {
            let why = AsyncHTTPProber.describe(error, headerValues: request.headers.values)
            return .failed(reader.tokenChunks > 0 ? "\(why) after \(reader.tokenChunks) tokens" : why)
        }
        return reader.verdict()
    }
}

/// How far a smoke completion got, for the message when its time is up.
final class SmokeProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var status: Int?
    private var tokens = 0

    func update(status: Int?, tokens: Int) {
        lock.withLock {
            self.status = status
            self.tokens = tokens
        }
    }

    func timeoutMessage(_ timeout: Duration) -> String {
        let (status, tokens): (Int?, Int) = lock.withLock { (self.status, self.tokens) }
        let limit = "within \(timeout.formattedSeconds) (readiness.smoke.timeout)"
        guard let status else { return "no answer \(limit): the server accepts requests but does not generate" }
        if tokens == 0 { return "HTTP \(status), then no token \(limit): generation hangs" }
        return "the stream stalled after \(tokens) token\(tokens == 1 ? "" : "s"), not done \(limit)"
    }
}
