import Foundation
import InferenceModel

/// Turns our records and what /proc says now into the planner's observed state.
public struct Observer: Sendable {
    public let processTable: ProcessTable

    public init(processTable: ProcessTable = ProcessTable()) {
        self.processTable = processTable
    }

    public func observe(_ records: [InstanceRecord]) -> [ObservedInstance] {
        records.map(observe)
    }

    public func observe(_ record: InstanceRecord) -> ObservedInstance {
        ObservedInstance(
            name: record.name, backend: record.backend, startupKind: record.startupKind,
            fingerprint: record.fingerprint, process: processObservation(record), pid: record.process?.pid,
            phase: record.phase, restarts: record.restarts, startedAt: record.startedAt,
            lastExit: record.lastExit, message: record.message)
    }

    public func processObservation(_ record: InstanceRecord) -> ProcessObservation {
        guard record.startupKind == .spawned else { return .notApplicable }
        guard let identity = record.process else { return .exited }
        switch processTable.status(of: identity) {
        case .running: return .running
        case .zombie, .gone: return .exited
        case .reused: return .reused
        }
    }
}
