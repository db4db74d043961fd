/// The controller's queue of keys (instance names), as controller-runtime has it: a key waits
/// at most once, a key being reconciled that is added again runs once more after, and delayed
/// adds (backoff, health interval) keep only the earliest deadline per key.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: [Key] = []
    private var queued: Set<Key> = []
    private var processing: Set<Key> = []
    private var dirty: Set<Key> = []
    private var waiters: [CheckedContinuation<Key?, Never>] = []
    private var timers: [Key: (deadline: ContinuousClock.Instant, task: Task<Void, Never>)] = [:]
    private var shutDown = false
    private let clock = ContinuousClock()

    public init() {}

    /// Keys waiting to be handed out.
    public var depth: Int { queue.count }

    public func add(_ key: Key) {
        guard !shutDown else { return }
        if processing.contains(key) {
            dirty.insert(key)
            return
        }
        guard !queued.contains(key) else { return }
        if !waiters.isEmpty {
            processing.insert(key)
            waiters.removeFirst().resume(returning: key)
            return
        }
        queued.insert(key)
        queue.append(key)
    }

    /// Adds `key` after `delay`, unless an earlier add for it is already scheduled.
    public func add(_ key: Key, after delay: Duration) {
        guard !shutDown else { return }
        guard delay > .zero else { return add(key) }
        let deadline = clock.now.advanced(by: delay)
        if let existing = timers[key], existing.deadline <= deadline { return }
        timers[key]?.task.cancel()
        let task = Task { [weak self] in
            try? await Task.sleep(until: deadline, clock: ContinuousClock())
            guard !Task.isCancelled else { return }
            await self?.fire(key, deadline: deadline)
        }
        timers[key] = (deadline, task)
    }

    private func fire(_ key: Key, deadline: ContinuousClock.Instant) {
        guard timers[key]?.deadline == deadline else { return }
        timers[key] = nil
        add(key)
    }

    /// The next key to reconcile (waiting for one), nil once shut down.
    public func next() async -> Key? {
        if shutDown { return nil }
        if !queue.isEmpty {
            let key = queue.removeFirst()
            queued.remove(key)
            processing.insert(key)
            return key
        }
        return await withCheckedContinuation { waiters.append($0) }
    }

    /// Marks `key` reconciled; if it was added meanwhile it waits again.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.remove(key) != nil { add(key) }
    }

    /// Hands out nothing more; pending waiters get nil.
    public func shutdownQueue() {
        shutDown = true
        for timer in timers.values { timer.task.cancel() }
        timers.removeAll()
        waiters.forEach { $0.resume(returning: nil) }
        waiters.removeAll()
    }

    /// Whether nothing is queued, being reconciled or scheduled.
    public var isIdle: Bool { queue.isEmpty && processing.isEmpty && timers.isEmpty }

    /// Whether nothing is queued or being reconciled now (timers for later checks may be set).
    public var isQuiet: Bool { queue.isEmpty && processing.isEmpty && dirty.isEmpty }
}
