import Foundation

/// A line of ours in a server's log, so a reader sees where each start begins.
enum LogMarker {
    static func append(_ text: String, to path: String, now: Date) {
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let line = "--- inferctl \(now.formatted(.iso8601)): \(text)\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = line.withCString { write(fd, $0, strlen($0)) }
    }
}
