import Foundation
import Glibc

/// `.inferctl/events.jsonl`: one JSON object per line, bounded. Past `maxBytes` the file is renamed
/// to `events.jsonl.1` (replacing the previous old file) and a new one is started, so the events
/// take at most about twice `maxBytes`. Opened with O_NOFOLLOW like every state file: a link
/// planted in its place is refused, never written through.
///
/// A line may be rewritten where it stands (the recorder raises a repeat's `count`), which is why
/// the file is written with `pwrite` at offsets we track rather than opened O_APPEND (on Linux,
/// `pwrite` on an O_APPEND descriptor ignores the offset). We are its only writer: the controller
/// holds the directory lock.
final class EventLogFile {
    /// Where a line was written: which file (rotations so far) and at which offset.
    struct Location: Equatable {
        let generation: Int
        let offset: off_t
    }

    let path: String
    let maxBytes: Int
    private var fd: Int32 = -1
    private var generation = 0

    init(path: String, maxBytes: Int) {
        self.path = path
        self.maxBytes = maxBytes
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Appends `line` (which ends with a newline), rotating first when it would not fit.
    func append(_ line: [UInt8]) throws(SystemCallError) -> Location {
        var size = try currentSize()
        if size > 0, size + line.count > maxBytes {
            try rotate()
            size = try currentSize()
        }
        try write(line, at: off_t(size))
        return Location(generation: generation, offset: off_t(size))
    }

    /// Replaces `old` by `new` (of the same length) at `location`, if the file still holds `old`
    /// there. False when it cannot (rotated since, edited by hand, another length): append instead.
    func rewrite(_ old: [UInt8], with new: [UInt8], at location: Location) throws(SystemCallError) -> Bool {
        guard new.count == old.count, location.generation == generation, fd >= 0, try isStillOurFile() else { return false }
        var current = [UInt8](repeating: 0, count: old.count)
        let got = current.withUnsafeMutableBytes { pread(fd, $0.baseAddress, old.count, location.offset) }
        guard got == old.count, current == old else { return false }
        try write(new, at: location.offset)
        return true
    }

    // MARK: Descriptor

    /// The size of the file we write, (re)opening it when it is not open or was removed or replaced.
    private func currentSize() throws(SystemCallError) -> Int {
        let usable = fd >= 0 ? try isStillOurFile() : false
        if !usable { try reopen() }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemCallError("fstat", path: path) }
        return Int(info.st_size)
    }

    private func isStillOurFile() throws(SystemCallError) -> Bool {
        var open = stat(), named = stat()
        guard fstat(fd, &open) == 0 else { throw SystemCallError("fstat", path: path) }
        guard lstat(path, &named) == 0 else { return false }
        return open.st_ino == named.st_ino && open.st_dev == named.st_dev
    }

    private func reopen() throws(SystemCallError) {
        if fd >= 0 { close(fd) }
        fd = -1
        fd = try openRegularFileForWriting(path, flags: O_RDWR | O_CREAT, mode: 0o600)
        generation += 1
        // A line cut short (a controller killed mid-write) is ended, so the next line parses.
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemCallError("fstat", path: path) }
        if info.st_size > 0 {
            var last: UInt8 = 0
            if pread(fd, &last, 1, info.st_size - 1) == 1, last != UInt8(ascii: "\n") {
                try write([UInt8(ascii: "\n")], at: info.st_size)
            }
        }
    }

    private func rotate() throws(SystemCallError) {
        // rename replaces whatever `.1` is (a link too) without following it.
        guard rename(path, path + ".1") == 0 else { throw SystemCallError("rename", path: path) }
        try reopen()
    }

    private func write(_ bytes: [UInt8], at offset: off_t) throws(SystemCallError) {
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { buffer in
                pwrite(fd, buffer.baseAddress! + written, bytes.count - written, offset + off_t(written))
            }
            if result < 0 {
                if errno == EINTR { continue }
                throw SystemCallError("write", path: path)
            }
            written += result
        }
    }
}
