import Foundation

/// Wakes one waiting task when something happened (a server's log grew, its process exited) or at
/// a deadline, whichever comes first: a waiter sleeps until there is something to look at instead
/// of waking every few milliseconds to check. Signals that arrive while nobody waits are kept (as
/// one) for the next wait.
final class Wakeup: @unchecked Sendable {
    private let lock = NSLock()
    // Guarded by `lock`.
    private var signalled = false
    private var waiter: CheckedContinuation<Void, Never>?

    /// Something happened: wake the waiter now, or the next one at once.
    func signal() {
        let continuation = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            guard let waiting = waiter else {
                signalled = true
                return nil
            }
            waiter = nil
            return waiting
        }
        continuation?.resume()
    }

    /// Returns at the first signal since the last return, or at `deadline`, or when the task is cancelled.
    func wait(until deadline: ContinuousClock.Instant) async {
        if lock.withLock({ () -> Bool in defer { signalled = false }; return signalled }) { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
            group.addTask { await self.nextSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    private func nextSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = lock.withLock { () -> Bool in
                    if signalled {
                        signalled = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let continuation = lock.withLock { () -> CheckedContinuation<Void, Never>? in
                defer { waiter = nil }
                return waiter
            }
            continuation?.resume()
        }
    }
}
