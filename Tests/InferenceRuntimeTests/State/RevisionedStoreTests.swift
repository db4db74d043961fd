import Foundation
import Glibc
import Testing
@testable import InferenceModel
@testable import InferenceRuntime

/// Both stores, file and memory, version records the same way: every write that changes a record
/// bumps its revision, a write that changes nothing writes nothing, and a conditional write on a
/// revision that moved on is refused.
@Suite("Versioned state store (compare-and-swap)")
struct RevisionedStoreTests {
    enum Kind: String, CaseIterable, CustomTestStringConvertible {
        case file, memory
        var testDescription: String { rawValue }
    }

    /// A store of that kind in a scratch folder (the memory store ignores it).
    struct Scratch {
        let dir = makeScratchDirectory()
        var layout: StateLayout { StateLayout(manifestDirectory: dir) }

        func store(_ kind: Kind) throws -> any StateStore {
            try StateDirectories.prepare(layout)
            return kind == .file ? FileStateStore(layout: layout) : MemoryStateStore()
        }

        func cleanup() { try? FileManager.default.removeItem(atPath: dir) }
    }

    static func record(_ name: String = "alpha", message: String? = nil) -> InstanceRecord {
        InstanceRecord(name: name, backend: "simulation", startupKind: .spawned, fingerprint: SpecFingerprint(fields: [:]),
                       port: 40000, message: message)
    }

    @Test(arguments: Kind.allCases)
    func everyChangeBumpsTheRevision(_ kind: Kind) throws {
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let store = try scratch.store(kind)
        let first = try store.save(Self.record(), ifRevision: .missing)
        #expect(first.revision == 1)
        let second = try store.save(Self.record(message: "changed"), ifRevision: .revision(1))
        #expect(second.revision == 2)
        #expect(store.loadRecord("alpha").record?.revision == 2)
        #expect(store.loadRecord("alpha").revision == .revision(2))
    }

    @Test(arguments: Kind.allCases)
    func aSaveThatChangesNothingKeepsTheRevision(_ kind: Kind) throws {
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let store = try scratch.store(kind)
        try store.save(Self.record(message: "same"))
        let inode = Self.inode(scratch.layout.recordPath("alpha"))
        let again = try store.save(Self.record(message: "same"), ifRevision: .revision(1))
        #expect(again.revision == 1)
        #expect(store.loadRecord("alpha").record?.revision == 1)
        if kind == .file { #expect(Self.inode(scratch.layout.recordPath("alpha")) == inode, "the file was not written again") }
        if let memory = store as? MemoryStateStore { #expect(memory.writes == 1) }
    }

    @Test(arguments: Kind.allCases)
    func aWriteOnARevisionThatMovedOnIsRefusedAndWritesNothing(_ kind: Kind) throws {
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let store = try scratch.store(kind)
        try store.save(Self.record(message: "one"))
        try store.save(Self.record(message: "two"))
        #expect(throws: StaleRecord(instance: "alpha", expected: .revision(1), found: .revision(2))) {
            try store.save(Self.record(message: "late"), ifRevision: .revision(1))
        }
        #expect(store.loadRecord("alpha").record?.message == "two")
        #expect(store.loadRecord("alpha").record?.revision == 2)
    }

    @Test(arguments: Kind.allCases)
    func noRecordIsARevisionToo(_ kind: Kind) throws {
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let store = try scratch.store(kind)
        #expect(throws: StaleRecord(instance: "alpha", expected: .revision(1), found: .missing)) {
            try store.save(Self.record(), ifRevision: .revision(1))
        }
        try store.save(Self.record(), ifRevision: .missing)
        #expect(throws: StaleRecord(instance: "alpha", expected: .missing, found: .revision(1))) {
            try store.save(Self.record(message: "a second creator"), ifRevision: .missing)
        }
    }

    @Test(arguments: Kind.allCases)
    func aRemovalOnARevisionThatMovedOnIsRefused(_ kind: Kind) throws {
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let store = try scratch.store(kind)
        try store.save(Self.record(message: "one"))
        try store.save(Self.record(message: "two"))
        #expect(throws: StaleRecord.self) { try store.remove("alpha", ifRevision: .revision(1)) }
        #expect(store.loadRecord("alpha").record != nil)
        try store.remove("alpha", ifRevision: .revision(2))
        #expect(store.loadRecord("alpha") == .missing)
    }

    @Test func aRecordWrittenBeforeRevisionsReadsAsRevisionZero() throws {
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let store = try scratch.store(.file) as! FileStateStore
        var json = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(Self.record())) as! [String: Any]
        json.removeValue(forKey: "revision")
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: scratch.layout.recordPath("alpha")))
        let old = try #require(store.loadRecord("alpha").record)
        #expect(old.revision == 0)
        #expect(try store.save(old, ifRevision: .revision(0)).revision == 1)
    }

    @Test func aWriteOverARecordThatCannotBeReadOnlyHappensUnconditionally() throws {
        let scratch = Scratch()
        defer { scratch.cleanup() }
        let store = try scratch.store(.file)
        try "{".write(toFile: scratch.layout.recordPath("alpha"), atomically: true, encoding: .utf8)
        #expect(throws: StaleRecord(instance: "alpha", expected: .missing, found: nil)) {
            try store.save(Self.record(), ifRevision: .missing)
        }
        #expect(try store.save(Self.record()).revision == 1)
    }

    @Test func theMessageSaysWhatMovedAndWhatToDo() {
        let stale = StaleRecord(instance: "alpha", expected: .revision(3), found: .revision(4))
        #expect(stale.description == "the state changed since this plan was made (record revision 4, planned from 3); run apply again")
    }

    static func inode(_ path: String) -> ino_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_ino : 0
    }
}
