import Foundation
import InferenceBackends

/// One instance's `health.smoke` under watch: when the next smoke is due and how many failed in a
/// row. It belongs to one run of the server (its `readyAt`): a restarted server starts afresh, its
/// first health smoke one interval after it became ready (its readiness smoke, if any, just ran).
struct HealthSmokeState: Sendable, Equatable {
    let readySince: Date
    private(set) var lastRun: Date
    private(set) var consecutiveFailures = 0
    /// The latest verdict; nil before the first smoke of this run.
    private(set) var latest: SmokeVerdict?

    init(readySince: Date) {
        self.readySince = readySince
        self.lastRun = readySince
    }

    func isDue(at now: Date, interval: Duration) -> Bool {
        now >= lastRun.addingTimeInterval(interval.seconds)
    }

    /// How long until the next smoke is due (zero when it is).
    func untilDue(at now: Date, interval: Duration) -> Duration {
        let remaining = lastRun.addingTimeInterval(interval.seconds).timeIntervalSince(now)
        return remaining > 0 ? .milliseconds(Int64((remaining * 1000).rounded(.up))) : .zero
    }

    mutating func record(_ verdict: SmokeVerdict, at now: Date) {
        lastRun = now
        latest = verdict
        if case .failed = verdict { consecutiveFailures += 1 } else { consecutiveFailures = 0 }
    }
}

extension Duration {
    var seconds: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
