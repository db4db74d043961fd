import Foundation

/// Members of one residency group start one at a time within a process (a controller reconciles
/// keys in parallel): each start holds its groups from the moment it counts the room until its
/// server is ready or has failed, so two starts never both take the last place.
/// Groups are taken in name order, so two starts sharing two groups cannot wait on each other.
public final class ResidencyGate: @unchecked Sendable {
    private let lock = NSLock()
    private var held: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    /// Members being evicted now, by another key's reconcile.
    private var evicting: Set<String> = []

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

    /// While `body` evicts `instance`, its own reconciles leave it alone (its exit is the evictor's
    /// to record, as Evicted, not a crash).
    public func evicting<T: Sendable>(_ instance: String, _ body: () async -> T) async -> T {
        lock.withLock { _ = evicting.insert(instance) }
        defer { lock.withLock { _ = evicting.remove(instance) } }
        return await body()
    }

    public func isBeingEvicted(_ instance: String) -> Bool { lock.withLock { evicting.contains(instance) } }
}
