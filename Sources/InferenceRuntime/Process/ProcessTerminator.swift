import Glibc

/// Stops a server and everything in its process group (we spawned it with
/// setsid, so pgid == leader pid): signal, wait up to a grace period, then
/// SIGKILL. Works for our children and for processes adopted from earlier runs.
public struct ProcessTerminator: Sendable {
    public let processTable: ProcessTable
    public let exitWatcher: ChildExitWatcher
    /// Upper bound on waiting for the group to vanish after SIGKILL
    /// (a process in uninterruptible sleep can take a while).
    public var killWaitLimit: Duration

    public init(processTable: ProcessTable = ProcessTable(), exitWatcher: ChildExitWatcher = .shared,
                killWaitLimit: Duration = .seconds(5)) {
        self.processTable = processTable
        self.exitWatcher = exitWatcher
        self.killWaitLimit = killWaitLimit
    }

    public func stop(_ identity: ProcessIdentity, signal: Int32 = SIGTERM,
                     gracePeriod: Duration = .seconds(10)) async -> StopOutcome {
        // Open the pidfd first, then verify: if /proc still shows the expected
        // start time, the descriptor names our process and cannot be fooled
        // by a later pid reuse.
        let (opened, liveness) = ProcessDescriptor.open(identity, table: processTable)
        switch liveness {
        case .gone: return .notRunning
        case .reused: return .refusedIdentityMismatch
        case .zombie:
            // The unreaped leader still pins the group id, so any live member
            // left behind (a helper the server forked) is verifiably ours.
            if processTable.liveMembers(ofGroup: identity.pid).isEmpty {
                _ = exitWatcher.exitStatusIfExited(identity) // reaps it if we launched it
                return .notRunning
            }
        case .running: break
        }
        guard let leader = opened else { return .notRunning }

        // While the verified leader lives (or its group has members), the
        // group id cannot be handed to anyone else, so kill(-pgid) is ours.
        guard signalGroup(identity.pid, signal, leader: leader) else { return .notRunning }
        if await waitUntilGone(identity, leader: leader, limit: gracePeriod) {
            return .exitedAfterSignal
        }
        _ = signalGroup(identity.pid, SIGKILL, leader: leader)
        _ = await waitUntilGone(identity, leader: leader, limit: killWaitLimit)
        return .killedAfterGrace
    }

    /// Sends to the whole group, else to the leader through its pidfd.
    /// False when there was nothing left to signal.
    private func signalGroup(_ pgid: Int32, _ signal: Int32, leader: ProcessDescriptor) -> Bool {
        // No such group: the process was not started as a group leader
        // (not by our launcher); then it is the only one we can signal.
        let delivered = kill(-pgid, signal) == 0 || leader.sendSignal(signal) == 0
        // A stopped (SIGSTOP/SIGTSTP) process only acts on SIGTERM once continued.
        if delivered && signal != SIGKILL && signal != SIGCONT { _ = kill(-pgid, SIGCONT) }
        return delivered
    }

    /// Polls (5 ms growing to 50 ms) until the leader has exited and the
    /// group has no live member. True if that happened within `limit`.
    private func waitUntilGone(_ identity: ProcessIdentity, leader: ProcessDescriptor,
                               limit: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        var interval = Duration.milliseconds(5)
        while true {
            if leader.hasExited {
                // Our own child stays a zombie (and keeps the group
                // non-empty) until reaped; the watcher reaps it.
                _ = exitWatcher.exitStatusIfExited(identity)
                if isGroupEmpty(identity.pid) { return true }
            }
            if clock.now >= deadline { return false }
            let pause = min(interval, deadline - clock.now)
            do {
                try await Task.sleep(for: pause)
            } catch {
                // Cancelled: finish the stop anyway (bounded by `limit`)
                // rather than leave a half-stopped group behind.
                let (seconds, attoseconds) = pause.components
                usleep(useconds_t(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
            }
            interval = min(interval * 3 / 2, .milliseconds(50))
        }
    }

    /// No live member left. The cheap kill(-pgid, 0) settles the common
    /// case; if it still finds the group, the members may all be zombies
    /// (orphans waiting for init to reap them), which are dead for us.
    private func isGroupEmpty(_ pgid: Int32) -> Bool {
        if kill(-pgid, 0) != 0 && errno == ESRCH { return true }
        return processTable.liveMembers(ofGroup: pgid).isEmpty
    }
}
