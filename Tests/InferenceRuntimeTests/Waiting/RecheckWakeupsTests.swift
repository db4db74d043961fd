import Foundation
import Testing
@testable import InferenceRuntime

/// `wait` re-checks on file events and on a slow timer, and stops at its deadline.
@Suite("wait: when to look again", .timeLimit(.minutes(1)))
struct RecheckWakeupsTests {
    @Test func aRelevantFileChangeWakesAtOnce() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // No timer to speak of: only the file event can wake it before the deadline.
        let wakeups = RecheckWakeups(directories: [dir], isRelevant: { $0 == "alpha.instance.status.json" },
                                     safetyInterval: .seconds(3600), deadline: .now + .seconds(30))
        defer { wakeups.stop() }
        #expect(wakeups.watchedDirectories == [dir])
        try AtomicFileWriter.write("{}", to: dir + "/alpha.instance.status.json")
        var woke = false
        for await _ in wakeups.wakes {
            woke = true
            break
        }
        #expect(woke)
    }

    @Test func theSafetyIntervalWakesWithoutAnyChange() async {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wakeups = RecheckWakeups(directories: [dir], isRelevant: { _ in false },
                                     safetyInterval: .milliseconds(10), deadline: .now + .seconds(30))
        defer { wakeups.stop() }
        var count = 0
        for await _ in wakeups.wakes {
            count += 1
            if count == 3 { break }
        }
        #expect(count == 3)
    }

    @Test func theDeadlineEndsTheStream() async {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let wakeups = RecheckWakeups(directories: [dir], isRelevant: { _ in true },
                                     safetyInterval: .seconds(3600), deadline: .now + .milliseconds(50))
        for await _ in wakeups.wakes {}
        // Reaching this line is the test: the loop ended by itself.
    }

    @Test func aDirectoryThatCannotBeWatchedIsLeftToTheTimer() async {
        let wakeups = RecheckWakeups(directories: ["/nonexistent-\(UUID().uuidString)"], isRelevant: { _ in true },
                                     safetyInterval: .milliseconds(10), deadline: .now + .seconds(30))
        defer { wakeups.stop() }
        #expect(wakeups.watchedDirectories.isEmpty)
        var woke = false
        for await _ in wakeups.wakes {
            woke = true
            break
        }
        #expect(woke)
    }
}
