import CProcessSupport
import Glibc

/// An owned pidfd: a handle on exactly one process, immune to pid reuse.
/// Requires Linux >= 5.4 (pidfd_open, waitid P_PIDFD).
final class ProcessDescriptor: @unchecked Sendable {
    let pid: Int32
    private(set) var fd: Int32

    /// Opens a pidfd for `pid`; nil when no such process (ESRCH).
    init?(pid: Int32) {
        var fd: Int32 = -1
        guard pid > 0, sh_pidfd_open(pid, &fd) == 0 else { return nil }
        self.pid = pid
        self.fd = fd
    }

    /// Opens a pidfd and then checks that it names `identity` (checking after
    /// opening closes the race with pid reuse: if /proc shows the expected
    /// start time now, the descriptor we hold is that process).
    static func open(_ identity: ProcessIdentity, table: ProcessTable) -> (ProcessDescriptor?, ProcessLiveness) {
        guard let descriptor = ProcessDescriptor(pid: identity.pid) else { return (nil, .gone) }
        let liveness = table.status(of: identity)
        guard liveness == .running || liveness == .zombie else { return (nil, liveness) }
        return (descriptor, liveness)
    }

    /// True once the process has exited (zombie or reaped).
    var hasExited: Bool {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&entry, 1, 0)
        return ready > 0
    }

    /// 0 on success, otherwise the errno (ESRCH once the process is gone).
    func sendSignal(_ signal: Int32) -> Int32 {
        sh_pidfd_send_signal(fd, signal)
    }

    /// The exit status if the process is our exited child (never blocks).
    /// `reap: false` only peeks (WNOWAIT), leaving the zombie to whoever
    /// owns it (e.g. a Foundation `Process` elsewhere in this program).
    func collectExit(reap: Bool) -> ReapResult {
        var kind: Int32 = 0
        var value: Int32 = 0
        let rc = sh_waitid_pidfd(fd, 1, reap ? 1 : 0, &kind, &value)
        guard rc == 0 else { return .notOurChild }
        return ExitStatus(waitKind: kind, value: value).map(ReapResult.reaped) ?? .stillRunning
    }

    deinit {
        if fd >= 0 { close(fd) }
    }
}

enum ReapResult: Equatable {
    case stillRunning
    case reaped(ExitStatus)
    /// ECHILD: not our child, or someone else already reaped it.
    case notOurChild
}

/// Exit status of an exited child by pid, reaping it or only peeking.
/// Only call once the identity was verified as a zombie (a zombie's pid
/// cannot be recycled until it is reaped) or for a child nobody else reaps.
func collectChildExit(pid: Int32, reap: Bool) -> ReapResult {
    var kind: Int32 = 0
    var value: Int32 = 0
    guard sh_waitid_pid(pid, 1, reap ? 1 : 0, &kind, &value) == 0 else { return .notOurChild }
    return ExitStatus(waitKind: kind, value: value).map(ReapResult.reaped) ?? .stillRunning
}

extension ExitStatus {
    /// From the shim's waitid result; nil while the child is still running.
    init?(waitKind: Int32, value: Int32) {
        switch waitKind {
        case Int32(SH_WAIT_EXITED): self = .exited(value)
        case Int32(SH_WAIT_SIGNALED): self = .signaled(value)
        default: return nil
        }
    }
}
