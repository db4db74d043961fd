import Glibc

/// When `kill(-pgid)` is allowed. A group signal reaches every process in the group, so it is
/// sent only to a group that our spawn created: the process leads its own session and group
/// (posix_spawn with setsid makes pid == pgid == sid), it is not pid 0 or 1, and it is neither
/// us nor our own group or session. Anything else gets at most a signal to the one process,
/// through its pidfd.
public enum GroupSignalPolicy {
    public struct Caller: Sendable, Equatable {
        public var pid: Int32
        public var processGroup: Int32
        public var session: Int32

        public init(pid: Int32, processGroup: Int32, session: Int32) {
            self.pid = pid
            self.processGroup = processGroup
            self.session = session
        }

        public static var current: Caller { Caller(pid: getpid(), processGroup: getpgrp(), session: getsid(0)) }
    }

    /// Whether a process may be signalled at all (even alone).
    public static func maySignal(pid: Int32, caller: Caller = .current) -> Bool {
        pid > 1 && pid != caller.pid
    }

    /// Whether the whole group led by `stat.pid` may be signalled.
    public static func mayGroupSignal(_ stat: ProcStat, caller: Caller = .current) -> Bool {
        maySignal(pid: stat.pid, caller: caller)
            && stat.processGroupID == stat.pid
            && stat.sessionID == stat.pid
            && stat.processGroupID != caller.processGroup
            && stat.sessionID != caller.session
    }
}
