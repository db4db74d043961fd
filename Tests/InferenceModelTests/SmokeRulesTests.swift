import InferenceBackends
import InferenceModel
import Testing

/// Who may have a smoke completion, and what does not restart a server.
@Suite("Smoke completion rules")
struct SmokeRulesTests {
    @Test func everyBuiltInChatBackendTakesOne() {
        var sim = Fixture.sim()
        sim.readiness.smoke = SmokeSpec()
        sim.health.smoke = HealthSmokeSpec()
        var ollama = Fixture.ollama()
        ollama.readiness.smoke = SmokeSpec(prompt: "Say OK.", maxTokens: 2)
        var llama = Fixture.llama()
        llama.health.smoke = HealthSmokeSpec(interval: .seconds(30))
        let state = DesiredState(instances: [Fixture.instance("s", sim), Fixture.instance("o", ollama), Fixture.instance("l", llama)])
        #expect(Fixture.validate(state).isEmpty)
    }

    @Test func aBackendWithoutChatCompletionsIsRefused() {
        let embedder = BackendDefinition(metadata: ObjectMetadata(name: "embedder"),
                                         spec: CustomBackendSpec(startupKind: .spawned, protocols: [.openaiEmbeddings], command: ["e", "{port}"]),
                                         origin: Fixture.origin())
        var spec = InstanceSpec(backend: "embedder", model: ModelSpec(identity: "e"))
        spec.readiness.smoke = SmokeSpec()
        spec.health.smoke = HealthSmokeSpec()
        let diagnostics = Fixture.validate(DesiredState(backends: [embedder], instances: [Fixture.instance("e", spec)]))
        #expect(Set(diagnostics.map(\.fieldPath)) == ["spec.health.smoke", "spec.readiness.smoke"])
        #expect(diagnostics.count == 2)
        #expect(diagnostics.allSatisfy { $0.severity == .error })
        #expect(diagnostics.first?.message.contains("does not serve openai_chat_completions") == true)
        #expect(diagnostics.first?.hint?.contains("openai_embeddings") == true)
    }

    @Test func anEmptyPromptAndZeroDurationsAreRefused() {
        var spec = Fixture.sim()
        spec.readiness.smoke = SmokeSpec(prompt: "  ", timeout: .init(milliseconds: 0))
        spec.health.smoke = HealthSmokeSpec(interval: .init(milliseconds: 0))
        let diagnostics = Fixture.validate(DesiredState(instances: [Fixture.instance("s", spec)]))
        #expect(Set(diagnostics.map(\.fieldPath))
                == ["spec.readiness.smoke.prompt", "spec.readiness.smoke.timeout", "spec.health.smoke.interval"])
    }

    /// Changing how a server is checked is no reason to restart it.
    @Test func smokeSettingsLeaveTheFingerprintAlone() {
        let plain = Fixture.llama()
        var checked = plain
        checked.readiness.smoke = SmokeSpec(prompt: "Say OK.", maxTokens: 3, timeout: .seconds(5))
        checked.health.smoke = HealthSmokeSpec(interval: .seconds(15))
        let before = SpecFingerprint(spec: plain, startupKind: .spawned)
        let after = SpecFingerprint(spec: checked, startupKind: .spawned)
        #expect(before == after)
        #expect(after.changes(from: before).isEmpty)
    }
}
