import Foundation
import InferenceModel

/// Reads and writes instance records. A protocol so the executor can be tested with a fake.
public protocol StateStore: Sendable {
    func loadRecords() throws -> [InstanceRecord]
    func save(_ record: InstanceRecord) throws
    func remove(_ instance: String) throws
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
}

extension StateStore {
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
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let path = directory + "/" + name
            let instance = String(name.dropLast(5))
            switch read(path: path, fileName: name) {
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
        let bytes: [UInt8]
        do throws(BoundedFileReader.Failure) {
            bytes = try BoundedFileReader.read(path, limit: Self.maximumRecordBytes, followSymlinks: false)
        } catch .cannotOpen(errno: ENOENT) {
            return nil
        } catch {
            return .failure(Reason(text: error.description))
        }
        guard var record = try? JSONCoding.decoder.decode(InstanceRecord.self, from: Data(bytes)) else {
            return .failure(Reason(text: "not a valid record"))
        }
        if let problem = RecordValidation.problem(record, fileName: fileName) { return .failure(Reason(text: problem)) }
        // Paths are ours to compute, never taken from the file.
        if record.logPath != nil { record.logPath = layout.logPath(record.name) }
        return .success(record)
    }

    public func save(_ record: InstanceRecord) throws {
        try QuietWriter.write(try JSONCoding.encoder.encode(record), to: layout.recordPath(record.name))
    }

    public func remove(_ instance: String) throws {
        for path in [layout.recordPath(instance), layout.leaseEndedPath(instance)] {
            if unlink(path) != 0 && errno != ENOENT { throw SystemCallError("unlink", path: path) }
        }
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
