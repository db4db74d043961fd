import Foundation
import InferenceModel

/// Stopping the server a record names, the one way every path does it (prune, `down`, a held
/// controller): only a process proven ours, with the stop signal and grace period it was started with.
struct RecordedServerStop: Sendable {
    let folder: StateFolder
    let host: any ProcessHost

    struct Result: Sendable {
        var pid: Int32
        var outcome: StopOutcome
        /// The process's exit, when it is known to have ended by our stop.
        var exit: ExitStatus?

        var refused: Bool { outcome == .refusedIdentityMismatch || outcome == .refusedNotProven }
        /// `pid 123 exited after SIGTERM`, `pid 123 refused: not proven ours`.
        var message: String { "pid \(pid) \(outcome)" }
    }

    /// Nil when the record names no process. A surge or old revision of the record is stopped
    /// too (first): the caller then clears them from the record.
    func stop(_ record: InstanceRecord) async -> Result? {
        _ = await stopExtras(of: record)
        guard let identity = record.process else { return nil }
        guard let claim = folder.claim(for: record) else {
            return Result(pid: identity.pid, outcome: .refusedNotProven, exit: nil)
        }
        let outcome = await host.stop(claim, signal: SignalNumbers.number(record.stopSignal),
                                      gracePeriod: .milliseconds(record.stopGraceMilliseconds ?? 10_000))
        var result = Result(pid: identity.pid, outcome: outcome, exit: nil)
        if !result.refused { result.exit = host.exitStatusIfExited(identity) }
        return result
    }

    /// Stops a record's surge and retiring servers, each only if proven ours; their messages.
    func stopExtras(of record: InstanceRecord) async -> [String] {
        var messages: [String] = []
        let signal = SignalNumbers.number(record.stopSignal)
        let grace = Duration.milliseconds(record.stopGraceMilliseconds ?? 10_000)
        for extra in record.extraServers {
            guard let identity = extra.identity else { continue }
            guard let claim = folder.claim(identity: identity, token: extra.token) else {
                messages.append("pid \(identity.pid) \(StopOutcome.refusedNotProven)")
                continue
            }
            messages.append("pid \(identity.pid) \(await host.stop(claim, signal: signal, gracePeriod: grace))")
        }
        return messages
    }
}
