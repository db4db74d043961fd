import Foundation

/// What a command still holds when it is done (10,000 manifests, a plan of 10,000 actions) is kept
/// until the process exits, which reclaims it at once: releasing it object by object only delays
/// the exit (a tenth of `plan` at 50,000 manifests).
enum KeptUntilExit {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var kept: [Any] = []

    static func keep(_ value: Any) {
        lock.withLock { kept.append(value) }
    }
}
