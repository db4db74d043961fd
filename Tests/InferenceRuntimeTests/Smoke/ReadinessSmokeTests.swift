import Foundation
import InferenceBackends
import InferenceModel
import Testing
@testable import InferenceRuntime

/// `readiness.smoke` and the health smoke's verdict in the executor, on fakes: no process, no socket.
@Suite("Readiness smoke on fakes")
struct ReadinessSmokeTests {
    /// Generous: on a loaded machine the fake stream's pieces may take a while; the hang test sets its own.
    static func world(smoke: String? = "{maxTokens: 3, timeout: 60s}") throws -> ExecutorTests.World {
        try ExecutorTests.World(yaml: """
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: a}
        spec:
          backend: simulation
          server: {host: 127.0.0.1, port: auto}
          readiness: {timeout: 30s\(smoke.map { ", smoke: \($0)" } ?? "")}
          stop: {gracePeriod: 1s}
        """)
    }

    static func reconciler(_ world: ExecutorTests.World, _ completions: FakeCompletionStream) -> Reconciler {
        Reconciler(manifests: world.manifests, folder: world.folder,
                   environment: ReconcileEnvironment(host: world.host, prober: FakeProber(ready: true), completions: completions,
                                                     simulatorExecutable: "/bin/true", simulatorArguments: []),
                   store: world.store, statusWriter: world.statuses)
    }

    @Test func readyOnlyAfterTheCompletionWithItsFiguresPublished() async throws {
        let world = try Self.world()
        defer { world.cleanup() }
        let completions = FakeCompletionStream(.answer(status: 200, pieces: FakeChatStream.reply(["OK", "!"])))
        let result = try await Self.reconciler(world, completions).execute(world.plan())
        #expect(result.instances.map(\.phase) == [.ready])
        #expect(result.instances.first?.message.contains("smoke completion: first token in") == true)
        let record = try #require(world.store.record("a"))
        let sent = try #require(completions.sent.first)
        #expect(sent.url == "http://127.0.0.1:\(record.port ?? 0)/v1/chat/completions")
        #expect(sent.body.contains(#""content":"Reply with the word OK.""#))
        let metadata = try #require(record.endpoint?.metadata)
        guard case .number(let ttft)? = metadata["measured_ttft_ms"], case .number(let rate)? = metadata["measured_tokens_per_s"] else {
            Issue.record("no figures in \(metadata)")
            return
        }
        #expect(ttft >= 0)
        #expect(rate > 0)
        #expect(world.statuses.instances["a"]?.endpoint?.metadata["measured_ttft_ms"] != nil)
    }

    @Test func aHungGenerationFailsReadinessAndStopsTheServer() async throws {
        let world = try Self.world(smoke: "{timeout: 200ms}")
        defer { world.cleanup() }
        let completions = FakeCompletionStream(.hangAfter(status: 200, pieces: [FakeChatStream.chunk(nil)]))
        let result = try await Self.reconciler(world, completions).execute(world.plan())
        #expect(result.instances.map(\.phase) == [.failed])
        let record = try #require(world.store.record("a"))
        #expect(record.conditions.first { $0.type == "Ready" }?.reason == "SmokeTestFailed")
        #expect(record.lastExit?.failedCheck == "SmokeTestFailed")
        #expect(record.message?.contains("(readiness.smoke.timeout)") == true)
        #expect(world.host.stopCount == 1)
        #expect(ConditionReason.smokeTestFailed.isRetryable)
    }

    @Test func withoutASmokeNoCompletionIsSent() async throws {
        let world = try Self.world(smoke: nil)
        defer { world.cleanup() }
        let completions = FakeCompletionStream(.silent)
        let result = try await Self.reconciler(world, completions).execute(world.plan())
        #expect(result.instances.map(\.phase) == [.ready])
        #expect(completions.sent.isEmpty)
        #expect(world.store.record("a")?.endpoint?.metadata["measured_ttft_ms"] == nil)
    }

    /// The controller's verdict, folded into one refresh: degraded while the last smoke failed,
    /// figures published again only when they moved.
    @Test func theHealthSmokeVerdictIsFoldedIntoTheRefresh() async throws {
        let world = try Self.world(smoke: nil)
        defer { world.cleanup() }
        let reconciler = Self.reconciler(world, FakeCompletionStream(.silent))
        _ = try await reconciler.execute(world.plan())

        var options = ApplyOptions(wait: true, respectBackoff: true)
        options.healthSmokeVerdicts["a"] = .failed("no answer within 1s")
        _ = await reconciler.reconcileOne("a", options: options) { _ in }
        var record = try #require(world.store.record("a"))
        #expect(record.phase == .ready)
        #expect(record.health == .degraded)
        let healthy = try #require(record.conditions.first { $0.type == "Healthy" })
        #expect(healthy.reason == "SmokeTestFailed")
        #expect(healthy.message.contains("no answer within 1s"))

        let figures = SmokeFigures(timeToFirstToken: .milliseconds(40), completionTokens: 8, tokensPerSecond: 20)
        options.healthSmokeVerdicts["a"] = .passed(figures)
        _ = await reconciler.reconcileOne("a", options: options) { _ in }
        record = try #require(world.store.record("a"))
        #expect(record.health == .healthy)
        #expect(record.endpoint?.metadata["measured_tokens_per_s"] == .number(20))

        // A little slower: the same status, no write.
        let writes = world.store.writes
        options.healthSmokeVerdicts["a"] = .passed(SmokeFigures(timeToFirstToken: .milliseconds(44), completionTokens: 8, tokensPerSecond: 19))
        _ = await reconciler.reconcileOne("a", options: options) { _ in }
        #expect(world.store.writes == writes)
        #expect(world.store.record("a")?.endpoint?.metadata["measured_tokens_per_s"] == .number(20))
    }
}
