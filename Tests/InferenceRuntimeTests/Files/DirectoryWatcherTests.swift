import Foundation
import Testing
@testable import InferenceRuntime

@Suite("inotify on a directory")
struct DirectoryWatcherTests {
    @Test func seesCreateRenameAndDeleteByName() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let watcher = try DirectoryWatcher(path: dir)
        defer { watcher.stop() }
        try "a: 1\n".write(toFile: dir + "/one.yaml", atomically: true, encoding: .utf8) // temp file + rename
        try FileManager.default.removeItem(atPath: dir + "/one.yaml")
        var seen: [String] = []
        for await event in watcher.events {
            seen.append(event.name)
            if event.name == "one.yaml" && event.mask & UInt32(IN_DELETE) != 0 { break }
        }
        #expect(seen.contains("one.yaml"))
    }

    @Test func parsesPackedRecords() {
        func record(_ mask: UInt32, _ name: String) -> [UInt8] {
            var padded = Array(name.utf8) + [0]
            while padded.count % 16 != 0 { padded.append(0) }
            let words: [UInt32] = [1, mask, 0, UInt32(padded.count)]
            return words.flatMap { word in (0..<4).map { UInt8((word >> (8 * $0)) & 0xff) } } + padded
        }
        let bytes = record(UInt32(IN_MOVED_TO), "models.yaml") + record(UInt32(IN_DELETE), "x.yml")
        let events = DirectoryWatcher.parse(bytes[...])
        #expect(events.map(\.name) == ["models.yaml", "x.yml"])
        #expect(events.map(\.mask) == [UInt32(IN_MOVED_TO), UInt32(IN_DELETE)])
    }
}
