import Foundation

/// Writes a file of ours only when its content changes: a pass that changes nothing writes
/// nothing (no churn in a git checkout, no fsync storm over hundreds of instances). A timestamp
/// that only says "written again" is not a change.
enum QuietWriter {
    /// Writes `data` atomically unless the file already holds exactly these bytes.
    static func write(_ data: Data, to path: String) throws {
        if let existing = try? BoundedFileReader.read(path, limit: data.count + 1, followSymlinks: false),
           existing.elementsEqual(data) { return }
        try AtomicFileWriter.write(data, to: path)
    }

    /// Writes `value` unless the file holds the same value, `ignoring` a field such as `updatedAt`.
    /// Both sides are compared as decoded from JSON, so dates compare at the precision written.
    static func write<Value: Codable & Equatable, Field>(_ value: Value, to path: String,
                                                         ignoring field: WritableKeyPath<Value, Field>) throws {
        let data = try JSONCoding.encoder.encode(value)
        if let existing = try? BoundedFileReader.read(path, limit: 4 << 20, followSymlinks: false),
           var old = try? JSONCoding.decoder.decode(Value.self, from: Data(existing)),
           let new = try? JSONCoding.decoder.decode(Value.self, from: data) {
            old[keyPath: field] = new[keyPath: field]
            if old == new { return }
        }
        try AtomicFileWriter.write(data, to: path)
    }
}
