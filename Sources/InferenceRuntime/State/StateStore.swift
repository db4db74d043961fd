import Foundation
import InferenceModel

/// Reads and writes instance records. A protocol so the executor can be tested with a fake, and so
/// another store (etcd, whose revisions give the same compare-and-swap) can take the files' place.
///
/// Every write that changes a record bumps its `revision`; a write that changes nothing writes
/// nothing and keeps the revision (a pass that changes nothing is quiet).
public protocol StateStore: Sendable {
    func loadRecords() throws -> [InstanceRecord]
    /// Writes `record` only if the stored one is still at `expected` (compare-and-swap), else throws
    /// `StaleRecord` and writes nothing; `expected` nil writes whatever is stored. Returns the
    /// record as stored, with its revision.
    @discardableResult
    func save(_ record: InstanceRecord, ifRevision expected: RecordRevision?) throws -> InstanceRecord
    /// Removes the record only if it is still at `expected` (nil: whatever is stored).
    func remove(_ instance: String, ifRevision expected: RecordRevision?) throws
    /// Records that exist but cannot be read: their instances are left alone (see `ManifestSet.plan`).
    func unreadableRecords() -> [UnreadableRecord]
    /// One instance's record, without reading the others (the controller's per-key path).
    func loadRecord(_ instance: String) -> RecordLoad
}

/// What one record file holds.
public enum RecordLoad: Sendable, Equatable {
    case missing
    case record(InstanceRecord)
    case unreadable(String)

    public var record: InstanceRecord? {
        if case .record(let record) = self { return record }
        return nil
    }

    /// What a compare-and-swap write would compare with; nil for a record that cannot be read
    /// (which no expectation matches).
    public var revision: RecordRevision? {
        switch self {
        case .missing: .missing
        case .record(let record): .revision(record.revision)
        case .unreadable: nil
        }
    }
}

extension StateStore {
    /// Whatever is stored is replaced (recovery, `down`, the controller's own bookkeeping). It still
    /// bumps the revision, so a plan made before it is refused.
    @discardableResult
    public func save(_ record: InstanceRecord) throws -> InstanceRecord { try save(record, ifRevision: nil) }

    public func remove(_ instance: String) throws { try remove(instance, ifRevision: nil) }

    public func unreadableRecords() -> [UnreadableRecord] { [] }

    public func loadRecord(_ instance: String) -> RecordLoad {
        if let reason = unreadableRecords().first(where: { $0.instance == instance })?.reason { return .unreadable(reason) }
        return ((try? loadRecords()) ?? []).first { $0.name == instance }.map(RecordLoad.record) ?? .missing
    }
}

/// A record file we cannot parse. Its process may still be running, so its instance is neither
/// started again (that would duplicate it) nor stopped (we do not know what to stop).
public struct UnreadableRecord: Sendable, Equatable {
    public var instance: String
    public var path: String
    public var reason: String

    public var warning: String {
        "\(path) cannot be read (\(reason)); instance '\(instance)' is left alone so no second server is started. "
            + "Stop its process if one runs, then remove the file to start afresh."
    }
}

/// Records as JSON files in `.inferctl/instances/`, each written atomically.
public struct FileStateStore: StateStore {
    public let layout: StateLayout
    /// A record is a few KiB; anything far larger was not written by us.
    static let maximumRecordBytes = 1 << 20

    public init(layout: StateLayout) {
        self.layout = layout
    }

    /// Records that cannot be read or trusted are skipped here and reported by `unreadableRecords()`:
    /// a crash mid-write cannot leave one (writes are atomic), so only a hand edit can.
    public func loadRecords() throws -> [InstanceRecord] { scan().records }

    public func unreadableRecords() -> [UnreadableRecord] { scan().unreadable }

    struct Scan {
        var records: [InstanceRecord] = []
        var unreadable: [UnreadableRecord] = []
    }

    func scan() -> Scan {
        let directory = layout.recordsDirectory
        var result = Scan()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return result }
        let files = names.sorted().filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
        // Decoding is most of a scan's cost: the files are read on every core at once.
        let reads = ParallelMap.map(files) { name in read(path: directory + "/" + name, fileName: name) }
        for (name, read) in zip(files, reads) {
            let path = directory + "/" + name
            let instance = String(name.dropLast(5))
            switch read {
            case .success(let record): result.records.append(record)
            case .failure(let reason): result.unreadable.append(UnreadableRecord(instance: instance, path: path, reason: reason.text))
            case nil: continue // removed since it was listed (a prune running now): gone, not unreadable
            }
        }
        return result
    }

    struct Reason: Error { let text: String }

    public func loadRecord(_ instance: String) -> RecordLoad {
        guard ResourceName.isValid(instance) else { return .missing }
        switch read(path: layout.recordPath(instance), fileName: "\(instance).json") {
        case nil: return .missing
        case .success(let record): return .record(record)
        case .failure(let reason): return .unreadable(reason.text)
        }
    }

    /// Nil when there is no such file (any more).
    func read(path: String, fileName: String) -> Result<InstanceRecord, Reason>? {
        readBytes(path).map { read in read.flatMap { decode($0, path: path, fileName: fileName) } }
    }

    /// Bytes read at `path` before decode to what they did then (the path fixes the file name and
    /// the layout, the only other inputs): a pass that reads a record again only compares bytes.
    func decode(_ bytes: [UInt8], path: String, fileName: String) -> Result<InstanceRecord, Reason> {
        if let known = DecodedRecordCache.shared.record(at: path, bytes: bytes) { return .success(known) }
        let decoded = decode(bytes, fileName: fileName)
        if case .success(let record) = decoded { DecodedRecordCache.shared.remember(record, bytes: bytes, at: path) }
        return decoded
    }

    /// The file's bytes; nil when there is no such file (any more).
    func readBytes(_ path: String) -> Result<[UInt8], Reason>? {
        do throws(BoundedFileReader.Failure) {
            return .success(try BoundedFileReader.read(path, limit: Self.maximumRecordBytes, followSymlinks: false))
        } catch .cannotOpen(errno: ENOENT) {
            return nil
        } catch {
            return .failure(Reason(text: error.description))
        }
    }

    func decode(_ bytes: [UInt8], fileName: String) -> Result<InstanceRecord, Reason> {
        guard var record = try? JSONCoding.decoder.decode(InstanceRecord.self, from: Data(bytes)) else {
            return .failure(Reason(text: "not a valid record"))
        }
        if let problem = RecordValidation.problem(record, fileName: fileName) { return .failure(Reason(text: problem)) }
        // Paths are ours to compute, never taken from the file.
        if record.logPath != nil { record.logPath = layout.logPath(record.name) }
        return .success(record)
    }

    /// Compare-and-swap on a file: read, compare, write, under a lock of this process for the
    /// record. That is enough because this process is the only writer of the folder: `apply` and
    /// `down` hold the directory lock, and while `watch` runs everything goes through it. The write
    /// itself is atomic (temp file, fsync, rename). Revisions count per file: one removed and
    /// written again starts over at 1.
    @discardableResult
    public func save(_ record: InstanceRecord, ifRevision expected: RecordRevision?) throws -> InstanceRecord {
        let path = layout.recordPath(record.name)
        return try RecordWriteLocks.shared.withLock(path) {
            let stored = storedState(path: path, fileName: "\(record.name).json")
            if let expected, stored.revision != expected {
                throw StaleRecord(instance: record.name, expected: expected, found: stored.revision)
            }
            var next = record
            if case .revision(let number)? = stored.revision, let bytes = stored.bytes {
                next.revision = number
                // What is stored already (the revision aside): no write, no new revision.
                if try JSONCoding.encoder.encode(next).elementsEqual(bytes) { return next }
            }
            if case .revision(let number)? = stored.revision { next.revision = number + 1 }
            else { next.revision = stored.revision == .missing ? 1 : record.revision + 1 }
            let encoded = try JSONCoding.encoder.encode(next)
            try AtomicFileWriter.write(encoded, to: path)
            DecodedRecordCache.shared.rememberWritten(Array(encoded), revision: next.revision, at: path)
            return next
        }
    }

    public func remove(_ instance: String, ifRevision expected: RecordRevision?) throws {
        let path = layout.recordPath(instance)
        try RecordWriteLocks.shared.withLock(path) {
            if let expected {
                let found = storedState(path: path, fileName: "\(instance).json").revision
                guard found == expected else { throw StaleRecord(instance: instance, expected: expected, found: found) }
            }
            if unlink(path) != 0 && errno != ENOENT { throw SystemCallError("unlink", path: path) }
            DecodedRecordCache.shared.forget(path)
            // When its last lease ended means nothing once the instance is gone.
            let ended = layout.leaseEndedPath(instance)
            if unlink(ended) != 0 && errno != ENOENT { throw SystemCallError("unlink", path: ended) }
        }
    }

    /// The stored revision (nil: a file that cannot be read) and, for a readable record, its bytes.
    private func storedState(path: String, fileName: String) -> (revision: RecordRevision?, bytes: [UInt8]?) {
        switch readBytes(path) {
        case nil: return (.missing, nil)
        case .failure?: return (nil, nil)
        case .success(let bytes)?:
            if let revision = DecodedRecordCache.shared.writtenRevision(at: path, bytes: bytes) { return (.revision(revision), bytes) }
            guard case .success(let record) = decode(bytes, path: path, fileName: fileName) else { return (nil, nil) }
            return (.revision(record.revision), bytes)
        }
    }
}

/// One lock per record path, for the whole process: a compare-and-swap's read and write happen
/// under it, whichever `FileStateStore` value does them.
final class RecordWriteLocks: @unchecked Sendable {
    static let shared = RecordWriteLocks()
    private let lock = NSLock()
    private var locks: [String: NSLock] = [:]

    func withLock<Result>(_ path: String, _ body: () throws -> Result) rethrows -> Result {
        let recordLock = lock.withLock { () -> NSLock in
            if let existing = locks[path] { return existing }
            let created = NSLock()
            locks[path] = created
            return created
        }
        return try recordLock.withLock(body)
    }
}

/// One JSON style for every file we write: sorted keys for stable diffs, ISO 8601 dates.
public enum JSONCoding {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
