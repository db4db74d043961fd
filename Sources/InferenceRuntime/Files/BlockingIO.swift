import Dispatch
import Foundation

/// Runs blocking work (a scan of /proc, a log copy, a durable write with its fsyncs) on threads of
/// its own, not on the cooperative pool: that pool has one thread per core (two here), and a task
/// blocked in the kernel there holds up every other task of the controller.
///
/// The threads come from a bank of serial queues, taken in turn: each may get a thread of its own
/// while the others block. A concurrent queue would not do: on Linux it runs about as many items
/// at once as there are cores, so hundreds of starts would fsync two at a time; many fsyncs in
/// flight together are committed together by the filesystem.
enum BlockingIO {
    static let width = 32
    private static let queues = (0..<width).map { DispatchQueue(label: "inferctl.blocking-io.\($0)", qos: .utility) }
    /// `start`'s own bank: work there never waits for other work, so a job of the first bank
    /// waiting for one here can never wait in a circle.
    private static let leafQueues = (0..<width).map { DispatchQueue(label: "inferctl.blocking-io.leaf.\($0)", qos: .utility) }
    private static let turn = NSLock()
    nonisolated(unsafe) private static var next = 0
    nonisolated(unsafe) private static var nextLeaf = 0

    static func run<Result: Sendable>(_ work: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            nextQueue().async { continuation.resume(returning: work()) }
        }
    }

    static func run<Result: Sendable, Failure: Error>(_ work: @escaping @Sendable () throws(Failure) -> Result) async throws(Failure) -> Result {
        let outcome: Swift.Result<Result, Failure> = await run { () -> Swift.Result<Result, Failure> in
            do throws(Failure) { return .success(try work()) } catch { return .failure(error) }
        }
        return try outcome.get()
    }

    /// Starts `work` on another thread, for a blocking caller to wait for later: two slow things
    /// (fsyncs) overlap with no hop through the cooperative pool. `work` must not wait for other
    /// blocking work itself.
    static func start<Result>(_ work: @escaping @Sendable () -> Result) -> Pending<Result> {
        let pending = Pending<Result>()
        let queue = turn.withLock {
            defer { nextLeaf = (nextLeaf + 1) % width }
            return leafQueues[nextLeaf]
        }
        queue.async { pending.finish(work()) }
        return pending
    }

    /// The result of `start`, waited for by a thread that may block.
    final class Pending<Result>: @unchecked Sendable {
        private let done = DispatchSemaphore(value: 0)
        private var result: Result?

        fileprivate func finish(_ value: Result) {
            result = value
            done.signal()
        }

        func wait() -> Result {
            done.wait()
            return result!
        }
    }

    private static func nextQueue() -> DispatchQueue {
        turn.withLock {
            defer { next = (next + 1) % width }
            return queues[next]
        }
    }
}
