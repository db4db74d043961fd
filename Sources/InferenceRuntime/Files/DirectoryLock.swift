import Foundation
import Glibc

/// One inferctl at a time per state directory: an flock on a lock file.
/// The kernel drops it when the holder dies, so there are no stale locks;
/// the pid written inside only serves the "waiting for ..." message.
public final class DirectoryLock: @unchecked Sendable {
    public let path: String
    private let lock = NSLock()
    private var fd: Int32 // guarded by `lock`; -1 once released

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Takes the exclusive lock on the file at `path` (created, with its
    /// parent directories, if needed), retrying every 100 ms until `timeout`.
    /// `onWait` is called once, with a message naming the holder, when the
    /// lock is busy. `holderDescription` is what others see while we hold it
    /// (default: our program name and first argument, e.g. "inferctl apply").
    public static func acquire(path: String, timeout: Duration,
                               holderDescription: String? = nil,
                               onWait: @Sendable (String) -> Void = { _ in }) async throws -> DirectoryLock {
        try createDirectories(parentDirectory(of: path))
        // O_CLOEXEC (added by the opener): children we spawn must never inherit (and keep) the lock.
        // O_NOFOLLOW: a link planted at `path` must not have its target truncated below.
        let fd = try openRegularFileForWriting(path, flags: O_RDWR | O_CREAT)

        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var announced = false
        while true {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { break }
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(fd)
                throw SystemCallError("flock", path: path, code: code)
            }
            let holder = readHolder(fd)
            if !announced {
                announced = true
                onWait("waiting for lock held by \(holder ?? "another process")…")
            }
            if clock.now >= deadline {
                close(fd)
                throw LockTimeout(path: path, holder: holder, waited: timeout)
            }
            do {
                try await Task.sleep(for: min(.milliseconds(100), deadline - clock.now))
            } catch {
                close(fd)
                throw error
            }
        }
        let info = "\(getpid())\n\(holderDescription ?? defaultHolderDescription())\n"
        _ = ftruncate(fd, 0)
        _ = info.withCString { pwrite(fd, $0, strlen($0), 0) }
        return DirectoryLock(path: path, fd: fd)
    }

    /// Releases the lock (idempotent). The file stays: unlinking it would let
    /// a waiter lock an orphaned inode while a newcomer locks a new one.
    public func release() {
        lock.withLock {
            guard fd >= 0 else { return }
            _ = ftruncate(fd, 0)
            close(fd) // drops the flock
            fd = -1
        }
    }

    public var isHeld: Bool { lock.withLock { fd >= 0 } }

    deinit { release() }

    /// "pid 1234 (inferctl apply)" from the lock file's content.
    private static func readHolder(_ fd: Int32) -> String? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let lines = String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n")
        guard let pid = lines.first.flatMap({ Int32($0) }) else { return nil }
        if lines.count > 1 { return "pid \(pid) (\(lines[1]))" }
        return "pid \(pid)"
    }

    private static func defaultHolderDescription() -> String {
        let arguments = CommandLine.arguments
        let program = arguments.first.flatMap { $0.split(separator: "/").last.map(String.init) } ?? "unknown"
        return ([program] + arguments.dropFirst().prefix(1)).joined(separator: " ")
    }
}
