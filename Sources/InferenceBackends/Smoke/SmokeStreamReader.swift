/// Reads a streamed chat completion as it arrives and measures it. Pure: each piece comes with
/// the time since the request was sent, so the arithmetic is tested with made-up times.
public struct SmokeStreamReader: Sendable {
    /// Bodies kept for an error message (a non-2xx answer's JSON) are cut here.
    static let keptBodyLimit = 4096

    private var parser = ServerSentEventParser()
    public private(set) var status: Int?
    public private(set) var tokenChunks = 0
    public private(set) var firstTokenAt: Duration?
    public private(set) var lastTokenAt: Duration?
    private var reportedTokens: Int?
    private var finishReason: String?
    private var sawDone = false
    private var streamError: String?
    private var events = 0
    private var keptBody: [UInt8] = []

    public init() {}

    public mutating func receive(status: Int) {
        self.status = status
    }

    /// A piece of the body, `elapsed` after the request was sent.
    public mutating func receive(_ bytes: some Collection<UInt8>, at elapsed: Duration) {
        if keptBody.count < Self.keptBodyLimit { keptBody += bytes.prefix(Self.keptBodyLimit - keptBody.count) }
        for data in parser.feed(bytes) {
            events += 1
            let chunk = ChatStreamChunk(data: data)
            if chunk.carriesToken {
                tokenChunks += 1
                if firstTokenAt == nil { firstTokenAt = elapsed }
                lastTokenAt = elapsed
            }
            if let reason = chunk.finishReason { finishReason = reason }
            if let count = chunk.completionTokens { reportedTokens = count }
            if let error = chunk.error, streamError == nil { streamError = error }
            if chunk.isDone { sawDone = true }
        }
    }

    /// Whether the completion is over (the server may keep the connection open after `[DONE]`).
    public var isComplete: Bool { sawDone || streamError != nil }

    /// The verdict once the body has ended.
    public func verdict() -> SmokeVerdict {
        guard let status else { return .failed("no answer") }
        guard (200..<300).contains(status) else {
            let body = String(decoding: keptBody, as: UTF8.self)
            let message = ProbeText.errorMessage(in: body) ?? "no details"
            if status == 401 || status == 403 {
                return .failed("the server refused our credentials (HTTP \(status)): check server.apiKey")
            }
            return .failed("HTTP \(status): \(message)")
        }
        if let streamError { return .failed("the server reported an error in the stream: \(streamError)") }
        guard let firstTokenAt, let lastTokenAt else {
            if events == 0 { return .failed("the answer was not an event stream (HTTP \(status), \(keptBody.count) bytes)") }
            return .failed("the stream ended without a token" + (finishReason.map { " (finish_reason \($0))" } ?? ""))
        }
        guard sawDone || finishReason != nil else {
            return .failed("the stream was cut after \(tokenChunks) token\(tokenChunks == 1 ? "" : "s"), unfinished")
        }
        let tokens = max(reportedTokens ?? tokenChunks, 1)
        return .passed(SmokeFigures(timeToFirstToken: firstTokenAt, completionTokens: tokens,
                                    tokensPerSecond: Self.rate(tokens: tokens, first: firstTokenAt, last: lastTokenAt)))
    }

    /// Decoding speed: the tokens after the first over the time between the first and the last.
    /// When that cannot be timed (one token, or all of them arriving in one read), all tokens over
    /// the time from the request to the last one, prompt processing included.
    static func rate(tokens: Int, first: Duration, last: Duration) -> Double? {
        let window = (last - first).fractionalMilliseconds / 1000
        if tokens >= 2, window > 0 { return Double(tokens - 1) / window }
        let whole = last.fractionalMilliseconds / 1000
        return whole > 0 ? Double(tokens) / whole : nil
    }
}
