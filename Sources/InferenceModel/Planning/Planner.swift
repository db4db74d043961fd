import Foundation

/// desired x observed x now -> Plan. Pure: no I/O, time passed in.
public enum Planner {
    /// A process that ran this long before exiting starts its restart backoff over.
    public static let stableRunTime: TimeInterval = 600

    public static func plan(desired: [DesiredInstance], observed: [ObservedInstance], now: Date) -> Plan {
        let observedByName = Dictionary(observed.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let desiredNames = Set(desired.map(\.name))
        var actions = desired.map { want in action(for: want, observed: observedByName[want.name], now: now) }
        for gone in observed where !desiredNames.contains(gone.name) {
            actions.append(removal(of: gone))
        }
        return Plan(actions: actions)
    }

    static func action(for want: DesiredInstance, observed: ObservedInstance?, now: Date) -> PlannedAction {
        guard let have = observed else {
            if want.startupKind == .attachExistingService {
                return PlannedAction(.attach, want.name, reason: "new instance: attach to \(want.fingerprint.fields["url"] ?? want.backend)")
            }
            if want.activation.mode == .onDemand {
                return PlannedAction(.noop, want.name, reason: "activation OnDemand: started on first use")
            }
            return PlannedAction(.spawn, want.name, reason: "new instance")
        }
        if have.startupKind != want.startupKind {
            return PlannedAction(.replace, want.name,
                                 reason: "startup kind changed: \(have.startupKind.rawValue) -> \(want.startupKind.rawValue)")
        }
        let changes = want.fingerprint.changes(from: have.fingerprint)
        if want.startupKind == .attachExistingService {
            if !changes.isEmpty {
                return PlannedAction(.attach, want.name, reason: "spec changed: " + changes.joined(separator: ", "))
            }
            if have.phase == .ready {
                return PlannedAction(.noop, want.name, reason: "attached and ready")
            }
            return PlannedAction(.attach, want.name, reason: "not ready yet" + (have.message.map { ": \($0)" } ?? ""))
        }
        return spawnedAction(want, have, changes: changes, now: now)
    }

    static func spawnedAction(_ want: DesiredInstance, _ have: ObservedInstance, changes: [String], now: Date) -> PlannedAction {
        switch have.process {
        case .running:
            if !changes.isEmpty {
                if want.rollout == .surge && have.phase == .ready {
                    return rollout(want, have, changes: changes, now: now)
                }
                return PlannedAction(.replace, want.name, reason: "spec changed: " + changes.joined(separator: ", "))
            }
            if have.phase == .ready {
                return PlannedAction(.noop, want.name, reason: "running (pid \(have.pid.map(String.init) ?? "?")) and ready")
            }
            return PlannedAction(.adopt, want.name,
                                 reason: "process \(have.pid.map(String.init) ?? "?") is alive; waiting for it to be ready")
        case .exited, .reused, .unproven, .notApplicable:
            if !changes.isEmpty {
                return PlannedAction(.spawn, want.name, reason: "spec changed: " + changes.joined(separator: ", ") + " (old process not running)")
            }
            if have.phase == .stopped {
                return PlannedAction(.spawn, want.name, reason: "stopped; starting again")
            }
            if have.phase == .pending && have.pid == nil {
                return PlannedAction(.spawn, want.name, reason: have.message ?? "not started yet")
            }
            return restartDecision(want, have, now: now)
        }
    }

    /// Surge: the new revision beside the old; after a failed attempt, not before its backoff
    /// (doubling per attempt at that revision, as restarts do).
    static func rollout(_ want: DesiredInstance, _ have: ObservedInstance, changes: [String], now: Date) -> PlannedAction {
        let reason = "spec changed: " + changes.joined(separator: ", ") + " (Surge: the new revision starts beside the old one)"
        guard let failure = have.rolloutFailure, failure.revision == want.fingerprint.hash else {
            return PlannedAction(.rollout, want.name, reason: reason)
        }
        let exponent = min(max(failure.attempts - 1, 0), 20)
        let delayMs = min(Double(want.restart.backoff.milliseconds) * pow(2, Double(exponent)), Double(want.restart.maxBackoff.milliseconds))
        let earliest = failure.at.addingTimeInterval(delayMs / 1000)
        let held = earliest > now
        return PlannedAction(.rollout, want.name,
                             reason: reason + "; attempt \(failure.attempts + 1) after RolloutFailed"
                                + (held ? ", backoff until \(earliest.formatted(.iso8601))" : ""),
                             notBefore: held ? earliest : nil)
    }

    static func restartDecision(_ want: DesiredInstance, _ have: ObservedInstance, now: Date) -> PlannedAction {
        let what: String
        switch have.process {
        case .reused: what = "recorded pid \(have.pid.map(String.init) ?? "?") now belongs to another process"
        case .unproven:
            what = "recorded pid \(have.pid.map(String.init) ?? "?") is not proven ours (no spawn token of this state folder); "
                + "it is left alone"
        default: what = "process \(have.pid.map(String.init) ?? "?") " + (have.lastExit?.description ?? "is gone")
        }
        let failed = have.lastExit?.isFailure ?? true
        switch want.restart.policy {
        case .never:
            return PlannedAction(.noop, want.name, reason: "\(what); restart policy Never", notRunning: true)
        case .onFailure where !failed:
            return PlannedAction(.noop, want.name, reason: "\(what); restart policy OnFailure", notRunning: true)
        default:
            let earliest = earliestRestart(want.restart, have)
            let held = earliest.map { $0 > now } ?? false
            return PlannedAction(.restart, want.name,
                                 reason: what + (held ? "; restart backoff until \(earliest!.formatted(.iso8601))" : ""),
                                 notBefore: held ? earliest : nil)
        }
    }

    /// Restart delay doubles per recorded restart up to the maximum, and starts over after a stable run.
    static func earliestRestart(_ restart: RestartSpec, _ have: ObservedInstance) -> Date? {
        guard let exit = have.lastExit else { return nil }
        let ranStably = have.startedAt.map { exit.at.timeIntervalSince($0) >= stableRunTime } ?? false
        let exponent = ranStably ? 0 : min(have.restarts, 20)
        let delayMs = min(Double(restart.backoff.milliseconds) * pow(2, Double(exponent)), Double(restart.maxBackoff.milliseconds))
        return exit.at.addingTimeInterval(delayMs / 1000)
    }

    static func removal(of gone: ObservedInstance) -> PlannedAction {
        if gone.startupKind == .attachExistingService {
            return PlannedAction(.detach, gone.name, reason: "manifest removed; forgetting the attachment (the server is not ours to stop)")
        }
        let state = gone.process == .running ? "" : " (process already gone)"
        return PlannedAction(.stop, gone.name, reason: "manifest removed\(state)")
    }
}
