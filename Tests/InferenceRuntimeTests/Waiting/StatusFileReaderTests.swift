import Foundation
import InferenceModel
import Testing
@testable import InferenceRuntime

@Suite("Status files read back")
struct StatusFileReaderTests {
    @Test func readsWhatTheWriterWrote() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = StateLayout(manifestDirectory: dir)
        let record = InstanceRecord(name: "alpha", backend: "simulation", startupKind: .spawned,
                                    fingerprint: SpecFingerprint(fields: ["a": "1"]), phase: .ready, message: "ok")
        try StatusWriter(layout: layout).write(InstanceStatus(record: record, now: Date()))
        guard case .present(let status) = StatusFileReader.instance("alpha", layout: layout) else {
            Issue.record("no status read back")
            return
        }
        #expect(status.name == "alpha")
        #expect(status.phase == .ready)
        #expect(status.observedGeneration == record.fingerprint.hash)
        #expect(StatusFileReader.instanceNames(layout: layout) == ["alpha"])
    }

    @Test func absentGarbageAndLinksAreToldApart() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = StateLayout(manifestDirectory: dir)
        #expect(StatusFileReader.instance("alpha", layout: layout) == .absent)
        try "not json".write(toFile: layout.instanceStatusPath("beta"), atomically: true, encoding: .utf8)
        #expect(StatusFileReader.instance("beta", layout: layout) == .unreadable("it is not a valid instance status"))
        try FileManager.default.createSymbolicLink(atPath: layout.instanceStatusPath("gamma"), withDestinationPath: layout.instanceStatusPath("beta"))
        #expect(StatusFileReader.instance("gamma", layout: layout) == .unreadable("it is a symbolic link"))
    }

    @Test func onlyStatusFilesOfValidNamesCount() {
        #expect(StatusFileReader.instanceName(ofFile: "alpha.instance.status.json") == "alpha")
        #expect(StatusFileReader.instanceName(ofFile: ".alpha.instance.status.json.tmp-12-34") == nil)
        #expect(StatusFileReader.instanceName(ofFile: "agent.consumer.status.json") == nil)
        #expect(StatusFileReader.instanceName(ofFile: "Bad_Name.instance.status.json") == nil)
        #expect(StatusFileReader.instanceName(ofFile: "alpha.yaml") == nil)
    }
}
