import Testing
import InferenceModel

/// Work spread over threads comes back in index order, every index once.
@Suite struct OrderedParallelMapTests {
    @Test(arguments: [1, 2, 3, 8])
    func resultsAreInIndexOrder(workers: Int) {
        let squares = OrderedParallelMap.map(1000, workers: workers) { $0 * $0 }
        #expect(squares == (0..<1000).map { $0 * $0 })
        #expect(OrderedParallelMap.map(0, workers: workers) { $0 }.isEmpty)
    }

    @Test(arguments: [1, 2, 8])
    func rangesCoverEveryIndexOnceInOrder(workers: Int) {
        for count in [0, 1, 63, 64, 65, 1000, 5000] {
            let indices = OrderedParallelMap.flatMap(count, minimumRange: 64, workers: workers) { Array($0) }
            #expect(indices == Array(0..<count))
        }
    }
}
