import Foundation
import Glibc

/// `logs -f`: streams lines appended to a log file.
public enum LogFollower {
    /// Emits the last `initialLines` lines, then every new complete line, by
    /// polling the size every `pollInterval`. Copy-truncate rotation (size
    /// shrinks) or replacement (inode changes) restarts from the beginning.
    /// Waits for the file if it does not exist yet. Ends when the consumer
    /// stops iterating (the polling task is cancelled).
    public static func follow(path: String, initialLines: Int = 0,
                              pollInterval: Duration = .milliseconds(200)) -> AsyncStream<String> {
        AsyncStream { continuation in
            let task = Task {
                var offset = -1 // unknown until the file exists
                var inode: ino_t = 0
                var partial = [UInt8]()
                while !Task.isCancelled {
                    var info = stat()
                    if stat(path, &info) == 0 {
                        let size = Int(info.st_size)
                        if offset < 0 {
                            let (lines, end) = (try? LogFiles.tailWithOffset(path: path, lines: initialLines)) ?? ([], size)
                            lines.forEach { continuation.yield($0) }
                            offset = end
                            inode = info.st_ino
                        } else if info.st_ino != inode || size < offset {
                            offset = 0
                            inode = info.st_ino
                            partial.removeAll()
                        }
                        if size > offset, let bytes = readRange(path: path, from: offset, to: size) {
                            offset += bytes.count
                            partial += bytes
                            if let lastNewline = partial.lastIndex(of: UInt8(ascii: "\n")) {
                                LogFiles.splitLines(partial[...lastNewline]).forEach { continuation.yield($0) }
                                partial.removeSubrange(...lastNewline)
                            }
                        }
                    }
                    try? await Task.sleep(for: pollInterval)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// Bytes [from, to) of the file, capped at 4 MiB per poll.
    private static func readRange(path: String, from start: Int, to end: Int) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) // our logs are never links: never print a link's target
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        let length = min(end - start, 4 << 20)
        var bytes = [UInt8](repeating: 0, count: length)
        let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(start)) }
        guard got > 0 else { return nil }
        return Array(bytes[0..<got])
    }
}
