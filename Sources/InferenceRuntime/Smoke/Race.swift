import Foundation

/// Waiting for work that may never end.
enum Race {
    /// The result of `operation`, or of `timedOut` once `limit` has passed. The losing operation
    /// is cancelled and not waited for, so one that ignores cancellation (a request stuck in a
    /// library) cannot hold the caller past its deadline. A cancelled caller gets `timedOut` at once.
    static func first<Value: Sendable>(within limit: Duration, _ operation: @escaping @Sendable () async -> Value,
                                       orElse timedOut: @escaping @Sendable () -> Value) async -> Value {
        let finish = FirstResult<Value>()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                finish.register(continuation)
                finish.track(Task { finish.offer(await operation()) })
                finish.track(Task {
                    try? await Task.sleep(for: limit)
                    finish.offer(timedOut())
                })
            }
        } onCancel: {
            finish.offer(timedOut())
        }
    }
}

/// The first value offered wins; the tasks still running are cancelled then.
private final class FirstResult<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Value, Never>?
    private var result: Value?
    private var tasks: [Task<Void, Never>] = []

    func register(_ continuation: CheckedContinuation<Value, Never>) {
        let ready = lock.withLock { () -> Value? in
            if let result { return result }
            self.continuation = continuation
            return nil
        }
        if let ready { continuation.resume(returning: ready) }
    }

    func track(_ task: Task<Void, Never>) {
        let finished = lock.withLock { () -> Bool in
            if result != nil { return true }
            tasks.append(task)
            return false
        }
        if finished { task.cancel() }
    }

    func offer(_ value: Value) {
        let (waiting, running) = lock.withLock { () -> (CheckedContinuation<Value, Never>?, [Task<Void, Never>]) in
            guard result == nil else { return (nil, []) }
            result = value
            defer { continuation = nil; tasks = [] }
            return (continuation, tasks)
        }
        running.forEach { $0.cancel() }
        waiting?.resume(returning: value)
    }
}
