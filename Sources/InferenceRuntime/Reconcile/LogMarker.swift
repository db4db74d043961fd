import Foundation

/// A line of ours in a server's log, so a reader sees where each start begins.
enum LogMarker {
    static func append(_ text: String, to path: String, now: Date) {
        let line = "--- inferctl \(now.formatted(.iso8601)): \(text)\n"
        // Never through a link; a refused log is reported when the server's own output is opened.
        guard let fd = try? openCreatingFolder(path, flags: O_WRONLY | O_APPEND | O_CREAT) else { return }
        defer { close(fd) }
        _ = line.withCString { write(fd, $0, strlen($0)) }
    }
}
