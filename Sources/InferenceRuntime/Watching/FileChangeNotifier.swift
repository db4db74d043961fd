import Foundation
import Glibc

/// Tells when a file is written to (inotify `IN_MODIFY`, which appends and truncation both raise),
/// so a readiness waiter learns that a server's log grew the moment it does, without polling it.
/// One inotify descriptor and one thread, blocked in read(), serve the whole process: a pass that
/// starts fifty servers adds fifty watches, not fifty threads.
public final class FileChangeNotifier: @unchecked Sendable {
    public static let shared = FileChangeNotifier()

    /// A file being watched; `cancel()` (or dropping it) stops the calls.
    public final class Watch: @unchecked Sendable {
        fileprivate let descriptor: Int32
        fileprivate let id: UInt64
        private weak var notifier: FileChangeNotifier?
        private let cancelled = NSLock()
        private var done = false

        fileprivate init(notifier: FileChangeNotifier, descriptor: Int32, id: UInt64) {
            self.notifier = notifier
            self.descriptor = descriptor
            self.id = id
        }

        public func cancel() {
            let first = cancelled.withLock { () -> Bool in
                defer { done = true }
                return !done
            }
            if first { notifier?.remove(self) }
        }

        deinit { cancel() }
    }

    static let mask = UInt32(IN_MODIFY | IN_DELETE_SELF | IN_MOVE_SELF)

    private let lock = NSLock()
    // Guarded by `lock`.
    private var inotifyFD: Int32 = -1
    private var unavailable = false
    /// Watch descriptor -> subscribers (the kernel gives one descriptor per file, however often it is added).
    private var handlers: [Int32: [UInt64: @Sendable () -> Void]] = [:]
    private var nextID: UInt64 = 0

    init() {}

    /// Calls `onChange` (on the notifier's thread: keep it short) each time `path` is written to,
    /// until the returned watch is cancelled. Nil when it cannot be watched (no such file, no
    /// inotify): poll it instead.
    public func watch(_ path: String, onChange: @escaping @Sendable () -> Void) -> Watch? {
        lock.withLock {
            guard startLocked() else { return nil }
            let descriptor = inotify_add_watch(inotifyFD, path, Self.mask)
            guard descriptor >= 0 else { return nil }
            nextID += 1
            handlers[descriptor, default: [:]][nextID] = onChange
            return Watch(notifier: self, descriptor: descriptor, id: nextID)
        }
    }

    fileprivate func remove(_ watch: Watch) {
        lock.withLock {
            handlers[watch.descriptor]?[watch.id] = nil
            if handlers[watch.descriptor]?.isEmpty == true {
                handlers[watch.descriptor] = nil
                _ = inotify_rm_watch(inotifyFD, watch.descriptor)
            }
        }
    }

    /// Opens the descriptor and starts the thread on first use. Call with `lock` held.
    private func startLocked() -> Bool {
        if inotifyFD >= 0 { return true }
        if unavailable { return false }
        let fd = inotify_init1(Int32(IN_CLOEXEC))
        guard fd >= 0 else {
            unavailable = true
            return false
        }
        inotifyFD = fd
        let thread = Thread { [self] in readLoop(fd) }
        thread.name = "FileChangeNotifier"
        thread.start()
        return true
    }

    /// Blocks in read() for the process's lifetime; each batch of events calls each file's
    /// subscribers once.
    private func readLoop(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            let descriptors = Set(Self.watchDescriptors(in: buffer[0..<count]))
            let callbacks = lock.withLock { descriptors.flatMap { handlers[$0].map { Array($0.values) } ?? [] } }
            callbacks.forEach { $0() }
        }
    }

    /// The watch descriptor of each `struct inotify_event` in a read (host byte order, little-endian
    /// on every Linux we build for): wd, mask, cookie, len, then `len` bytes of name.
    static func watchDescriptors(in bytes: ArraySlice<UInt8>) -> [Int32] {
        var descriptors: [Int32] = []
        var offset = bytes.startIndex
        while offset + 16 <= bytes.endIndex {
            func word(_ at: Int) -> UInt32 {
                UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
            }
            descriptors.append(Int32(bitPattern: word(offset)))
            offset += 16 + Int(word(offset + 12))
        }
        return descriptors
    }
}
