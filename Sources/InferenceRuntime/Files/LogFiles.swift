import Foundation
import Glibc

/// Server log maintenance: rotation and tail, with bounded memory.
public enum LogFiles {
    /// If `path` is at least `maxBytes`, keeps a copy in `path.1` (shifting
    /// `.1` -> `.2` ... and dropping `.keep`) and truncates `path` in place.
    /// Copy-truncate works because servers write with O_APPEND: after the
    /// truncation their next write lands at the new end (offset 0). Lines
    /// written between the copy and the truncation are lost (a tiny window).
    /// A symbolic link at `path` is refused, never followed: its target would
    /// be copied (into a file others can read) and emptied.
    /// Returns true if it rotated.
    @discardableResult
    public static func rotateIfNeeded(path: String, maxBytes: Int, keep: Int) throws(SystemCallError) -> Bool {
        // One descriptor for the size, the copy and the truncation: what we measure is what we cut.
        let fd: Int32
        do throws(SystemCallError) {
            fd = try openRegularFileForWriting(path, flags: O_RDWR)
        } catch {
            if error.code == ENOENT { return false }
            throw error
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemCallError("fstat", path: path) }
        guard Int(info.st_size) >= maxBytes else { return false }
        if keep > 0 {
            unlink("\(path).\(keep)")
            for index in stride(from: keep - 1, through: 1, by: -1) {
                if rename("\(path).\(index)", "\(path).\(index + 1)") != 0 && errno != ENOENT {
                    throw SystemCallError("rename", path: "\(path).\(index)")
                }
            }
            try copy(fd, named: path, to: "\(path).1")
        }
        // ftruncate, not truncate(path): the path could have been swapped for a link since we opened it.
        guard ftruncate(fd, 0) == 0 else { throw SystemCallError("ftruncate", path: path) }
        return true
    }

    /// The last `lines` lines of the file (without their newlines). Reads
    /// backwards in chunks, so a multi-GB log costs only what is returned.
    public static func tail(path: String, lines: Int) throws(SystemCallError) -> [String] {
        try tailWithOffset(path: path, lines: lines).lines
    }

    /// `tail`, plus the file size it read up to (where a follower resumes).
    static func tailWithOffset(path: String, lines count: Int) throws(SystemCallError) -> (lines: [String], endOffset: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) // our logs are never links: never print a link's target
        guard fd >= 0 else { throw SystemCallError("open", path: path) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SystemCallError("fstat", path: path) }
        let size = Int(info.st_size)
        guard count > 0, size > 0 else { return ([], size) }

        let chunkSize = 64 * 1024
        var chunks = [[UInt8]]() // read right to left
        var position = size
        var newlines = 0
        // A final newline terminates the last line rather than starting one.
        let needed = count + 1
        while position > 0 && newlines < needed {
            let length = min(chunkSize, position)
            position -= length
            var chunk = [UInt8](repeating: 0, count: length)
            let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(position)) }
            guard got == length else { throw SystemCallError("read", path: path) }
            newlines += chunk.lazy.filter { $0 == UInt8(ascii: "\n") }.count
            chunks.append(chunk)
        }
        // When we stopped before the start, the first line may be partial;
        // having read count+1 newlines, suffix(count) never includes it.
        let collected = Array(chunks.reversed().joined())
        return (Array(splitLines(collected[...]).suffix(count)), size)
    }

    /// Splits on "\n"; a trailing newline does not produce an empty last line.
    static func splitLines(_ bytes: ArraySlice<UInt8>) -> [String] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        return lines.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Copies everything readable from `input` (from its start) into a new `destination`.
    static func copy(_ input: Int32, named source: String, to destination: String) throws(SystemCallError) {
        let output = try openRegularFileForWriting(destination, flags: O_WRONLY | O_CREAT | O_TRUNC)
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var offset: off_t = 0
        while true {
            let got = buffer.withUnsafeMutableBytes { pread(input, $0.baseAddress, $0.count, offset) }
            if got < 0 {
                if errno == EINTR { continue }
                throw SystemCallError("read", path: source)
            }
            if got == 0 { return }
            offset += off_t(got)
            try AtomicFileWriter.writeAll(output, Data(buffer[0..<got]), path: destination)
        }
    }
}
