import Foundation
import InferenceModel

/// The controller's structured reports: events for people (besides the text log) and
/// measurements for metrics. Kept apart from the loop itself.
extension Controller {
    /// One event, its message redacted like everything else that leaves the runtime.
    func event(_ type: ControllerEvent.Kind, _ reason: ConditionReason, _ object: String?, _ message: String) {
        events.record(type, reason, object: object, message: environment.secrets.redactor.redact(message))
    }

    /// An instance's progress as the reconciler reports it: starts, launches and how each ended.
    func report(_ applyEvent: ApplyEvent, store: StateStore) {
        switch applyEvent {
        case .starting(let instance, let action):
            switch action {
            case .restart: event(.normal, .restarting, instance, "restarting the server")
            case .attach: event(.normal, .attaching, instance, "attaching to the server")
            case .replace: event(.normal, .starting, instance, "replacing the server (its spec changed)")
            case .adopt: event(.normal, .starting, instance, "adopting the running server")
            default: event(.normal, .starting, instance, "starting the server")
            }
        case .launched(let instance, let pid, let port):
            event(.normal, .started, instance, "started pid \(pid) on port \(port)")
        case .waiting:
            break
        case .finished(let outcome):
            let summary = outcome.message.split(separator: "\n").first.map(String.init) ?? ""
            switch outcome.phase {
            case .ready:
                event(.normal, .ready, outcome.instance, summary)
                if [.spawn, .restart, .replace, .attach].contains(outcome.action) { metrics.becameReady(outcome.instance, after: outcome.elapsed) }
            case .failed:
                event(.warning, Self.readyReason(of: outcome.instance, in: store) ?? .launchFailed, outcome.instance, summary)
            case .stopped:
                event(.normal, .stopped, outcome.instance, summary)
            case .starting:
                event(.normal, .starting, outcome.instance, summary)
            case .pending:
                event(.warning, .notReachable, outcome.instance, summary)
            }
        }
    }

    /// An instance whose manifest is gone, stopped (or detached) and forgotten.
    func report(removal outcome: InstanceOutcome) {
        if outcome.succeeded {
            event(.normal, .stopped, outcome.instance, "pruned (its manifest is gone): \(outcome.message)")
        } else {
            event(.warning, .stateWriteFailed, outcome.instance, outcome.message)
        }
    }

    /// One key's reconcile, for metrics.
    func measure(_ key: String, action: PlannedAction?, outcome: InstanceOutcome?, store: StateStore, duration: Duration) {
        let result: ReconcileResult
        if let outcome {
            result = outcome.succeeded ? .succeeded : .failed
        } else if let action, action.kind == .restart, let notBefore = action.notBefore, notBefore > environment.now() {
            result = .backoff
        } else {
            result = action == nil ? .skipped : .succeeded
        }
        let failure = result == .failed ? (Self.readyReason(of: key, in: store) ?? .stateWriteFailed) : nil
        metrics.reconciled(key, result: result, failure: failure, duration: duration)
    }

    /// The reason of an instance's `Ready` condition as recorded now.
    static func readyReason(of instance: String, in store: StateStore) -> ConditionReason? {
        let record = ((try? store.loadRecords()) ?? []).first { $0.name == instance }
        return record?.conditions.first { $0.type == "Ready" }.flatMap { ConditionReason(rawValue: $0.reason) }
    }
}
