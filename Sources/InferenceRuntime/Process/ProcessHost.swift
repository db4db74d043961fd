import Glibc

/// Where servers run and how we act on them: this machine now, a host over SSH later. Everything
/// the executor, the observer, recovery and the controller do to processes goes through it, so
/// each of them is tested on a fake.
public protocol ProcessHost: Sendable {
    /// Starts a server in its own session and process group (its spawn token is in the request's
    /// environment); its output goes to the request's log.
    func launch(_ request: LaunchRequest) throws(LaunchError) -> ProcessIdentity
    /// Stops a server proven ours: signal its group, wait the grace period, SIGKILL.
    func stop(_ claim: ProcessClaim, signal: Int32, gracePeriod: Duration) async -> StopOutcome
    /// What became of a recorded process, ownership proof included.
    func liveness(of claim: ProcessClaim) -> ProcessLiveness
    /// What became of a process we just started (pid, start time and boot only).
    func liveness(of identity: ProcessIdentity) -> ProcessLiveness
    /// How it ended, if it has; nil while it runs.
    func exitStatusIfExited(_ identity: ProcessIdentity) -> ExitStatus?
    /// Suspends until it exits (an event, not a poll).
    func waitForExit(_ identity: ProcessIdentity) async -> ExitStatus
    /// Every live session leader whose environment holds an entry starting with `prefix`, with
    /// its entries starting with `keep`: how recovery finds a folder's servers by their tokens.
    func sessionLeaders(withEnvironmentPrefix prefix: String, keeping keep: String) -> [(identity: ProcessIdentity, entries: [String])]
}

extension ProcessHost {
    public func stop(_ claim: ProcessClaim) async -> StopOutcome {
        await stop(claim, signal: SIGTERM, gracePeriod: .seconds(10))
    }
}

/// This machine: posix_spawn with setsid, pidfds, /proc.
public struct LocalProcessHost: ProcessHost {
    public let processTable: ProcessTable
    public let exitWatcher: ChildExitWatcher
    public let launcher: ProcessLauncher
    public let terminator: ProcessTerminator

    public init(processTable: ProcessTable = ProcessTable(), exitWatcher: ChildExitWatcher = .shared) {
        self.processTable = processTable
        self.exitWatcher = exitWatcher
        launcher = ProcessLauncher(processTable: processTable, exitWatcher: exitWatcher)
        terminator = ProcessTerminator(processTable: processTable, exitWatcher: exitWatcher)
    }

    public func launch(_ request: LaunchRequest) throws(LaunchError) -> ProcessIdentity {
        try launcher.launch(request)
    }

    public func stop(_ claim: ProcessClaim, signal: Int32, gracePeriod: Duration) async -> StopOutcome {
        await terminator.stop(claim, signal: signal, gracePeriod: gracePeriod)
    }

    public func liveness(of claim: ProcessClaim) -> ProcessLiveness { processTable.status(of: claim) }

    public func liveness(of identity: ProcessIdentity) -> ProcessLiveness { processTable.status(of: identity) }

    public func exitStatusIfExited(_ identity: ProcessIdentity) -> ExitStatus? { exitWatcher.exitStatusIfExited(identity) }

    public func waitForExit(_ identity: ProcessIdentity) async -> ExitStatus { await exitWatcher.waitForExit(identity) }

    public func sessionLeaders(withEnvironmentPrefix prefix: String, keeping keep: String) -> [(identity: ProcessIdentity, entries: [String])] {
        processTable.sessionLeaders(withEnvironmentPrefix: prefix, keeping: keep)
    }
}
