import Foundation
import Testing
@testable import InferenceModel
@testable import InferenceRuntime

/// A record read again is only decoded again when its bytes changed; any change to the file —
/// an edit by hand, a file made unreadable, a removal — is seen at the very next read.
@Suite("Records read again are compared byte for byte, not trusted")
struct DecodedRecordCacheTests {
    static func record(message: String) -> InstanceRecord {
        InstanceRecord(name: "alpha", backend: "simulation", startupKind: .spawned, fingerprint: SpecFingerprint(fields: [:]),
                       port: 40000, message: message)
    }

    @Test func anEditByHandAfterAReadIsSeenAtTheNextRead() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = StateLayout(manifestDirectory: dir)
        try StateDirectories.prepare(layout)
        let store = FileStateStore(layout: layout)
        try store.save(Self.record(message: "first"))
        #expect(store.loadRecord("alpha").record?.message == "first")
        #expect(store.loadRecord("alpha").record?.message == "first") // read again: the same bytes

        // Same length, other content: only a byte comparison tells them apart.
        let path = layout.recordPath("alpha")
        let edited = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "\"first\"", with: "\"other\"")
        try edited.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(store.loadRecord("alpha").record?.message == "other")

        try "{".write(toFile: path, atomically: false, encoding: .utf8)
        guard case .unreadable = store.loadRecord("alpha") else {
            Issue.record("a record broken after it was read is still trusted")
            return
        }
        try FileManager.default.removeItem(atPath: path)
        #expect(store.loadRecord("alpha") == .missing)
    }

    @Test func aSaveComparesWithWhatIsOnDiskNow() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = StateLayout(manifestDirectory: dir)
        try StateDirectories.prepare(layout)
        let store = FileStateStore(layout: layout)
        try store.save(Self.record(message: "first"))
        _ = store.loadRecord("alpha")
        // Someone else writes revision 2 behind our back.
        let other = FileStateStore(layout: layout)
        try other.save(Self.record(message: "theirs"))
        #expect(throws: StaleRecord.self) { try store.save(Self.record(message: "ours"), ifRevision: .revision(1)) }
        #expect(store.loadRecord("alpha").record?.message == "theirs")
    }
}
