import Testing
import InferenceModel
@testable import InferenceManifests

/// `readiness.smoke` and `health.smoke`: off unless written, defaults for what is left out,
/// mistakes reported at their line.
@Suite struct SmokeDecodingTests {
    func instance(_ fields: String) -> ManifestLoadResult {
        loadYAML(minimalInstance + "\n" + fields + "\n")
    }

    @Test func offUnlessWritten() throws {
        let result = instance("  readiness: {timeout: 1m}\n  health: {interval: 5s}")
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        let spec = try #require(result.state.instances.first).spec
        #expect(spec.readiness.smoke == nil)
        #expect(spec.health.smoke == nil)
    }

    @Test func anEmptyMapTurnsThemOnWithDefaults() throws {
        let result = instance("  readiness: {smoke: {}}\n  health: {smoke: {}}")
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        let spec = try #require(result.state.instances.first).spec
        #expect(spec.readiness.smoke == SmokeSpec(prompt: nil, maxTokens: 8, timeout: .seconds(30)))
        #expect(spec.health.smoke == HealthSmokeSpec(interval: .minutes(1)))
    }

    @Test func everyFieldDecodes() throws {
        let result = instance("""
          readiness:
            timeout: 10m
            smoke: {prompt: "Say hi.", maxTokens: 4, timeout: 2s}
          health:
            smoke: {interval: 500ms}
        """)
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        let spec = try #require(result.state.instances.first).spec
        #expect(spec.readiness.timeout == .minutes(10))
        #expect(spec.readiness.smoke == SmokeSpec(prompt: "Say hi.", maxTokens: 4, timeout: .seconds(2)))
        #expect(spec.health.smoke == HealthSmokeSpec(interval: DurationValue(milliseconds: 500)))
    }

    @Test func mistakesAreReportedAtTheirLine() throws {
        let result = instance("""
          readiness:
            smoke:
              maxTokens: 0
              timeout: 30
              promt: hi
          health:
            smoke: {intervall: 1m}
        """)
        let maxTokens = try #require(result.diagnostic(field: "spec.readiness.smoke.maxTokens"), "\(result.renderedDiagnostics)")
        #expect(maxTokens.message == "must be at least 1, found 0")
        #expect(maxTokens.position == [9, 18])
        #expect(result.diagnostic(field: "spec.readiness.smoke.timeout")?.message == "'30' is not a duration (a bare number has no unit)")
        let typo = try #require(result.diagnostic("unknown field 'promt'"))
        #expect(typo.hint == "did you mean 'prompt'?")
        #expect(typo.position == [11, 7])
        let healthTypo = try #require(result.diagnostic("unknown field 'intervall'"))
        #expect(healthTypo.hint == "did you mean 'interval'?")
        #expect(healthTypo.location.line == 13)
    }

    @Test func aSmokeThatIsNotAMapIsRefused() throws {
        let result = instance("  readiness: {smoke: true}")
        let diagnostic = try #require(result.diagnostic(field: "spec.readiness.smoke"), "\(result.renderedDiagnostics)")
        #expect(diagnostic.message.contains("expected a map"))
    }
}
