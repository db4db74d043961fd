import Foundation

/// `inferctl down` holds a directory down until the next `apply`: a controller (running now or
/// started later, e.g. by systemd) starts nothing while `.inferctl/held-down.json` exists.
/// Without the file, a restarted `watch` would undo a `down` at its first pass.
public struct DownHold: Codable, Sendable, Equatable {
    public var since: Date
    /// The verb that set it, for messages.
    public var by: String

    public init(since: Date, by: String = "inferctl down") {
        self.since = since
        self.by = by
    }

    /// The hold in force, nil when none (an unreadable file holds too: down must not be undone by a bad write).
    public static func read(_ layout: StateLayout) -> DownHold? {
        do throws(BoundedFileReader.Failure) {
            let bytes = try BoundedFileReader.read(layout.downHoldPath, limit: 64 << 10, followSymlinks: false)
            return (try? JSONCoding.decoder.decode(DownHold.self, from: Data(bytes))) ?? DownHold(since: .distantPast)
        } catch .cannotOpen(errno: ENOENT) {
            return nil
        } catch {
            return DownHold(since: .distantPast)
        }
    }

    /// Durable before anything is stopped, so a crash mid-down cannot be undone by a restart.
    public static func set(_ layout: StateLayout, now: Date) throws {
        try StateDirectories.prepare(layout)
        try AtomicFileWriter.write(try JSONCoding.encoder.encode(DownHold(since: now)), to: layout.downHoldPath)
    }

    /// `apply`: the directory is up again.
    public static func clear(_ layout: StateLayout) throws {
        let path = layout.downHoldPath
        if unlink(path) != 0 && errno != ENOENT { throw SystemCallError("unlink", path: path) }
    }

    public var description: String {
        since == .distantPast ? "held down by \(by)" : "held down by \(by) since \(since.formatted(.iso8601))"
    }
}
