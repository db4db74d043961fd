import Foundation
import Glibc
import Testing
@testable import InferenceModel
@testable import InferenceRuntime

/// Status files are rewritten only when their content changes, `updated_at` aside, whether the
/// file on disk is byte for byte what we would write or written otherwise (another layout, older
/// versions); a change anywhere else, even of one character, is written.
@Suite("Quiet status writes")
struct QuietWriterTests {
    static func status(message: String, at seconds: TimeInterval) -> InstanceStatus {
        let record = InstanceRecord(name: "alpha", backend: "simulation", startupKind: .spawned,
                                    fingerprint: SpecFingerprint(fields: [:]), port: 40000, phase: .ready, health: .healthy,
                                    message: message, startedAt: Date(timeIntervalSince1970: 1_800_000_000))
        return InstanceStatus(record: record, now: Date(timeIntervalSince1970: seconds))
    }

    static func inode(_ path: String) -> UInt64 {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    @Test func onlyTheTimeChangedWritesNothing() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alpha.instance.status.json"
        try QuietWriter.write(Self.status(message: "ready", at: 1_800_000_100), to: path, ignoring: \.updatedAt)
        let inode = Self.inode(path)
        try QuietWriter.write(Self.status(message: "ready", at: 1_800_000_900), to: path, ignoring: \.updatedAt)
        #expect(Self.inode(path) == inode)
        let kept = try JSONCoding.decoder.decode(InstanceStatus.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(kept.updatedAt == Date(timeIntervalSince1970: 1_800_000_100), "updated_at is when the content last changed")
    }

    @Test func aChangeOfOneCharacterIsWritten() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alpha.instance.status.json"
        try QuietWriter.write(Self.status(message: "ready a", at: 1_800_000_100), to: path, ignoring: \.updatedAt)
        try QuietWriter.write(Self.status(message: "ready b", at: 1_800_000_900), to: path, ignoring: \.updatedAt)
        let written = try JSONCoding.decoder.decode(InstanceStatus.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.message == "ready b")
        #expect(written.updatedAt == Date(timeIntervalSince1970: 1_800_000_900))
    }

    @Test func theSameContentWrittenOtherwiseIsStillTheSame() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alpha.instance.status.json"
        // Compact JSON, keys in another order: not our bytes, but the same status.
        let object = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(Self.status(message: "ready", at: 1_800_000_100)))
        try JSONSerialization.data(withJSONObject: object).write(to: URL(fileURLWithPath: path))
        let inode = Self.inode(path)
        try QuietWriter.write(Self.status(message: "ready", at: 1_800_000_900), to: path, ignoring: \.updatedAt)
        #expect(Self.inode(path) == inode)
    }

    @Test func aFileThatDiffersOnlyWhereTheDateIsMustStillHoldADate() throws {
        let encoded = Array(try JSONCoding.encoder.encode(Self.status(message: "ready", at: 1_800_000_100)))
        let marked = try IgnoredDateSpan.encode(Self.status(message: "ready", at: 0), markingField: \.updatedAt)
        #expect(marked.matches(encoded))
        let text = String(decoding: encoded, as: UTF8.self)
        let broken = Array(text.replacingOccurrences(of: "\"updated_at\" : \"2027-01-15T08:01:40Z\"",
                                                     with: "\"updated_at\" : \"2027-01-15T08:01:4\\\"\"").utf8)
        #expect(broken.count == encoded.count)
        #expect(!marked.matches(broken))
    }

    @Test func theDatePutInIsWhatTheEncoderWrites() throws {
        for seconds in [1_800_000_100.0, 1_800_000_100.75, 0.5, 4_102_444_799] {
            let status = Self.status(message: "ready", at: seconds)
            let marked = try IgnoredDateSpan.encode(status, markingField: \.updatedAt)
            #expect(try marked.filled(with: status.updatedAt) == Array(try JSONCoding.encoder.encode(status)))
        }
    }

    @Test func aFileWrittenByAnotherProcessInOurLayoutIsComparedAsDecoded() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/alpha.instance.status.json"
        // Our layout, a real change: written (this process did not write it, so it is decoded first).
        try JSONCoding.encoder.encode(Self.status(message: "before", at: 1_800_000_100)).write(to: URL(fileURLWithPath: path))
        try QuietWriter.write(Self.status(message: "after", at: 1_800_000_900), to: path, ignoring: \.updatedAt)
        let written = try JSONCoding.decoder.decode(InstanceStatus.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written.message == "after")
        // What this process wrote, changed again: written without decoding, and right.
        try QuietWriter.write(Self.status(message: "again", at: 1_800_000_950), to: path, ignoring: \.updatedAt)
        let again = try JSONCoding.decoder.decode(InstanceStatus.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(again.message == "again")
        #expect(again.updatedAt == Date(timeIntervalSince1970: 1_800_000_950))
    }

    @Test func aMarkerFoundTwiceDecidesNothing() {
        let twice = Array("\"1970-01-01T00:00:00Z\" \"1970-01-01T00:00:00Z\"".utf8)
        #expect(IgnoredDateSpan.onlyOccurrence(of: IgnoredDateSpan.markerText, in: twice) == nil)
        #expect(IgnoredDateSpan.onlyOccurrence(of: IgnoredDateSpan.markerText, in: Array(twice.prefix(22))) == 0..<22)
    }
}
