import Glibc

/// Stops a server and everything in its process group (we spawned it with
/// setsid, so pgid == leader pid): signal, wait up to a grace period, then
/// SIGKILL. Works for our children and for processes adopted from earlier runs,
/// and only for processes proven ours (see `ProcessClaim`).
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

    public func stop(_ claim: ProcessClaim, signal: Int32 = SIGTERM,
                     gracePeriod: Duration = .seconds(10)) async -> StopOutcome {
        let identity = claim.identity
        guard GroupSignalPolicy.maySignal(pid: identity.pid) else { return .refusedNotProven }
        // Open the pidfd first, then verify: if /proc still shows the expected
        // start time and our token, the descriptor names our process and cannot
        // be fooled by a later pid reuse.
        guard let leader = ProcessDescriptor(pid: identity.pid) else { return .notRunning }
        switch processTable.status(of: claim) {
        case .gone: return .notRunning
        case .reused: return .refusedIdentityMismatch
        case .unproven: return .refusedNotProven
        case .zombie:
            // The unreaped leader still pins the group id, so a live member left behind (a helper
            // the server forked) can be signalled through the group, once it proves to be ours:
            // members inherit the leader's environment, token included.
            let table = processTable
            let provenMember = await BlockingIO.run {
                table.liveMembers(ofGroup: identity.pid).contains { table.holdsEnvironmentEntry(pid: $0, claim.environmentEntry) }
            }
            guard provenMember else {
                _ = exitWatcher.exitStatusIfExited(identity) // reaps it if we launched it
                return .notRunning
            }
        case .running: break
        }
        // Only a group our spawn created is signalled as a group; anything else, only the process.
        let wholeGroup = processTable.stat(of: identity.pid).map { GroupSignalPolicy.mayGroupSignal($0) } ?? false
        guard send(signal, to: identity.pid, wholeGroup: wholeGroup, leader: leader) else { return .notRunning }
        if await waitUntilGone(identity, leader: leader, wholeGroup: wholeGroup, limit: gracePeriod) {
            return .exitedAfterSignal
        }
        _ = send(SIGKILL, to: identity.pid, wholeGroup: wholeGroup, leader: leader)
        _ = await waitUntilGone(identity, leader: leader, wholeGroup: wholeGroup, limit: killWaitLimit)
        return .killedAfterGrace
    }

    /// Sends to the whole group (while the verified leader or a zombie of it pins the group id,
    /// the id cannot name anyone else's group), or only to the leader through its pidfd.
    /// False when there was nothing left to signal.
    private func send(_ signal: Int32, to pgid: Int32, wholeGroup: Bool, leader: ProcessDescriptor) -> Bool {
        let delivered = (wholeGroup && kill(-pgid, signal) == 0) || leader.sendSignal(signal) == 0
        // A stopped (SIGSTOP/SIGTSTP) process only acts on SIGTERM once continued.
        if delivered && signal != SIGKILL && signal != SIGCONT {
            if wholeGroup { _ = kill(-pgid, SIGCONT) } else { _ = leader.sendSignal(SIGCONT) }
        }
        return delivered
    }

    /// Waits until the leader has exited and the group has no live member; true if that happened
    /// within `limit`. The leader's exit is an event (its pidfd, through the exit watcher, which also
    /// reaps our own child: a zombie would keep the group non-empty). Members left behind have no
    /// such event: the group is looked at again at 10 ms growing to 100 ms, a /proc scan only when
    /// `kill(-pgid, 0)` still finds it, and off the cooperative pool. A cancelled caller does not cut
    /// this short (still bounded by `limit`): a half-stopped group is worse than a late return.
    private func waitUntilGone(_ identity: ProcessIdentity, leader: ProcessDescriptor, wholeGroup: Bool,
                               limit: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: limit)
        let watcher = exitWatcher
        while !leader.hasExited {
            if clock.now >= deadline { return false }
            if await UncancellableWait.first({ _ = await watcher.waitForExit(identity) }, orDeadline: deadline),
               !leader.hasExited {
                // The watcher answered without the exit our pidfd would show (it could not watch
                // this process): look again shortly rather than spin.
                await UncancellableWait.sleep(until: min(clock.now + .milliseconds(10), deadline))
            }
        }
        _ = exitWatcher.exitStatusIfExited(identity) // our own child is reaped, so the group can empty
        var interval = Duration.milliseconds(10)
        while true {
            if !wholeGroup { return true }
            if await isGroupEmpty(identity.pid) { return true }
            if clock.now >= deadline { return false }
            await UncancellableWait.sleep(until: min(clock.now + interval, deadline))
            interval = min(interval * 3 / 2, .milliseconds(100))
        }
    }

    /// No live member left. The cheap kill(-pgid, 0) settles the common
    /// case; if it still finds the group, the members may all be zombies
    /// (orphans waiting for init to reap them), which are dead for us.
    private func isGroupEmpty(_ pgid: Int32) async -> Bool {
        if kill(-pgid, 0) != 0 && errno == ESRCH { return true }
        let table = processTable
        return await BlockingIO.run { table.liveMembers(ofGroup: pgid).isEmpty }
    }
}
