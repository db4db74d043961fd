import Foundation
import InferenceBackends
import InferenceModel

/// Waits until a server is ready, noticing it fast without polling: probes at a short interval that
/// backs off, probes at once when the log prints a line that hints at readiness, fails at once when
/// the process exits, and gives up on the timeout or when nothing moves for the stall timeout.
/// Between probes it sleeps until something happens: the log grows (inotify) or the process exits
/// (its pidfd, through the host), or the next probe or deadline is due.
public struct ReadinessWaiter: Sendable {
    public struct Settings: Sendable, Equatable {
        public var timeout: Duration
        public var stallTimeout: Duration?
        /// First probe interval, multiplied by `backoffFactor` after each not-ready answer, up to `maxInterval`.
        public var initialInterval: Duration = .milliseconds(10)
        public var maxInterval: Duration = .milliseconds(250)
        public var backoffFactor: Double = 1.5
        /// How often the log is read when it cannot be watched (no inotify); otherwise its growth wakes the waiter.
        public var logPollInterval: Duration = .milliseconds(50)
        public var logTailLines: Int = 20

        public init(timeout: Duration, stallTimeout: Duration? = nil) {
            self.timeout = timeout
            self.stallTimeout = stallTimeout
        }
    }

    public let runner: ProbeRunner
    public let host: any ProcessHost

    public init(runner: ProbeRunner, host: any ProcessHost = LocalProcessHost()) {
        self.runner = runner
        self.host = host
    }

    /// `process` is nil for attached servers; `logPath` is nil when there is no log of ours.
    /// `onProgress` receives each new not-ready reason (for live output and status).
    public func wait(for probe: ProbeSet.Kind, process: ProcessIdentity?, logPath: String?, settings: Settings,
                     onProgress: @Sendable (String) -> Void = { _ in }) async -> ReadinessOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        // Lines our own probes cause (servers log each request) are not progress.
        var log = LogWatcher(path: logPath, ignoring: probe.loggedPaths)
        let wakeup = Wakeup()
        let logWatch = logPath.flatMap { FileChangeNotifier.shared.watch($0) { wakeup.signal() } }
        let exit = ExitNotice()
        let exitWatch = process.map { process in
            Task { [host] in
                let status = await host.waitForExit(process)
                if Task.isCancelled { return } // the wait ended first; the status is not known
                exit.record(status)
                wakeup.signal()
            }
        }
        defer {
            logWatch?.cancel()
            exitWatch?.cancel()
        }
        var interval = settings.initialInterval
        var nextProbe = start
        var lastProgress = start
        var lastReason = "not probed yet"
        var probed = false

        while true {
            // A server that died is reported as dead, with its log, whatever else is due. Its exit
            // event wakes this loop; the look at its pidfd (a poll() that does not block) also
            // catches an exit the event has not reported yet, before a probe could say "ready".
            if let status = exit.status ?? process.flatMap(host.exitStatusIfExited) {
                return exited(status, logPath: logPath, settings: settings)
            }
            let now = clock.now
            let change = log.poll()
            if change.progressed { lastProgress = now }
            if change.hintSeen { nextProbe = now }

            // At least one probe, even with a zero timeout (apply --no-wait on an attachment).
            let timedOut = probed && now - start >= settings.timeout
            let stalled = settings.stallTimeout.map { now - lastProgress >= $0 } ?? false
            if timedOut || stalled {
                // Its exit event may still be on its way: an exit is checked before any deadline.
                if let process, let status = await exitStatus(of: process) { return exited(status, logPath: logPath, settings: settings) }
                if timedOut { return .timedOut(after: now - start, lastReason: lastReason) }
                return .stalled(for: settings.stallTimeout!, lastReason: lastReason)
            }

            if now >= nextProbe {
                let verdict = await runner.readiness(probe)
                probed = true
                switch verdict {
                case .ready:
                    return .ready(after: clock.now - start)
                case .fatal(let why):
                    return .fatal(why)
                case .notReady(let why):
                    if why != lastReason {
                        lastReason = why
                        lastProgress = clock.now
                        onProgress(why)
                    }
                    nextProbe = clock.now + interval
                    interval = min(interval * settings.backoffFactor, settings.maxInterval)
                }
            }
            var wake = nextProbe
            if probed { wake = min(wake, start + settings.timeout) }
            if let stall = settings.stallTimeout { wake = min(wake, lastProgress + stall) }
            if logPath != nil && logWatch == nil { wake = min(wake, clock.now + settings.logPollInterval) }
            await wakeup.wait(until: wake)
            if Task.isCancelled { return .timedOut(after: clock.now - start, lastReason: "cancelled") }
        }
    }

    private func exited(_ status: ExitStatus, logPath: String?, settings: Settings) -> ReadinessOutcome {
        let tail = logPath.flatMap { try? LogFiles.tail(path: $0, lines: settings.logTailLines) } ?? []
        return .exited(status, logTail: tail)
    }

    /// Our child's real status, or "unknown" for a process that is gone but not ours to reap.
    func exitStatus(of process: ProcessIdentity) async -> ExitStatus? {
        if let status = host.exitStatusIfExited(process) { return status }
        switch host.liveness(of: process) {
        case .running: return nil
        // Gone from /proc can mean reaped a moment ago by the watcher: ask it, so our own child's
        // real status is not lost to the race (for a process that is not ours it answers unknown).
        case .zombie, .gone: return await host.waitForExit(process)
        case .reused, .unproven: return .unknown
        }
    }
}

/// How the watched process ended, once its exit event came.
private final class ExitNotice: @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: ExitStatus?

    var status: ExitStatus? { lock.withLock { recorded } }

    func record(_ status: ExitStatus) { lock.withLock { recorded = status } }
}
