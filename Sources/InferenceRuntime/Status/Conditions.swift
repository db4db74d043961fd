import Foundation
import InferenceModel

/// Sets conditions Kubernetes-style: `lastTransitionTime` moves only when `status` changes.
public enum Conditions {
    public static func set(_ conditions: inout [Condition], type: String, status: Condition.Status, reason: ConditionReason,
                           message: String, generation: String, now: Date) {
        let time = now.formatted(.iso8601)
        if let index = conditions.firstIndex(where: { $0.type == type }) {
            let previous = conditions[index]
            conditions[index] = Condition(type: type, status: status, reason: reason.rawValue, message: message,
                                          lastTransitionTime: previous.status == status ? previous.lastTransitionTime : time,
                                          observedGeneration: generation)
        } else {
            conditions.append(Condition(type: type, status: status, reason: reason.rawValue, message: message,
                                        lastTransitionTime: time, observedGeneration: generation))
        }
        conditions.sort { $0.type < $1.type }
    }

    /// The `Ready` and `Progressing` conditions that follow from a phase.
    public static func apply(phase: InstancePhase, reason: ConditionReason, message: String, to record: inout InstanceRecord, now: Date) {
        let generation = record.fingerprint.hash
        let ready: Condition.Status = phase == .ready ? .true : .false
        set(&record.conditions, type: "Ready", status: ready, reason: reason, message: message, generation: generation, now: now)
        let progressing: Condition.Status = (phase == .starting || phase == .pending) ? .true : .false
        set(&record.conditions, type: "Progressing", status: progressing, reason: reason, message: message, generation: generation, now: now)
    }
}
