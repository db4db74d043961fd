import Foundation
import InferenceModel

/// Turns our records and what /proc says now into the planner's observed state.
public struct Observer: Sendable {
    public let host: any ProcessHost
    /// Decides which recorded processes are provably ours.
    public let folder: StateFolder

    public init(folder: StateFolder, host: any ProcessHost = LocalProcessHost()) {
        self.host = host
        self.folder = folder
    }

    public func observe(_ records: [InstanceRecord], now: Date = Date()) -> [ObservedInstance] {
        records.map { observe($0, now: now) }
    }

    public func observe(_ record: InstanceRecord, now: Date = Date()) -> ObservedInstance {
        let process = processObservation(record)
        return ObservedInstance(
            name: record.name, backend: record.backend, startupKind: record.startupKind,
            fingerprint: record.fingerprint, process: process, pid: record.process?.pid,
            phase: record.phase, restarts: record.restarts, startedAt: record.startedAt,
            lastExit: lastExit(record, process: process, now: now), message: record.message,
            rolloutFailure: record.rolloutFailure)
    }

    /// A process that died after the run that started it had exited: nobody could learn its status,
    /// so the exit is recorded as unknown, noticed now.
    func lastExit(_ record: InstanceRecord, process: ProcessObservation, now: Date) -> ExitRecord? {
        guard process == .exited || process == .reused || process == .unproven, record.process != nil, record.phase != .stopped else { return record.lastExit }
        if let known = record.lastExit, let started = record.startedAt, known.at >= started { return known }
        return ExitRecord(status: .unknown, at: now)
    }

    public func processObservation(_ record: InstanceRecord) -> ProcessObservation {
        guard record.startupKind == .spawned else { return .notApplicable }
        guard record.process != nil else { return .exited }
        // A process without a token this folder minted (an older record, a forged one, a copied
        // folder's) is never ours, whatever runs under its pid.
        guard let claim = folder.claim(for: record) else { return .unproven }
        switch host.liveness(of: claim) {
        case .running: return .running
        case .zombie, .gone: return .exited
        case .reused: return .reused
        case .unproven: return .unproven
        }
    }
}
