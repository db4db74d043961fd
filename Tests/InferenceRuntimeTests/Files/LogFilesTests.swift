import Foundation
import Glibc
import Testing
@testable import InferenceRuntime

@Suite struct LogFilesTests {
    /// ~3 MB: lines "line 0" ... "line N-1".
    private func writeBigLog(_ path: String, lines: Int) throws {
        var text = ""
        text.reserveCapacity(lines * 40)
        for index in 0..<lines { text += "line \(index) " + String(repeating: "x", count: 30) + "\n" }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    @Test func tailReadsLastLinesOfBigFile() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/server.log"
        try writeBigLog(path, lines: 80_000)
        let last = try LogFiles.tail(path: path, lines: 3)
        #expect(last.count == 3)
        #expect(last.first?.hasPrefix("line 79997 ") == true)
        #expect(last.last?.hasPrefix("line 79999 ") == true)
        // Spanning several 64 KiB chunks.
        let many = try LogFiles.tail(path: path, lines: 5000)
        #expect(many.count == 5000)
        #expect(many.first?.hasPrefix("line 75000 ") == true)
    }

    @Test func tailEdgeCases() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/small.log"
        try "a\nb\nc".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try LogFiles.tail(path: path, lines: 2) == ["b", "c"])
        #expect(try LogFiles.tail(path: path, lines: 10) == ["a", "b", "c"])
        #expect(try LogFiles.tail(path: path, lines: 0) == [])
        try "".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try LogFiles.tail(path: path, lines: 5) == [])
        #expect(throws: SystemCallError.self) { try LogFiles.tail(path: dir + "/missing", lines: 1) }
    }

    @Test func rotatesByCopyTruncateAndShifts() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/server.log"
        try writeBigLog(path, lines: 80_000)
        let size = try #require(FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(size > 2_000_000)
        // An O_APPEND writer, like the server, keeps its descriptor across rotation.
        let writer = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        defer { close(writer) }

        #expect(try LogFiles.rotateIfNeeded(path: path, maxBytes: 10_000_000, keep: 2) == false)
        #expect(try LogFiles.rotateIfNeeded(path: path, maxBytes: 1_000_000, keep: 2))
        #expect(readText(path).isEmpty)
        #expect(try LogFiles.tail(path: path + ".1", lines: 1).first?.hasPrefix("line 79999 ") == true)

        _ = "after rotation\n".withCString { write(writer, $0, strlen($0)) }
        #expect(readText(path) == "after rotation\n") // no hole of zeros before it

        try String(repeating: "y", count: 2000).write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try LogFiles.rotateIfNeeded(path: path, maxBytes: 1000, keep: 2))
        #expect(readText(path + ".1").hasPrefix("yyy"))
        #expect(try LogFiles.tail(path: path + ".2", lines: 1).first?.hasPrefix("line 79999 ") == true)

        try "zzzz".write(toFile: path, atomically: false, encoding: .utf8)
        #expect(try LogFiles.rotateIfNeeded(path: path, maxBytes: 1, keep: 2))
        #expect(readText(path + ".1") == "zzzz")
        #expect(readText(path + ".2").hasPrefix("yyy"))
        #expect(!FileManager.default.fileExists(atPath: path + ".3"))
        #expect(try LogFiles.rotateIfNeeded(path: dir + "/missing.log", maxBytes: 1, keep: 2) == false)
    }

    @Test func followerStreamsNewLinesAndSurvivesTruncation() async throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/server.log"
        try "old 1\nold 2\n".write(toFile: path, atomically: false, encoding: .utf8)
        let writer = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        defer { close(writer) }
        func append(_ text: String) { _ = text.withCString { write(writer, $0, strlen($0)) } }

        let stream = LogFollower.follow(path: path, initialLines: 1, pollInterval: .milliseconds(10))
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == "old 2")
        append("new 1\npart")
        #expect(await iterator.next() == "new 1")
        append("ial\n")
        #expect(await iterator.next() == "partial")
        #expect(truncate(path, 0) == 0)
        append("after truncate\n")
        #expect(await iterator.next() == "after truncate")
    }
}
