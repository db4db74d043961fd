import Foundation

/// Members of one residency group start one at a time within a process (a controller reconciles
/// keys in parallel): each start holds its groups from the moment it counts the room until its
/// server is ready or has failed, so two starts never both take the last place.
/// Groups are taken in name order, so two starts sharing two groups cannot wait on each other.
public final class ResidencyGate: @unchecked Sendable {
    private let lock = NSLock()
    private var held: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    public init() {}

    public func withGroups<T: Sendable>(_ names: [String], _ body: () async -> T) async -> T {
        let ordered = Array(Set(names)).sorted()
        for name in ordered { await acquire(name) }
        defer { for name in ordered.reversed() { release(name) } }
        return await body()
    }

    private func acquire(_ name: String) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = lock.withLock { () -> Bool in
                if held.contains(name) {
                    waiters[name, default: []].append(continuation)
                    return false
                }
                held.insert(name)
                return true
            }
            if granted { continuation.resume() }
        }
    }

    private func release(_ name: String) {
        let next = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            if var queue = waiters[name], !queue.isEmpty {
                let first = queue.removeFirst()
                waiters[name] = queue.isEmpty ? nil : queue
                return first // handed over: the group stays held
            }
            held.remove(name)
            return nil
        }
        next?.resume()
    }
}
