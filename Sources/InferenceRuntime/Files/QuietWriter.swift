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

    /// Writes `value` unless the file holds the same value, `ignoring` a date such as `updatedAt`.
    /// First byte for byte: the file is what we would write but for that date (the common case,
    /// a pass that changes nothing, decodes nothing). Else both sides are compared as decoded from
    /// JSON, so dates compare at the precision written.
    static func write<Value: Codable & Equatable>(_ value: Value, to path: String,
                                                  ignoring field: WritableKeyPath<Value, Date>) throws {
        let existing = try? BoundedFileReader.read(path, limit: 4 << 20, followSymlinks: false)
        if let existing, try IgnoredDateSpan.matches(existing, value, ignoring: field) { return }
        let data = try JSONCoding.encoder.encode(value)
        if let existing,
           var old = try? JSONCoding.decoder.decode(Value.self, from: Data(existing)),
           let new = try? JSONCoding.decoder.decode(Value.self, from: data) {
            old[keyPath: field] = new[keyPath: field]
            if old == new { return }
        }
        try AtomicFileWriter.write(data, to: path)
    }
}

/// Byte comparison of a file with a value's encoding, one date aside: the value is encoded with a
/// marker date in that field, and the file matches when it is the same bytes around the marker,
/// with a date of the same width where the marker is.
enum IgnoredDateSpan {
    /// A date no status ever holds, written as `1970-01-01T00:00:00Z`.
    static let marker = Date(timeIntervalSince1970: 0)
    static let markerText = Array("\"1970-01-01T00:00:00Z\"".utf8)

    static func matches<Value: Encodable>(_ existing: [UInt8], _ value: Value,
                                          ignoring field: WritableKeyPath<Value, Date>) throws -> Bool {
        var marked = value
        marked[keyPath: field] = marker
        let encoded = Array(try JSONCoding.encoder.encode(marked))
        // Exactly one marker, else the span is ambiguous: no conclusion (the caller decodes).
        guard let span = onlyOccurrence(of: markerText, in: encoded), existing.count == encoded.count else { return false }
        guard existing[..<span.lowerBound].elementsEqual(encoded[..<span.lowerBound]),
              existing[span.upperBound...].elementsEqual(encoded[span.upperBound...]) else { return false }
        // A quoted ISO 8601 date of the marker's width, as the encoder writes them.
        let date = existing[span]
        return date.first == UInt8(ascii: "\"") && date.last == UInt8(ascii: "\"")
            && date.dropFirst().dropLast().allSatisfy { isDateByte($0) }
    }

    static func onlyOccurrence(of needle: [UInt8], in haystack: [UInt8]) -> Range<Int>? {
        var found: Range<Int>?
        var start = 0
        while start + needle.count <= haystack.count {
            if haystack[start] == needle[0], haystack[start..<start + needle.count].elementsEqual(needle) {
                if found != nil { return nil }
                found = start..<start + needle.count
                start += needle.count
            } else {
                start += 1
            }
        }
        return found
    }

    private static func isDateByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ":")
            || byte == UInt8(ascii: "T") || byte == UInt8(ascii: "Z")
    }
}
