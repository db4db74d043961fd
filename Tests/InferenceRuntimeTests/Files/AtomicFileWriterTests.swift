import Foundation
import Glibc
import Testing
@testable import InferenceRuntime

@Suite struct AtomicFileWriterTests {
    @Test func replacesContentAndLeavesNoTempFiles() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/state/record.json"
        try AtomicFileWriter.write(Data("first".utf8), to: path)
        #expect(readText(path) == "first")
        try AtomicFileWriter.write("second, longer content", to: path)
        #expect(readText(path) == "second, longer content")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/state") == ["record.json"])

        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o644)
    }

    @Test func failureKeepsPreviousFileAndRemovesTemp() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/target"
        try AtomicFileWriter.write("old", to: path)
        // A directory in the way makes the rename fail after the temp is written.
        let blocked = dir + "/blocked"
        try FileManager.default.createDirectory(atPath: blocked + "/inside", withIntermediateDirectories: true)
        #expect(throws: SystemCallError.self) { try AtomicFileWriter.write("new", to: blocked) }
        #expect(readText(path) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["blocked", "target"])
    }
}
