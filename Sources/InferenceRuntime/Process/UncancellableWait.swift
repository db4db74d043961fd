import Foundation

/// Waits that finish even when the calling task is cancelled: a stop that has begun is carried to
/// its end (bounded by its deadline) rather than left with a group half signalled. Nothing here
/// blocks a thread; the waits are events and timers.
enum UncancellableWait {
    /// Suspends until `event` returns or `deadline` passes; true when the event came first.
    static func first(_ event: @escaping @Sendable () async -> Void, orDeadline deadline: ContinuousClock.Instant) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let race = Race(continuation)
            // Unstructured tasks: the caller's cancellation does not reach them.
            race.add(Task { await event(); race.finish(true) })
            race.add(Task { try? await Task.sleep(until: deadline, clock: .continuous); race.finish(false) })
        }
    }

    static func sleep(until deadline: ContinuousClock.Instant) async {
        await Task { try? await Task.sleep(until: deadline, clock: .continuous) }.value
    }

    /// The first to finish resumes the waiter and cancels the other.
    private final class Race: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<Bool, Never>?
        private var tasks: [Task<Void, Never>] = []
        private var finished = false

        init(_ continuation: CheckedContinuation<Bool, Never>) {
            self.continuation = continuation
        }

        func add(_ task: Task<Void, Never>) {
            let over = lock.withLock { () -> Bool in
                if !finished { tasks.append(task) }
                return finished
            }
            if over { task.cancel() }
        }

        func finish(_ first: Bool) {
            let (waiter, others) = lock.withLock { () -> (CheckedContinuation<Bool, Never>?, [Task<Void, Never>]) in
                guard !finished else { return (nil, []) }
                finished = true
                defer { continuation = nil; tasks = [] }
                return (continuation, tasks)
            }
            waiter?.resume(returning: first)
            others.forEach { $0.cancel() }
        }
    }
}
