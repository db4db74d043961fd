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

    /// The watched directory removed ends the loop, which closes its descriptors; their numbers go
    /// to the next files opened. Stopping the watcher after that must write to none of them (it
    /// once wrote its wake-up byte into whatever had the number: a socket, so a probe's answer
    /// began with a stray byte).
    @Test func stopAfterTheDirectoryWentWritesIntoNoReusedDescriptor() async throws {
        let dir = makeScratchDirectory()
        let watcher = try DirectoryWatcher(path: dir)
        let wakeNumber = watcher.wakeWrite
        try FileManager.default.removeItem(atPath: dir)
        for await _ in watcher.events {} // ends after the loop has closed its descriptors
        // Take the freed number with a socket, as the next connection of the process would; a byte
        // written to it shows up at its partner.
        var held: [Int32] = []
        var partner: Int32?
        while partner == nil && held.count < 256 {
            var ends: [Int32] = [-1, -1]
            guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0 else { break }
            held += ends
            if ends[0] == wakeNumber { partner = ends[1] } else if ends[1] == wakeNumber { partner = ends[0] }
        }
        defer { held.forEach { close($0) } }
        // Another test's thread may take the number first (tests run in parallel in one process):
        // then this run cannot check, and says so in its output rather than failing.
        guard let partner else {
            print("note: descriptor \(wakeNumber) was reused by another thread first; nothing to check this time")
            return
        }
        watcher.stop()
        var pollEntry = pollfd(fd: partner, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pollEntry, 1, 0) == 0, "stop() wrote its wake-up byte into a descriptor that is no longer its own")
    }
}
