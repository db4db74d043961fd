import Foundation
import InferenceBackends
import InferenceModel

/// Waits until a server is ready, noticing it fast: probes at a short interval that backs off,
/// probes at once when the log prints a line that hints at readiness, fails at once when the
/// process exits, and gives up on the timeout or when nothing moves for the stall timeout.
public struct ReadinessWaiter: Sendable {
    public struct Settings: Sendable, Equatable {
        public var timeout: Duration
        public var stallTimeout: Duration?
        /// First probe interval, multiplied by `backoffFactor` after each not-ready answer, up to `maxInterval`.
        public var initialInterval: Duration = .milliseconds(10)
        public var maxInterval: Duration = .milliseconds(250)
        public var backoffFactor: Double = 1.5
        /// How often the log and the process are looked at between probes.
        public var watchInterval: Duration = .milliseconds(2)
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
        var interval = settings.initialInterval
        var nextProbe = start
        var lastProgress = start
        var lastReason = "not probed yet"
        var probed = false

        while true {
            // An exit is checked before any deadline: a server that died is reported as dead, with its log.
            if let process, let status = await exitStatus(of: process) {
                let tail = logPath.flatMap { try? LogFiles.tail(path: $0, lines: settings.logTailLines) } ?? []
                return .exited(status, logTail: tail)
            }
            let elapsed = clock.now - start
            // At least one probe, even with a zero timeout (apply --no-wait on an attachment).
            if probed && elapsed >= settings.timeout { return .timedOut(after: elapsed, lastReason: lastReason) }
            if let stall = settings.stallTimeout, clock.now - lastProgress >= stall {
                return .stalled(for: stall, lastReason: lastReason)
            }
            let now = clock.now
            let change = log.poll()
            if change.progressed { lastProgress = now }
            if change.hintSeen { nextProbe = now }

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
            try? await Task.sleep(for: min(settings.watchInterval, max(.zero, nextProbe - clock.now)))
            if Task.isCancelled { return .timedOut(after: clock.now - start, lastReason: "cancelled") }
        }
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
