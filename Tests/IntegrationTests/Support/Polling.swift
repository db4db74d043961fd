import Foundation

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Re-checks `condition` until it holds or `timeout` passes: a deadline, never a fixed sleep.
/// The wait ends as soon as the condition is true; on timeout it throws `TimedOut`.
func eventually(
    _ what: String = "condition",
    timeout: Duration = .seconds(10),
    pollEvery interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async throws {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while true {
        if try await condition() { return }
        if clock.now >= deadline { throw TimedOut(what: what) }
        try await Task.sleep(for: interval)
    }
}
