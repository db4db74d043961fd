import InferenceModel

/// Decides, from one observation, whether an instance meets what `wait` waits for, has failed, or is
/// not there yet. Pure: the same observation always gives the same verdict.
public enum WaitDecision {
    /// The `Ready` condition reason a controller gives an instance it has stopped restarting for now.
    public static let crashLoopReason = ConditionReason.crashLoopBackOff.rawValue

    public static func verdict(_ condition: WaitCondition, _ observation: WaitObservation) -> WaitVerdict {
        switch condition {
        case .ready: ready(observation)
        case .deleted: deleted(observation)
        }
    }

    /// All of them together: one failure decides (waiting longer would only hide it); otherwise met
    /// only when every one is met.
    public static func combined(_ verdicts: [WaitVerdict]) -> WaitVerdict.State {
        if verdicts.contains(where: { $0.state == .failed }) { return .failed }
        return verdicts.allSatisfy { $0.state == .met } ? .met : .pending
    }

    /// Ready: the status file says so for the manifest as it is now, and a spawned server's process is
    /// the one the record names and is alive.
    static func ready(_ observation: WaitObservation) -> WaitVerdict {
        func say(_ state: WaitVerdict.State, phase: InstancePhase?, message: String) -> WaitVerdict {
            WaitVerdict(observation.name, state, phase: phase, message: message)
        }
        if let reason = observation.unreadableRecord {
            return say(.failed, phase: nil, message: "its record cannot be read (\(reason)); apply leaves it alone until the file is fixed or removed")
        }
        let status: InstanceStatus
        switch observation.published {
        case .absent:
            return say(.pending, phase: nil, message: observation.live == nil ? "not applied yet (no status file)" : "no status file yet")
        case .unreadable(let reason):
            return say(.pending, phase: nil, message: "its status file cannot be read: \(reason)")
        case .present(let published):
            status = published
        }
        // A status written for an earlier manifest says nothing about the current one, whatever its phase:
        // right after an edit it may still say Ready (or Failed) until apply or watch acts on the edit.
        if let generation = observation.declaredGeneration, generation != status.observedGeneration {
            return say(.pending, phase: status.phase,
                               message: "its status (\(status.phase.rawValue)) is for an earlier version of its manifest; waiting for apply or watch to act on the current one")
        }
        if let ready = status.conditions.first(where: { $0.type == "Ready" }), ready.reason == crashLoopReason {
            return say(.failed, phase: status.phase, message: ready.message.isEmpty ? crashLoopReason : "\(crashLoopReason): \(ready.message)")
        }
        // The process the status file names, as the record and /proc say now. Nil when the record names
        // none or another one: a pass is replacing it, and the status file will follow.
        let process = status.startupKind == .spawned ? observation.live.flatMap { $0.pid != nil && $0.pid == status.pid ? $0 : nil } : nil
        switch status.phase {
        case .failed:
            return say(.failed, phase: .failed, message: status.message ?? "Failed")
        case .ready:
            // Attached servers are not ours to watch: their status is the last word.
            guard status.startupKind == .spawned else { return say(.met, phase: .ready, message: status.message ?? "ready") }
            guard let process else {
                return say(.pending, phase: .ready, message: "its record names another process or none (being replaced)")
            }
            switch process.phase {
            case .ready: return say(.met, phase: .ready, message: status.message ?? "ready")
            case .failed: return say(.failed, phase: .failed, message: process.message ?? "its process is no longer running")
            default: return say(.pending, phase: process.phase, message: process.message ?? process.phase.rawValue)
            }
        case .starting, .pending:
            // Without a controller nobody would ever rewrite the status of a server that died while
            // starting: seeing it here is the only way not to wait for the timeout.
            if let process, process.phase == .failed {
                return say(.failed, phase: .failed, message: process.message ?? "its process is no longer running")
            }
            return say(.pending, phase: status.phase, message: status.message ?? status.phase.rawValue)
        case .stopped:
            return say(.pending, phase: .stopped, message: (status.message ?? "stopped") + "; the next apply starts it")
        }
    }

    /// Deleted: pruned, so neither a status file nor a record is left.
    static func deleted(_ observation: WaitObservation) -> WaitVerdict {
        func say(_ state: WaitVerdict.State, phase: InstancePhase?, message: String) -> WaitVerdict {
            WaitVerdict(observation.name, state, phase: phase, message: message)
        }
        if let reason = observation.unreadableRecord {
            return say(.failed, phase: nil, message: "its record cannot be read (\(reason)); apply leaves it alone, so it is never pruned")
        }
        let stillDeclared = observation.declaredGeneration == nil ? "" : "; it is still declared in the manifests"
        switch observation.published {
        case .present(let status):
            return say(.pending, phase: status.phase, message: "its status file remains (\(status.phase.rawValue))\(stillDeclared)")
        case .unreadable:
            return say(.pending, phase: nil, message: "its status file remains\(stillDeclared)")
        case .absent:
            if let live = observation.live {
                return say(.pending, phase: live.phase, message: "its record remains\(stillDeclared)")
            }
            return say(.met, phase: nil, message: "deleted")
        }
    }
}
