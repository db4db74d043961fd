import Foundation

/// Runs `transform` on `0..<count` across up to `workers` threads and returns the results in index
/// order, whichever thread computed which: callers get the same output as a plain `map`.
enum OrderedParallelMap {
    static func map<T: Sendable>(_ count: Int, workers: Int, _ transform: @Sendable (Int) -> T) -> [T] {
        guard workers > 1, count > 1 else { return (0..<count).map(transform) }
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: min(workers, count)) { _ in
            while let index = slots.claim() {
                slots.put(transform(index), at: index)
            }
        }
        return slots.values()
    }

    /// Threads to use: one per core, up to eight (past that, parsing waits on memory anyway).
    static let cores = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
}

/// One slot per index, each written by the one thread that claimed its index; read after all are done.
private final class Slots<T>: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<T?>
    private let lock = NSLock()
    private var next = 0

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    deinit {
        buffer.deinitialize()
        buffer.deallocate()
    }

    func claim() -> Int? {
        lock.withLock {
            guard next < buffer.count else { return nil }
            next += 1
            return next - 1
        }
    }

    func put(_ value: T, at index: Int) {
        buffer[index] = value
    }

    func values() -> [T] {
        buffer.map { $0! }
    }
}
