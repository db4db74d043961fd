import Foundation
import InferenceModel

/// The last bytes read (or written) at each record path, with what they decoded to. A pass reads
/// the same record several times (recovery, planning, the compare-and-swap of each save, the
/// consumers); decoding JSON is most of what that costs, and bytes that did not change decode to
/// the same record. The file is still read every time and compared byte for byte, so an edit made
/// meanwhile, by hand or by anyone, is always seen: only decoding is skipped.
final class DecodedRecordCache: @unchecked Sendable {
    static let shared = DecodedRecordCache()

    private struct Entry {
        var bytes: [UInt8]
        var record: InstanceRecord
    }

    private let lock = NSLock()
    // Guarded by `lock`.
    private var entries: [String: Entry] = [:]
    /// The bytes this process last wrote at each path, with the revision they hold.
    private var written: [String: (bytes: [UInt8], revision: Int)] = [:]

    /// The record `bytes` decode to at `path`, if these very bytes were decoded there before.
    func record(at path: String, bytes: [UInt8]) -> InstanceRecord? {
        lock.withLock {
            guard let entry = entries[path], entry.bytes == bytes else { return nil }
            return entry.record
        }
    }

    /// Remembers what `bytes` at `path` decoded to (a valid record only).
    func remember(_ record: InstanceRecord, bytes: [UInt8], at path: String) {
        lock.withLock { entries[path] = Entry(bytes: bytes, record: record) }
    }

    /// The record at `path` is gone: its entries would only hold memory.
    func forget(_ path: String) {
        lock.withLock {
            entries.removeValue(forKey: path)
            written.removeValue(forKey: path)
        }
    }

    /// This process wrote `bytes` at `path`, a record at `revision`.
    func rememberWritten(_ bytes: [UInt8], revision: Int, at path: String) {
        lock.withLock { written[path] = (bytes, revision) }
    }

    /// The revision in `bytes` read at `path`, when they are what this process last wrote there:
    /// a compare-and-swap right after our own write needs no decoding.
    func writtenRevision(at path: String, bytes: [UInt8]) -> Int? {
        lock.withLock {
            guard let entry = written[path], entry.bytes == bytes else { return nil }
            return entry.revision
        }
    }
}
