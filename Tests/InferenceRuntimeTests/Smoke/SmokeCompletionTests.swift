import Foundation
import InferenceBackends
import InferenceModel
import Testing
@testable import InferenceRuntime

/// One smoke completion against made-up streams: what is sent, what is measured, and a hang
/// that ends at the timeout.
@Suite("Smoke completion")
struct SmokeCompletionTests {
    static let endpoint = EndpointDescriptor(
        instance: "sim", managementMode: .managed, protocol: .openaiChatCompletions, baseURL: "http://127.0.0.1:4000/v1",
        headers: ["x-team": "infra"], secretHeaders: ["authorization": .environment("SIM_KEY")], providerIdentity: "inference-sim",
        modelIdentity: "sim-model", sourceRuntime: "simulation", sourceRuntimeRef: "pid:1", capabilities: [:])

    /// Generous by default: on a loaded machine a made-up stream may still take a while.
    static func request(timeout: DurationValue = .seconds(60)) throws -> SmokeRequest {
        try SmokeRequest(spec: SmokeSpec(maxTokens: 3, timeout: timeout), endpoint: endpoint, defaultPrompt: "Say OK.",
                         secrets: SecretResolver(environment: ["SIM_KEY": "sk-test-12345"]))
    }

    @Test func itIsSentAsAConsumerWouldSendIt() async throws {
        let client = FakeCompletionStream(.answer(status: 200, pieces: FakeChatStream.reply(["OK"])))
        _ = await SmokeCompletion(client: client).run(try Self.request())
        let sent = try #require(client.sent.first)
        #expect(sent.url == "http://127.0.0.1:4000/v1/chat/completions")
        #expect(sent.headers == ["authorization": "Bearer sk-test-12345", "x-team": "infra"])
        #expect(sent.body.contains(#""model":"sim-model""#))
        #expect(sent.body.contains(#""content":"Say OK.""#))
        #expect(sent.body.contains(#""max_tokens":3"#))
        #expect(sent.body.contains(#""stream":true"#))
    }

    @Test func aCompletionIsMeasured() async throws {
        let client = FakeCompletionStream(.answer(status: 200, pieces: FakeChatStream.reply(["Simulated", " reply", " to"])))
        let verdict = await SmokeCompletion(client: client).run(try Self.request())
        guard case .passed(let figures) = verdict else { Issue.record("\(verdict)"); return }
        #expect(figures.completionTokens == 3)
        #expect(figures.timeToFirstToken > .zero)
        #expect((figures.tokensPerSecond ?? 0) > 0)
        #expect(figures.metadata.keys.sorted() == ["measured_tokens_per_s", "measured_ttft_ms"])
    }

    @Test func aHungGenerationFailsAtTheTimeout() async throws {
        let behaviours: [FakeCompletionStream.Behaviour] = [
            .silent,
            .hangAfter(status: 200, pieces: [FakeChatStream.chunk(nil)]),
            .hangAfter(status: 200, pieces: [FakeChatStream.chunk(nil), FakeChatStream.chunk("OK")]),
        ]
        for behaviour in behaviours {
            let verdict = await SmokeCompletion(client: FakeCompletionStream(behaviour)).run(try Self.request(timeout: .init(milliseconds: 50)))
            guard case .failed(let why) = verdict else { Issue.record("\(behaviour): \(verdict)"); continue }
            #expect(why.contains("within 0.05s (readiness.smoke.timeout)"), "\(why)")
        }
    }

    /// What the timeout message says depends on how far the completion got.
    @Test func theTimeoutSaysHowFarItGot() {
        let progress = SmokeProgress()
        #expect(progress.timeoutMessage(.seconds(2))
                == "no answer within 2.00s (readiness.smoke.timeout): the server accepts requests but does not generate")
        progress.update(status: 200, tokens: 0)
        #expect(progress.timeoutMessage(.seconds(2)) == "HTTP 200, then no token within 2.00s (readiness.smoke.timeout): generation hangs")
        progress.update(status: 200, tokens: 1)
        #expect(progress.timeoutMessage(.seconds(2)) == "the stream stalled after 1 token, not done within 2.00s (readiness.smoke.timeout)")
    }

    @Test func refusalsAndTransportFailuresSayWhy() async throws {
        let refused = FakeCompletionStream(.answer(status: 401, pieces: [#"{"error":{"message":"Invalid API Key"}}"#]))
        #expect(await SmokeCompletion(client: refused).run(try Self.request())
                == .failed("the server refused our credentials (HTTP 401): check server.apiKey"))
        let down = FakeCompletionStream(.transportFailure("Connection refused (errno: 111)"))
        #expect(await SmokeCompletion(client: down).run(try Self.request()) == .failed("connection refused"))
    }

    @Test func aMissingSecretIsNamedNotSent() throws {
        #expect(throws: SecretResolver.Failure.missingEnvironment("SIM_KEY")) {
            try SmokeRequest(spec: nil, endpoint: Self.endpoint, defaultPrompt: "Say OK.", secrets: SecretResolver(environment: [:]))
        }
    }

    /// An operation that ignores cancellation does not hold the caller: it is left behind.
    @Test func theRaceDoesNotWaitForTheLoser() async {
        let gate = Gate()
        let result = await Race.first(within: .milliseconds(20)) {
            await gate.wait() // opened only after the race is over: waiting for it would never end
            return "finished"
        } orElse: {
            "timed out"
        }
        #expect(result == "timed out")
        gate.open()
    }

    @Test func aCancelledCallerIsAnsweredAtOnce() async {
        let gate = Gate()
        let race = Task {
            await Race.first(within: .seconds(3600)) {
                await gate.wait()
                return "finished"
            } orElse: {
                "gave up"
            }
        }
        race.cancel()
        #expect(await race.value == "gave up")
        gate.open()
    }
}

/// A wait that only `open()` ends (cancellation does not).
final class Gate: @unchecked Sendable {
    private let lock = NSLock()
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = lock.withLock { () -> Bool in
                if isOpen { return true }
                waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiting = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
            isOpen = true
            defer { waiters = [] }
            return waiters
        }
        waiting.forEach { $0.resume() }
    }
}
