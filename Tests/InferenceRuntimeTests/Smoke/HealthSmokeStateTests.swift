import Foundation
import InferenceBackends
import Testing
@testable import InferenceRuntime

/// When a health smoke is due and how failures are counted, for one run of a server.
@Suite("Health smoke schedule")
struct HealthSmokeStateTests {
    let readyAt = Date(timeIntervalSince1970: 1_000_000)

    @Test func theFirstIsDueOneIntervalAfterReady() {
        let state = HealthSmokeState(readySince: readyAt)
        #expect(!state.isDue(at: readyAt.addingTimeInterval(59), interval: .seconds(60)))
        #expect(state.isDue(at: readyAt.addingTimeInterval(60), interval: .seconds(60)))
        #expect(state.untilDue(at: readyAt.addingTimeInterval(45), interval: .seconds(60)) == .seconds(15))
        #expect(state.untilDue(at: readyAt.addingTimeInterval(90), interval: .seconds(60)) == .zero)
        #expect(state.latest == nil)
    }

    @Test func failuresCountInARowUntilOnePasses() {
        var state = HealthSmokeState(readySince: readyAt)
        state.record(.failed("hung"), at: readyAt.addingTimeInterval(60))
        state.record(.failed("hung"), at: readyAt.addingTimeInterval(120))
        #expect(state.consecutiveFailures == 2)
        #expect(state.latest == .failed("hung"))
        #expect(!state.isDue(at: readyAt.addingTimeInterval(150), interval: .seconds(60)))
        let figures = SmokeFigures(timeToFirstToken: .milliseconds(5), completionTokens: 2, tokensPerSecond: 100)
        state.record(.passed(figures), at: readyAt.addingTimeInterval(180))
        #expect(state.consecutiveFailures == 0)
        #expect(state.latest == .passed(figures))
    }
}
