/// `DirectoryLock.acquire` gave up waiting.
public struct LockTimeout: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    /// e.g. "pid 1234 (inferctl apply)", nil if the holder wrote nothing yet.
    public var holder: String?
    public var waited: Duration

    public var description: String {
        let who = holder.map { "held by \($0)" } ?? "held by another process"
        return "timed out after \(waited) waiting for lock \(path) \(who)"
    }
}
