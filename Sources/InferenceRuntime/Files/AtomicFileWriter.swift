import Foundation
import Glibc

/// Replaces a file so readers see either the old or the new content, never a
/// mix, even across a crash: temp file in the same directory, fsync, rename
/// over the target, fsync the directory (so the rename itself is durable).
public enum AtomicFileWriter {
    /// Writes `data` to `path` with mode 0644, creating parent directories when missing.
    /// On failure the temp file is removed and the previous file is intact.
    public static func write(_ data: Data, to path: String) throws(SystemCallError) {
        try prepare(data, for: path).commit(syncingDirectory: true)
    }

    /// The first half of a write: the new content in a temp file next to `path`, durable (fsync),
    /// not yet in place. Several files can be prepared at once (their fsyncs overlap) and put in
    /// place later, in the order that matters.
    static func prepare(_ data: Data, for path: String) throws(SystemCallError) -> PreparedFile {
        let directory = parentDirectory(of: path)
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let tempPath = "\(directory)/.\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

        // O_EXCL already refuses an existing name, a link included; O_NOFOLLOW says so plainly.
        // The folder almost always exists: it is created (and checked) only when it does not.
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        var fd = open(tempPath, flags, 0o644)
        if fd < 0 && errno == ENOENT {
            try createDirectories(directory)
            fd = open(tempPath, flags, 0o644)
        }
        guard fd >= 0 else { throw SystemCallError("open", path: tempPath) }
        do throws(SystemCallError) {
            defer { close(fd) }
            // The umask may have narrowed the mode; state files must be readable.
            guard fchmod(fd, 0o644) == 0 else { throw SystemCallError("fchmod", path: tempPath) }
            try writeAll(fd, data, path: tempPath)
            guard fsync(fd) == 0 else { throw SystemCallError("fsync", path: tempPath) }
        } catch {
            unlink(tempPath)
            throw error
        }
        return PreparedFile(path: path, tempPath: tempPath)
    }

    /// New content, durable in its temp file, waiting to replace its target.
    struct PreparedFile: Sendable {
        let path: String
        let tempPath: String

        /// Renames it over the target; `syncingDirectory` also makes the rename itself durable
        /// (fsync of the folder). On failure the temp file is removed and the target is intact.
        func commit(syncingDirectory: Bool) throws(SystemCallError) {
            guard rename(tempPath, path) == 0 else {
                let error = SystemCallError("rename", path: path)
                unlink(tempPath)
                throw error
            }
            if syncingDirectory { try syncDirectory(parentDirectory(of: path)) }
        }

        func discard() {
            unlink(tempPath)
        }
    }

    /// Convenience for text files.
    public static func write(_ text: String, to path: String) throws(SystemCallError) {
        try write(Data(text.utf8), to: path)
    }

    static func writeAll(_ fd: Int32, _ data: Data, path: String) throws(SystemCallError) {
        let failure: SystemCallError? = data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return SystemCallError("write", path: path)
                }
                offset += written
            }
            return nil
        }
        if let failure { throw failure }
    }

    static func syncDirectory(_ directory: String) throws(SystemCallError) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError("open", path: directory) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw SystemCallError("fsync", path: directory) }
    }
}
