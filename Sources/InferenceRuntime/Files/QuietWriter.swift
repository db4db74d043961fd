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
    static func write<Value: Codable & Equatable & Sendable>(_ value: Value, to path: String,
                                                  ignoring field: WritableKeyPath<Value, Date>) throws {
        try prepare(value, to: path, ignoring: field)?.commit()
    }

    /// The first half of `write`: nil when the file already says it, else the new content durable
    /// in a temp file, to be put in place by `commit`.
    ///
    /// The value is encoded once, with a marker in place of that date. The file is the same when it
    /// is those bytes but for the date (the common case: a pass that changes nothing decodes
    /// nothing). When it is not, and it is not what this process last wrote there either (another
    /// version's layout, a hand edit), both sides are compared as decoded, so dates compare at
    /// the precision written. What is written is the marked encoding with the date put in.
    static func prepare<Value: Codable & Equatable & Sendable>(_ value: Value, to path: String,
                                                               ignoring field: WritableKeyPath<Value, Date>) throws -> Pending? {
        var unstamped = value
        unstamped[keyPath: field] = IgnoredDateSpan.marker
        let existing = try? BoundedFileReader.read(path, limit: 4 << 20, followSymlinks: false)
        // The same value as the file was last found or written with, and the file unchanged since:
        // nothing to encode (a controller's health check of a server that did not change).
        if let existing, WrittenBytes.shared.published(unstamped, as: existing, at: path) { return nil }
        let marked = try IgnoredDateSpan.encode(value, markingField: field)
        if let existing {
            if marked.matches(existing) {
                WrittenBytes.shared.remember(existing, at: path, publishing: unstamped)
                return nil
            }
            if !WrittenBytes.shared.wrote(existing, at: path),
               var old = try? JSONCoding.decoder.decode(Value.self, from: Data(existing)),
               let new = try? JSONCoding.decoder.decode(Value.self, from: Data(try marked.filled(with: value[keyPath: field]))) {
                old[keyPath: field] = new[keyPath: field]
                if old == new { return nil }
            }
        }
        let data = try marked.filled(with: value[keyPath: field])
        return Pending(file: try AtomicFileWriter.prepare(Data(data), for: path), bytes: data, value: unstamped)
    }

    /// A quiet write prepared, not yet in place.
    struct Pending: Sendable {
        let file: AtomicFileWriter.PreparedFile
        let bytes: [UInt8]
        /// The value written, its ignored date set to the marker.
        let value: any Sendable

        /// Puts it in place by rename. The folder is not fsynced: our files of this kind are
        /// publications of a record (status files), written again from it by every pass; a rename
        /// lost to a crash leaves the previous content, whole, as any crash leaves them stale.
        func commit() throws {
            try file.commit(syncingDirectory: false)
            WrittenBytes.shared.remember(bytes, at: file.path, publishing: value)
        }

        func discard() { file.discard() }
    }
}

/// A value's encoding with one date marked, so a file can be compared with it whatever that date
/// says, and the real date put in without encoding again.
struct IgnoredDateSpan {
    /// A date no status ever holds, written as `1970-01-01T00:00:00Z`.
    static let marker = Date(timeIntervalSince1970: 0)
    static let markerText = Array("\"1970-01-01T00:00:00Z\"".utf8)

    let encoded: [UInt8]
    /// Where the marker is; nil when it is not there exactly once (then nothing is concluded).
    let span: Range<Int>?
    /// When the span cannot simply be filled (a date of another width): the value encoded with the date.
    private let encodeWithDate: (Date) throws -> [UInt8]

    static func encode<Value: Encodable>(_ value: Value, markingField field: WritableKeyPath<Value, Date>) throws -> IgnoredDateSpan {
        var marked = value
        marked[keyPath: field] = marker
        let encoded = Array(try JSONCoding.encoder.encode(marked))
        return IgnoredDateSpan(encoded: encoded, span: onlyOccurrence(of: markerText, in: encoded)) { date in
            var dated = value
            dated[keyPath: field] = date
            return Array(try JSONCoding.encoder.encode(dated))
        }
    }

    /// True when `existing` is these bytes around the marker, with a date of the same width there.
    func matches(_ existing: [UInt8]) -> Bool {
        guard let span, existing.count == encoded.count else { return false }
        guard existing[..<span.lowerBound].elementsEqual(encoded[..<span.lowerBound]),
              existing[span.upperBound...].elementsEqual(encoded[span.upperBound...]) else { return false }
        // A quoted ISO 8601 date of the marker's width, as the encoder writes them.
        let date = existing[span]
        return date.first == UInt8(ascii: "\"") && date.last == UInt8(ascii: "\"")
            && date.dropFirst().dropLast().allSatisfy { Self.isDateByte($0) }
    }

    /// The encoding with `date` where the marker is: the bytes the encoder gives for the value.
    func filled(with date: Date) throws -> [UInt8] {
        let text = Array("\"\(date.formatted(.iso8601))\"".utf8)
        guard let span, text.count == span.count else { return try encodeWithDate(date) }
        var bytes = encoded
        bytes.replaceSubrange(span, with: text)
        return bytes
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

/// The bytes this process last wrote (or found right) at each path, and the value they hold, its
/// ignored date aside: a file that still holds those bytes is in our own layout (a difference from
/// what we would write now is a real change, with no need to decode), and needs no encoding at all
/// to be compared with that same value.
final class WrittenBytes: @unchecked Sendable {
    static let shared = WrittenBytes()
    private let lock = NSLock()
    // Guarded by `lock`.
    private var entries: [String: (bytes: [UInt8], value: (any Sendable)?)] = [:]

    func wrote(_ existing: [UInt8], at path: String) -> Bool { lock.withLock { entries[path]?.bytes == existing } }

    /// Whether `existing` is what was last written or found at `path` for `value`.
    func published<Value: Equatable>(_ value: Value, as existing: [UInt8], at path: String) -> Bool {
        lock.withLock {
            guard let entry = entries[path], let known = entry.value as? Value else { return false }
            return known == value && entry.bytes == existing
        }
    }

    func remember(_ bytes: [UInt8], at path: String, publishing value: (any Sendable)? = nil) {
        lock.withLock { entries[path] = (bytes, value) }
    }
}
