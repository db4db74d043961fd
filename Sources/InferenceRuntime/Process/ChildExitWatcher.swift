import Foundation
import Glibc

/// Learns how processes end without blocking the cooperative thread pool.
///
/// Children spawned by `ProcessLauncher` are registered here; one dedicated
/// thread blocks in poll() on their pidfds and reaps each the moment it exits
/// (a long-running controller must not accumulate zombies), keeping the
/// status. Any other process (adopted from an earlier run, or a child someone
/// else in this program owns) is only observed, never reaped: its exit is
/// seen through the pidfd and its status is `.unknown` unless it happens to
/// be our child, in which case it is peeked without reaping.
public final class ChildExitWatcher: @unchecked Sendable {
    public static let shared = ChildExitWatcher()

    private final class Watch {
        let descriptor: ProcessDescriptor
        /// Spawned by our launcher: ours to reap.
        let owned: Bool
        var waiters: [UInt64: CheckedContinuation<ExitStatus, Never>] = [:]
        init(descriptor: ProcessDescriptor, owned: Bool) {
            self.descriptor = descriptor
            self.owned = owned
        }
    }

    private let table: ProcessTable
    private let lock = NSLock()
    // All state below is guarded by `lock`.
    private var watches: [ProcessIdentity: Watch] = [:]
    private var finished: [ProcessIdentity: ExitStatus] = [:]
    private var nextWaiterID: UInt64 = 0
    private var wakeRead: Int32 = -1
    private var wakeWrite: Int32 = -1
    private var threadStarted = false

    public init(processTable: ProcessTable = ProcessTable()) {
        self.table = processTable
    }

    // MARK: Public API

    /// The exit status if the process has ended, nil while it runs. Never blocks.
    /// Reaps the process if it is our exited child.
    public func exitStatusIfExited(_ identity: ProcessIdentity) -> ExitStatus? {
        let (status, waiters) = lock.withLock { () -> (ExitStatus?, [CheckedContinuation<ExitStatus, Never>]) in
            if let status = finished[identity] { return (status, []) }
            if let watch = watches[identity] {
                guard watch.descriptor.hasExited else { return (nil, []) }
                return settleLocked(identity)
            }
            return (statusOfUnwatched(identity), [])
        }
        waiters.forEach { $0.resume(returning: status ?? .unknown) }
        return status
    }

    /// Suspends until the process exits. Returns `.unknown` at once for a
    /// process that is already gone or whose pid was reused, and also when the
    /// calling task is cancelled (check `Task.isCancelled` if that matters).
    public func waitForExit(_ identity: ProcessIdentity) async -> ExitStatus {
        if let status = exitStatusIfExited(identity) { return status }
        guard startWatching(identity) else {
            return exitStatusIfExited(identity) ?? .unknown
        }
        let waiterID = lock.withLock { () -> UInt64 in nextWaiterID += 1; return nextWaiterID }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<ExitStatus, Never>) in
                let immediate: ExitStatus? = lock.withLock {
                    if let status = finished[identity] { return status }
                    guard let watch = watches[identity] else { return .unknown }
                    if Task.isCancelled { return .unknown }
                    watch.waiters[waiterID] = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let continuation = lock.withLock { watches[identity]?.waiters.removeValue(forKey: waiterID) }
            continuation?.resume(returning: .unknown)
        }
    }

    // MARK: Registration

    /// Takes over the pidfd of a child we just spawned (`owned`: it gets
    /// reaped) or of a process we only observe.
    func register(_ identity: ProcessIdentity, descriptor: ProcessDescriptor, owned: Bool = true) {
        lock.withLock {
            if watches[identity] == nil { watches[identity] = Watch(descriptor: descriptor, owned: owned) }
            startThreadLocked()
        }
        wake()
    }

    /// Starts watching an adopted (or already known) process. False when it
    /// is not running any more (or its pid now names another process).
    private func startWatching(_ identity: ProcessIdentity) -> Bool {
        if lock.withLock({ watches[identity] != nil }) { return true }
        let (descriptor, liveness) = ProcessDescriptor.open(identity, table: table)
        guard let descriptor, liveness == .running else { return false }
        register(identity, descriptor: descriptor, owned: false)
        return true
    }

    // MARK: Settling

    /// Records the end of a watched process; returns its status and the
    /// waiters to resume (outside the lock). Caller holds `lock`.
    private func settleLocked(_ identity: ProcessIdentity) -> (ExitStatus?, [CheckedContinuation<ExitStatus, Never>]) {
        guard let watch = watches[identity] else { return (finished[identity], []) }
        let status: ExitStatus
        switch watch.descriptor.collectExit(reap: watch.owned) {
        case .stillRunning: return (nil, [])
        case .reaped(let exit): status = exit
        case .notOurChild: status = .unknown
        }
        watches[identity] = nil
        finished[identity] = status
        return (status, Array(watch.waiters.values))
    }

    /// For a process nobody registered: derive what we can, reaping nothing.
    private func statusOfUnwatched(_ identity: ProcessIdentity) -> ExitStatus? {
        switch table.status(of: identity) {
        case .running: return nil
        case .gone, .reused, .unproven: return .unknown
        case .zombie:
            if case .reaped(let status) = collectChildExit(pid: identity.pid, reap: false) {
                finished[identity] = status
                return status
            }
            return .unknown
        }
    }

    // MARK: Poll thread

    private func startThreadLocked() {
        guard !threadStarted else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        threadStarted = true
        let thread = Thread { [self] in pollLoop() }
        thread.name = "ChildExitWatcher"
        thread.start()
    }

    private func wake() {
        let fd = lock.withLock { wakeWrite }
        guard fd >= 0 else { return }
        var byte: UInt8 = 1
        _ = write(fd, &byte, 1)
    }

    /// Blocks in poll() on every watched pidfd plus the wake pipe, forever.
    private func pollLoop() {
        while true {
            // Holding the descriptors keeps their fds open while we poll them.
            let (identities, descriptors, wakeFD) = lock.withLock {
                (Array(watches.keys), watches.values.map(\.descriptor), wakeRead)
            }
            var entries = [pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            entries += descriptors.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
            let ready = poll(&entries, nfds_t(entries.count), -1)
            if ready < 0 { continue } // EINTR
            if entries[0].revents != 0 { drainWakePipe(wakeFD) }
            for (index, identity) in identities.enumerated() where entries[index + 1].revents != 0 {
                let (status, waiters) = lock.withLock { settleLocked(identity) }
                waiters.forEach { $0.resume(returning: status ?? .unknown) }
            }
            withExtendedLifetime(descriptors) {}
        }
    }

    private func drainWakePipe(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 64)
        while buffer.withUnsafeMutableBytes({ read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }
}
