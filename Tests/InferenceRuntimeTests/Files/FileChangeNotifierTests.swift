import Foundation
import Testing
@testable import InferenceRuntime

/// One inotify descriptor and one thread for every watched file of the process.
@Suite("File change notifier")
struct FileChangeNotifierTests {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        var count: Int { lock.withLock { value } }
        func increment() { lock.withLock { value += 1 } }
    }

    static func append(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func aWriteCallsBackAndACancelledWatchIsQuiet() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (first, second) = (dir + "/a.log", dir + "/b.log")
        for path in [first, second] { FileManager.default.createFile(atPath: path, contents: nil) }
        let (firstCount, secondCount) = (Counter(), Counter())
        let firstWatch = try #require(FileChangeNotifier.shared.watch(first) { firstCount.increment() })
        let secondWatch = try #require(FileChangeNotifier.shared.watch(second) { secondCount.increment() })
        defer { secondWatch.cancel() }

        try Self.append("one\n", to: first)
        #expect(await eventually { firstCount.count >= 1 })
        let before = firstCount.count
        firstWatch.cancel()
        try Self.append("two\n", to: first)
        try Self.append("two\n", to: second)
        // Events are read in order: once the second file's is seen, the first's would have been.
        #expect(await eventually { secondCount.count >= 1 })
        #expect(firstCount.count == before)
    }

    @Test func aFileThatDoesNotExistCannotBeWatched() {
        #expect(FileChangeNotifier.shared.watch("/nonexistent/inferctl-\(UUID().uuidString)") {} == nil)
    }
}
