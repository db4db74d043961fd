import InferenceBackends
import InferenceModel
import Testing

/// Reading a streamed chat completion and measuring it, on made-up streams and made-up times.
@Suite("Smoke stream reading")
struct SmokeStreamTests {
    static func chunk(_ content: String?, finish: String? = nil) -> String {
        let delta = content.map { #"{"content":"\#($0)"}"# } ?? "{}"
        let reason = finish.map { "\"\($0)\"" } ?? "null"
        return #"data: {"object":"chat.completion.chunk","choices":[{"index":0,"delta":\#(delta),"finish_reason":\#(reason)}]}"# + "\n\n"
    }

    static let roleChunk = #"data: {"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}"# + "\n\n"
    static let usage = #"data: {"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}"# + "\n\n"
    static let done = "data: [DONE]\n\n"

    // MARK: Server-sent events

    @Test func eventsSplitAcrossPiecesAreJoined() {
        var parser = ServerSentEventParser()
        let text = "data: {\"a\":1}\n\ndata: {\"b\":\"é\"}\n\n"
        let bytes = Array(text.utf8)
        var events: [String] = []
        // One byte at a time: a piece may end anywhere, even inside "é".
        for byte in bytes { events += parser.feed([byte]) }
        #expect(events == [#"{"a":1}"#, #"{"b":"é"}"#])
    }

    @Test func crlfCommentsAndMultiLineData() {
        var parser = ServerSentEventParser()
        var events = parser.feed(Array(": keep-alive\r\n\r\nevent: message\r\ndata: first\r".utf8))
        events += parser.feed(Array("\ndata:second\r\nid: 7\r\n\r\n".utf8))
        #expect(events == ["first\nsecond"])
        #expect(parser.feed(Array("data: unfinished\n".utf8)).isEmpty)
    }

    // MARK: Chunks

    @Test func chunksSayWhatTheyCarry() {
        #expect(ChatStreamChunk(data: "[DONE]").isDone)
        #expect(ChatStreamChunk(data: #"{"choices":[{"delta":{"content":"Hi"}}]}"#).carriesToken)
        #expect(ChatStreamChunk(data: #"{"choices":[{"delta":{"reasoning_content":"hm"}}]}"#).carriesToken)
        #expect(!ChatStreamChunk(data: #"{"choices":[{"delta":{"role":"assistant","content":""}}]}"#).carriesToken)
        let last = ChatStreamChunk(data: #"{"choices":[{"delta":{},"finish_reason":"length"}],"usage":{"completion_tokens":8}}"#)
        #expect(last.finishReason == "length")
        #expect(last.completionTokens == 8)
        #expect(ChatStreamChunk(data: #"{"error":{"code":500,"message":"slot unavailable"}}"#).error == "slot unavailable")
        #expect(ChatStreamChunk(data: "not json") == ChatStreamChunk())
    }

    // MARK: Measuring

    @Test func aCompleteStreamIsMeasured() throws {
        var reader = SmokeStreamReader()
        reader.receive(status: 200)
        reader.receive(Array(Self.roleChunk.utf8), at: .milliseconds(30))
        reader.receive(Array(Self.chunk("Simulated").utf8), at: .milliseconds(40))
        reader.receive(Array(Self.chunk(" reply").utf8), at: .milliseconds(60))
        reader.receive(Array((Self.chunk(" to", finish: nil) + Self.chunk(nil, finish: "length") + Self.usage + Self.done).utf8),
                       at: .milliseconds(80))
        #expect(reader.isComplete)
        guard case .passed(let figures) = reader.verdict() else { Issue.record("\(reader.verdict())"); return }
        #expect(figures.timeToFirstToken == .milliseconds(40))
        #expect(figures.completionTokens == 3)
        // Two tokens after the first, in the 40 ms between the first and the last.
        #expect(figures.tokensPerSecond == 50)
        #expect(figures.metadata == ["measured_ttft_ms": .number(40), "measured_tokens_per_s": .number(50)])
        #expect(figures.summary == "first token in 40.0 ms, 3 tokens at 50.0 tokens/s")
    }

    @Test func withoutUsageTheChunksAreCounted() {
        var reader = SmokeStreamReader()
        reader.receive(status: 200)
        reader.receive(Array((Self.chunk("a") + Self.chunk("b")).utf8), at: .milliseconds(10))
        reader.receive(Array((Self.chunk("c") + Self.chunk("d", finish: "stop")).utf8), at: .milliseconds(20))
        guard case .passed(let figures) = reader.verdict() else { Issue.record("\(reader.verdict())"); return }
        #expect(figures.completionTokens == 4)
        #expect(figures.tokensPerSecond == 300)
    }

    /// Everything in one read (a fast local server): the rate over the whole request instead.
    @Test func tokensArrivingTogetherAreTimedFromTheRequest() {
        var reader = SmokeStreamReader()
        reader.receive(status: 200)
        reader.receive(Array((Self.roleChunk + Self.chunk("a") + Self.chunk("b") + Self.chunk(nil, finish: "stop") + Self.done).utf8),
                       at: .microseconds(2500))
        guard case .passed(let figures) = reader.verdict() else { Issue.record("\(reader.verdict())"); return }
        #expect(figures.timeToFirstToken == .microseconds(2500))
        #expect(figures.tokensPerSecond == 800)
        #expect(figures.metadata["measured_ttft_ms"] == .number(2.5))
    }

    @Test func failuresSayWhy() {
        func verdict(status: Int, _ pieces: [String]) -> SmokeVerdict {
            var reader = SmokeStreamReader()
            reader.receive(status: status)
            for (index, piece) in pieces.enumerated() { reader.receive(Array(piece.utf8), at: .milliseconds(Int64(index + 1))) }
            return reader.verdict()
        }
        #expect(verdict(status: 401, [#"{"error":{"message":"Invalid API Key"}}"#])
                == .failed("the server refused our credentials (HTTP 401): check server.apiKey"))
        #expect(verdict(status: 404, [#"{"error":{"message":"model \"x\" not found"}}"#]) == .failed(#"HTTP 404: model "x" not found"#))
        #expect(verdict(status: 200, [Self.roleChunk, Self.chunk(nil, finish: "stop"), Self.done])
                == .failed("the stream ended without a token (finish_reason stop)"))
        #expect(verdict(status: 200, [Self.roleChunk, Self.chunk("a")]) == .failed("the stream was cut after 1 token, unfinished"))
        #expect(verdict(status: 200, [Self.chunk("a"), #"data: {"error":{"message":"out of memory"}}"# + "\n\n"])
                == .failed("the server reported an error in the stream: out of memory"))
        #expect(verdict(status: 200, [#"{"choices":[{"message":{"content":"OK"}}]}"#])
                == .failed("the answer was not an event stream (HTTP 200, 42 bytes)"))
    }

    // MARK: Publishing

    @Test func onlyAMeaningfulChangeIsPublishedAgain() {
        let figures = SmokeFigures(timeToFirstToken: .milliseconds(100), completionTokens: 8, tokensPerSecond: 40)
        #expect(figures.differMeaningfully(from: [:]))
        #expect(figures.differMeaningfully(from: ["measured_ttft_ms": .number(100)]))
        #expect(!figures.differMeaningfully(from: ["measured_ttft_ms": .number(90), "measured_tokens_per_s": .number(45)]))
        #expect(figures.differMeaningfully(from: ["measured_ttft_ms": .number(60), "measured_tokens_per_s": .number(40)]))
        #expect(figures.differMeaningfully(from: ["measured_ttft_ms": .number(100), "measured_tokens_per_s": .number(20)]))
    }

    @Test func theRequestIsAStreamedChatCompletion() {
        let body = SmokeRequestBody(model: "sim-model", prompt: "Reply with the word OK.", maxTokens: 8)
        #expect(body.json == #"{"max_tokens":8,"messages":[{"content":"Reply with the word OK.","role":"user"}],"model":"sim-model","stream":true,"stream_options":{"include_usage":true}}"#)
    }
}
