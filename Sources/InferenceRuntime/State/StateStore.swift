import Foundation

/// Reads and writes instance records. A protocol so the executor can be tested with a fake.
public protocol StateStore: Sendable {
    func loadRecords() throws -> [InstanceRecord]
    func save(_ record: InstanceRecord) throws
    func remove(_ instance: String) throws
}

/// Records as JSON files in `.inferctl/instances/`, each written atomically.
public struct FileStateStore: StateStore {
    public let layout: StateLayout

    public init(layout: StateLayout) {
        self.layout = layout
    }

    /// Records that cannot be read are skipped with a warning rather than failing the pass:
    /// a crash mid-write cannot leave one (writes are atomic), so only a hand edit can.
    public func loadRecords() throws -> [InstanceRecord] {
        let directory = layout.recordsDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
            return try? JSONCoding.decoder.decode(InstanceRecord.self, from: data)
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
