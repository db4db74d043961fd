import Testing
@testable import InferenceRuntime

/// Each key's periodic work falls in a slot of its own within the period: once in step, exactly
/// one period apart; never sooner than half a period after the last; different keys spread out.
@Suite struct KeyScheduleTests {
    @Test func aKeysSlotsAreOnePeriodApart() {
        let period = Duration.seconds(10)
        var elapsed = Duration.seconds(3)
        var delays: [Duration] = []
        for _ in 0..<5 {
            let delay = KeySchedule.delay(for: "s7", period: period, elapsed: elapsed)
            delays.append(delay)
            elapsed += delay + .milliseconds(2) // the work takes a moment
        }
        #expect(delays.allSatisfy { $0 >= .seconds(5) && $0 <= .seconds(15) }, "\(delays)")
        #expect(delays.dropFirst().allSatisfy { abs(KeySchedule.nanoseconds($0 - .seconds(10))) <= 2_000_000 }, "\(delays)")
    }

    @Test func keysStartedTogetherAreSpreadOverThePeriod() {
        let slots = (0..<50).map { KeySchedule.delay(for: "s\($0)", period: .seconds(10), elapsed: .seconds(1)) }
        // Bucketed by second: fifty keys fill most of the ten buckets, none holds most of them.
        let buckets = Dictionary(grouping: slots) { KeySchedule.nanoseconds($0) / 1_000_000_000 }
        #expect(buckets.count >= 7, "\(buckets.mapValues(\.count))")
        #expect(buckets.values.allSatisfy { $0.count <= 15 }, "\(buckets.mapValues(\.count))")
    }

    @Test func thePhaseIsStableAndInRange() {
        #expect(KeySchedule.phase(of: "alpha") == KeySchedule.phase(of: "alpha"))
        #expect((0..<1000).allSatisfy { (0..<1).contains(KeySchedule.phase(of: "key-\($0)")) })
        #expect(KeySchedule.delay(for: "x", period: .zero, elapsed: .seconds(5)) == .zero)
    }
}
