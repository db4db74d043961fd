import Foundation

/// Reads and writes instance records. A protocol so the executor can be tested with a fake.
public protocol StateStore: Sendable {
    func loadRecords() throws -> [InstanceRecord]
    func save(_ record: InstanceRecord) throws
    func remove(_ instance: String) throws
    /// Records that exist but cannot be read: their instances are left alone (see `ManifestSet.plan`).
    func unreadableRecords() -> [UnreadableRecord]
}

extension StateStore {
    public func unreadableRecords() -> [UnreadableRecord] { [] }
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

    public init(layout: StateLayout) {
        self.layout = layout
    }

    /// Records that cannot be read are skipped here and reported by `unreadableRecords()`:
    /// a crash mid-write cannot leave one (writes are atomic), so only a hand edit can.
    public func loadRecords() throws -> [InstanceRecord] {
        let directory = layout.recordsDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
            return try? JSONCoding.decoder.decode(InstanceRecord.self, from: data)
        }
    }

    public func unreadableRecords() -> [UnreadableRecord] {
        let directory = layout.recordsDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().compactMap { name in
            let path = directory + "/" + name
            let instance = String(name.dropLast(5))
            guard let data = FileManager.default.contents(atPath: path) else {
                return UnreadableRecord(instance: instance, path: path, reason: "permission denied or not a file")
            }
            do {
                _ = try JSONCoding.decoder.decode(InstanceRecord.self, from: data)
                return nil
            } catch {
                return UnreadableRecord(instance: instance, path: path, reason: "not a valid record")
            }
        }
    }

    public func save(_ record: InstanceRecord) throws {
        try AtomicFileWriter.write(try JSONCoding.encoder.encode(record), to: layout.recordPath(record.name))
    }

    public func remove(_ instance: String) throws {
        let path = layout.recordPath(instance)
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
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
