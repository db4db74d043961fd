import Foundation

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Re-checks `condition` every few milliseconds until it holds or `timeout` passes.
///
/// A deadline, not a fixed sleep: the wait ends as soon as the condition is true.
func waitUntil(
    _ what: String,
    timeout: Duration = .seconds(5),
    condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw TimedOut(what: what)
}

/// Runs `operation`, failing with `TimedOut` when it has not finished within `timeout`.
func withTimeout<T: Sendable>(
    _ what: String,
    _ timeout: Duration = .seconds(5),
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimedOut(what: what)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}
