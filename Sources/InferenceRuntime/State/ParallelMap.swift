import Dispatch
import Foundation

/// `map` over every core at once, for CPU-bound work on independent items (decoding hundreds of
/// records). Blocks the caller until all are done; results keep the input's order.
enum ParallelMap {
    static func map<Item, Result>(_ items: [Item], _ transform: (Item) -> Result) -> [Result] {
        guard items.count > 1 else { return items.map(transform) }
        let results = UnsafeMutableBufferPointer<Result?>.allocate(capacity: items.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        // A few items per chunk: fewer hand-offs than one per item, still balanced across cores.
        let chunk = max(1, items.count / (ProcessInfo.processInfo.activeProcessorCount * 4))
        let chunks = (items.count + chunk - 1) / chunk
        withoutActuallyEscaping(transform) { transform in
            let shared = UncheckedBox(items: items, transform: transform, results: results)
            DispatchQueue.concurrentPerform(iterations: chunks) { index in
                for item in (index * chunk)..<min(shared.items.count, (index + 1) * chunk) {
                    shared.results[item] = shared.transform(shared.items[item])
                }
            }
        }
        return results.map { $0! }
    }

    /// Each iteration writes its own slots only.
    private struct UncheckedBox<Item, Result>: @unchecked Sendable {
        let items: [Item]
        let transform: (Item) -> Result
        let results: UnsafeMutableBufferPointer<Result?>
    }
}
