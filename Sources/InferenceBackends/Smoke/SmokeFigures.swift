import Foundation
import InferenceModel

/// What a smoke completion measured.
public struct SmokeFigures: Sendable, Equatable {
    /// From sending the request to the first generated token (prompt processing included).
    public var timeToFirstToken: Duration
    /// `usage.completion_tokens` when the server reports it, else the token-carrying chunks counted.
    public var completionTokens: Int
    /// Generation speed; nil when nothing could be timed.
    public var tokensPerSecond: Double?

    public init(timeToFirstToken: Duration, completionTokens: Int, tokensPerSecond: Double?) {
        self.timeToFirstToken = timeToFirstToken
        self.completionTokens = completionTokens
        self.tokensPerSecond = tokensPerSecond
    }

    /// Keys of the endpoint descriptor's `metadata` the figures are published under.
    public static let timeToFirstTokenKey = "measured_ttft_ms"
    public static let tokensPerSecondKey = "measured_tokens_per_s"

    /// Milliseconds and tokens per second, rounded to one decimal: finer digits are noise.
    public var metadata: Metadata {
        var metadata: Metadata = [Self.timeToFirstTokenKey: .number(Self.rounded(timeToFirstToken.fractionalMilliseconds))]
        if let tokensPerSecond { metadata[Self.tokensPerSecondKey] = .number(Self.rounded(tokensPerSecond)) }
        return metadata
    }

    /// How far a published figure may drift before a health smoke publishes the new one: a
    /// server that got much slower (another model pushed it off the GPU) is worth a status
    /// write, the jitter between two runs is not.
    public static let republishRatio = 0.25

    /// Whether these figures should replace the ones in `published`: when either is missing
    /// there, or moved by more than `republishRatio` of it.
    public func differMeaningfully(from published: Metadata) -> Bool {
        metadata.contains { key, value in
            guard case .number(let new) = value, case .number(let old)? = published[key] else { return true }
            return abs(new - old) > Self.republishRatio * abs(old)
        }
    }

    /// `first token in 41.2 ms, 8 tokens at 23.5 tokens/s`.
    public var summary: String {
        let rate = tokensPerSecond.map { String(format: " at %.1f tokens/s", $0) } ?? ""
        return String(format: "first token in %.1f ms, ", timeToFirstToken.fractionalMilliseconds)
            + "\(completionTokens) token\(completionTokens == 1 ? "" : "s")\(rate)"
    }

    static func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}

/// How a smoke completion ended.
public enum SmokeVerdict: Sendable, Equatable {
    case passed(SmokeFigures)
    /// Why, in words for a status message (never holding a header value).
    case failed(String)
}

extension Duration {
    /// The duration in milliseconds, fractions kept.
    public var fractionalMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
