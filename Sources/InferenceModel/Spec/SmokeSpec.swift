/// `readiness.smoke`: a real completion sent through the published endpoint before an instance is
/// called Ready, timed to publish what the server really does (`measured_ttft_ms`,
/// `measured_tokens_per_s`). Off unless written; `readiness.smoke: {}` turns it on with defaults.
public struct SmokeSpec: Codable, Sendable, Equatable {
    /// The user message sent; nil: the backend's default (`BackendDriver.defaultSmokePrompt`).
    public var prompt: String?
    /// Sent as `max_tokens`: small, so the check costs little of the server's time.
    public var maxTokens: Int
    /// The whole completion (first byte to last token) must be done within this; a hung
    /// generation is found by it.
    public var timeout: DurationValue

    public static let defaultMaxTokens = 8
    public static let defaultTimeout = DurationValue.seconds(30)

    public init(prompt: String? = nil, maxTokens: Int = SmokeSpec.defaultMaxTokens, timeout: DurationValue = SmokeSpec.defaultTimeout) {
        self.prompt = prompt
        self.maxTokens = maxTokens
        self.timeout = timeout
    }
}

/// `health.smoke`: the `readiness.smoke` completion repeated while the instance runs (under
/// `inferctl watch`), so a server whose health probe answers but whose generation hangs is found.
/// It sends what `readiness.smoke` says (or its defaults when that is not written).
public struct HealthSmokeSpec: Codable, Sendable, Equatable {
    /// Time between two smoke completions; each costs the server a short generation.
    public var interval: DurationValue

    public static let defaultInterval = DurationValue.minutes(1)

    public init(interval: DurationValue = HealthSmokeSpec.defaultInterval) {
        self.interval = interval
    }
}
