import Foundation
import InferenceModel

/// Status as it is now: a record that says Ready about a dead process is not believed. Used by
/// `inferctl status` and by the controller's API, so both say the same.
public enum LiveStatus {
    public static func current(_ records: [InstanceRecord], observer: Observer, now: Date) -> [InstanceStatus] {
        records.map { InstanceStatus(record: corrected($0, observer: observer), now: now) }
    }

    /// The record with its phase, health and message corrected by what /proc says now.
    public static func corrected(_ record: InstanceRecord, observer: Observer) -> InstanceRecord {
        guard record.startupKind == .spawned, record.phase == .ready || record.phase == .starting else { return record }
        var corrected = record
        let message: String
        switch observer.processObservation(record) {
        case .running, .notApplicable:
            return record
        case .exited:
            message = "process \(record.process.map { String($0.pid) } ?? "?") is no longer running; the next apply restarts it"
        case .reused:
            message = "recorded pid now belongs to another process; the next apply starts a new one"
        case .unproven:
            message = "recorded pid is not proven ours (no spawn token of this state folder); it is left alone"
        }
        corrected.phase = .failed
        corrected.health = .unavailable
        corrected.message = message
        return corrected
    }
}
