import Foundation

/// Runs `transform` on `0..<count` across up to `workers` threads and returns the results in index
/// order, whichever thread computed which: callers get the same output as a plain `map`.
/// Work at the scale of 10,000 manifests (reading, rules, plan payloads) goes through here.
public enum OrderedParallelMap {
    public static func map<T: Sendable>(_ count: Int, workers: Int = cores, _ transform: @Sendable (Int) -> T) -> [T] {
        guard workers > 1, count > 1 else { return (0..<count).map(transform) }
        let slots = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: min(workers, count)) { _ in
            while let index = slots.claim() {
                slots.put(transform(index), at: index)
            }
        }
        return slots.values()
    }

    /// `transform` on consecutive ranges covering `0..<count`, each of at least `minimumRange`
    /// indices (a thread per element would cost more than small work), results joined in order.
    public static func flatMap<T: Sendable>(_ count: Int, minimumRange: Int = 256, workers: Int = cores,
                                            _ transform: @Sendable (Range<Int>) -> [T]) -> [T] {
        let size = max(minimumRange, count / (max(workers, 1) * 8))
        let ranges = stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
        return map(ranges.count, workers: workers) { transform(ranges[$0]) }.flatMap { $0 }
    }

    /// Threads to use: one per core, up to eight (past that, parsing waits on memory anyway).
    public static let cores = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
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
