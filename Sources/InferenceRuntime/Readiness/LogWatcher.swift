import Foundation

/// Notices new output in a server's log, so readiness is probed the moment a line hints at it.
/// Reads only what was appended since the last look.
struct LogWatcher {
    /// Lines servers print when they start serving (llama-server, inference-sim, uvicorn/vLLM, Ollama).
    static let readinessHints = [
        "listening on", "model loaded", "server is listening", "Uvicorn running on", "Application startup complete",
        "HTTP server listening", "Listening on",
    ]

    let path: String?
    /// Lines containing any of these (our probes' request paths) do not count as progress.
    let ignoredSubstrings: [String]
    private(set) var offset: UInt64
    private var partialLine = ""

    init(path: String?, ignoring ignoredSubstrings: [String] = []) {
        self.path = path
        self.ignoredSubstrings = ignoredSubstrings
        self.offset = path.flatMap(Self.size) ?? 0
    }

    struct Change {
        /// New output other than the echo of our own probes.
        var progressed: Bool
        var hintSeen: Bool
    }

    /// Whether the log grew since the last call, and whether a new line hints at readiness.
    mutating func poll() -> Change {
        guard let path, let size = Self.size(path) else { return Change(progressed: false, hintSeen: false) }
        if size < offset { offset = 0; partialLine = "" } // rotated or truncated
        guard size > offset, let handle = FileHandle(forReadingAtPath: path) else { return Change(progressed: false, hintSeen: false) }
        defer { try? handle.close() }
        // Bounded: only the newest 64 KiB matter for a hint.
        let start = max(offset, size > 65_536 ? size - 65_536 : 0)
        try? handle.seek(toOffset: start)
        let data = (try? handle.read(upToCount: Int(size - start))) ?? Data()
        offset = size
        let text = partialLine + String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        partialLine = String(lines.removeLast())
        let hint = lines.contains { line in Self.readinessHints.contains { line.contains($0) } }
            || Self.readinessHints.contains { partialLine.contains($0) }
        let progressed = lines.contains { line in
            !line.isEmpty && !ignoredSubstrings.contains { line.contains($0) }
        }
        return Change(progressed: progressed, hintSeen: hint)
    }

    static func size(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_size) : nil
    }
}
