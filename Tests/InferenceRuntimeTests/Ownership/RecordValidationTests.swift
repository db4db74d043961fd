import Foundation
import Testing
@testable import InferenceRuntime

@Suite("Records read back from disk are validated like manifests")
struct RecordValidationTests {
    func record(_ name: String) -> InstanceRecord {
        InstanceRecord(name: name, backend: "simulation", startupKind: .spawned, fingerprint: .init(fields: [:]))
    }

    @Test func aGoodRecordPasses() {
        var good = record("alpha")
        good.port = 8080
        good.process = ProcessIdentity(pid: 4242, startTimeTicks: 1, bootID: "b")
        good.spawnToken = StateFolderIdentity.randomHex() + "." + StateFolderIdentity.randomHex()
        #expect(RecordValidation.problem(good, fileName: "alpha.json") == nil)
    }

    @Test func hostileFieldsAreRejected() {
        #expect(RecordValidation.problem(record("../../../victim/settings"), fileName: "x.json") != nil)
        #expect(RecordValidation.problem(record("beta"), fileName: "alpha.json")?.contains("called alpha.json") == true)
        var initRecord = record("alpha")
        initRecord.process = ProcessIdentity(pid: 1, startTimeTicks: 1, bootID: "b")
        #expect(RecordValidation.problem(initRecord, fileName: "alpha.json")?.contains("pid 1") == true)
        var badPort = record("alpha")
        badPort.port = 70000
        #expect(RecordValidation.problem(badPort, fileName: "alpha.json") != nil)
        var badToken = record("alpha")
        badToken.spawnToken = "x"
        #expect(RecordValidation.problem(badToken, fileName: "alpha.json") != nil)
    }

    @Test func theStoreReportsUntrustedRecordsAndNeverTakesTheirPaths() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = StateLayout(manifestDirectory: dir)
        let store = FileStateStore(layout: layout)
        var good = record("alpha")
        good.logPath = "/etc/passwd"
        try store.save(good)
        let hostile = try JSONCoding.encoder.encode(record("../../../victim/settings"))
        try hostile.write(to: URL(fileURLWithPath: layout.recordsDirectory + "/victim.json"))
        symlink("/etc/hostname", layout.recordsDirectory + "/linked.json")

        let loaded = try store.loadRecords()
        #expect(loaded.map(\.name) == ["alpha"])
        #expect(loaded.first?.logPath == layout.logPath("alpha"), "paths are computed, never read from the record")
        let unreadable = store.unreadableRecords()
        #expect(Set(unreadable.map(\.instance)) == ["victim", "linked"])
    }
}
