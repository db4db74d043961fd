import Foundation
import Testing
@testable import InferenceRuntime

/// A record removed between listing the folder and reading it (a prune running while `status` or
/// `wait` looks) is gone, not unreadable: calling it unreadable would make `wait --for deleted` fail.
@Suite("Records that vanish while being read")
struct StateStoreScanTests {
    @Test func aRecordRemovedAfterListingIsGoneNotUnreadable() {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = FileStateStore(layout: StateLayout(manifestDirectory: dir))
        #expect(store.read(path: dir + "/.inferctl/instances/beta.json", fileName: "beta.json") == nil)
    }

    @Test func aRecordThatIsThereButBrokenIsStillUnreadable() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = StateLayout(manifestDirectory: dir)
        try FileManager.default.createDirectory(atPath: layout.recordsDirectory, withIntermediateDirectories: true)
        try "{".write(toFile: layout.recordPath("beta"), atomically: true, encoding: .utf8)
        let store = FileStateStore(layout: layout)
        guard case .failure = store.read(path: layout.recordPath("beta"), fileName: "beta.json") else {
            Issue.record("a broken record was not reported")
            return
        }
        #expect(store.unreadableRecords().map(\.instance) == ["beta"])
    }
}
