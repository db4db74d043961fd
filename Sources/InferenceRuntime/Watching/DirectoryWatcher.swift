import Foundation
import Glibc

/// Names of entries that change in one directory, through inotify (Linux): created, written and
/// closed, moved in or out, deleted. Editors and atomic writers replace files by rename, so the
/// directory is watched, not the files. A dedicated thread blocks in poll(); nothing waits on the
/// cooperative pool.
public final class DirectoryWatcher: @unchecked Sendable {
    public struct Event: Sendable, Equatable {
        public var name: String
        /// The inotify mask (IN_CLOSE_WRITE, IN_MOVED_TO, IN_DELETE…).
        public var mask: UInt32
        /// The kernel's queue overflowed: events were lost, so look at everything again.
        public var overflowed: Bool { mask & UInt32(IN_Q_OVERFLOW) != 0 }
    }

    public let path: String
    public let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let inotifyFD: Int32
    private let wakeRead: Int32
    /// Internal, not private: a test checks that its number is never written to once closed.
    let wakeWrite: Int32
    private let lock = NSLock()
    private var stopped = false
    /// The loop has closed the descriptors (guarded by `lock`, like `stopped`).
    private var closed = false

    static let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF)

    public init(path: String) throws(SystemCallError) {
        self.path = path
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw SystemCallError("inotify_init1") }
        guard inotify_add_watch(fd, path, Self.mask) >= 0 else {
            let error = SystemCallError("inotify_add_watch", path: path)
            close(fd)
            throw error
        }
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else {
            let error = SystemCallError("pipe")
            close(fd)
            throw error
        }
        for end in pipeFDs {
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
        }
        inotifyFD = fd
        wakeRead = pipeFDs[0]
        wakeWrite = pipeFDs[1]
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(4096))
        let thread = Thread { [self] in readLoop() }
        thread.name = "DirectoryWatcher"
        thread.start()
    }

    /// Ends the stream and releases the descriptors (idempotent).
    public func stop() {
        lock.withLock {
            if stopped { return }
            stopped = true
            // The loop may have ended by itself (the directory removed) and closed the pipe: its
            // number may belong to another file or socket by now, so nothing is written to it then.
            // The write cannot block (O_NONBLOCK), so it is made under the lock the closing takes.
            guard !closed else { return }
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    deinit { stop() }

    private func readLoop() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        defer {
            lock.withLock {
                closed = true
                close(inotifyFD)
                close(wakeRead)
                close(wakeWrite)
            }
            continuation.finish() // after the closing: a reader that saw the end knows they are closed
        }
        while true {
            var entries = [pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if poll(&entries, 2, -1) < 0 { if errno == EINTR { continue } else { return } }
            if entries[1].revents != 0 { return }
            let count = buffer.withUnsafeMutableBytes { read(inotifyFD, $0.baseAddress, $0.count) }
            if count <= 0 { continue }
            for event in Self.parse(buffer[0..<count]) {
                continuation.yield(event)
                if event.mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED) != 0 && event.name.isEmpty { return }
            }
        }
    }

    /// Splits a read of `struct inotify_event` records (host byte order: little-endian on every
    /// Linux we build for): 16 bytes (wd, mask, cookie, len), then
    /// `len` bytes of NUL-padded name.
    static func parse(_ bytes: ArraySlice<UInt8>) -> [Event] {
        var events: [Event] = []
        var offset = bytes.startIndex
        while offset + 16 <= bytes.endIndex {
            func word(_ at: Int) -> UInt32 {
                UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
            }
            let mask = word(offset + 4)
            let length = Int(word(offset + 12))
            let nameStart = offset + 16
            let nameEnd = min(nameStart + length, bytes.endIndex)
            let name = String(decoding: bytes[nameStart..<nameEnd].prefix { $0 != 0 }, as: UTF8.self)
            events.append(Event(name: name, mask: mask))
            offset = nameStart + length
        }
        return events
    }
}
