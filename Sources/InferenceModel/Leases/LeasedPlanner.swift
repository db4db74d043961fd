import Foundation

/// The planner with leases: what `activation` and live leases change in a plan. Pure, time passed in.
///
/// - An on-demand instance runs only while a live lease needs it: with one, it is planned as an
///   `Always` instance would be; without one, a server that is not running is not started (nor
///   restarted), and a running one is stopped (`idle-stop`) once no lease has needed it for its
///   `idleTimeout` (without an `idleTimeout` it keeps running).
/// - An instance whose manifest is gone is not pruned while a live lease holds it, unless forced.
public enum LeasedPlanner {
    public struct Leases: Sendable {
        /// Live leases by instance.
        public var live: [String: [Lease]]
        /// When each instance's last lease ended (released or expired), from its record.
        public var lastEnded: [String: Date]

        public init(_ leases: [Lease], lastEnded: [String: Date] = [:], now: Date) {
            self.live = Dictionary(grouping: leases.filter { $0.isLive(at: now) }, by: \.instance)
            self.lastEnded = lastEnded
        }

        public static let none = Leases([], now: .distantPast)
    }

    public static func plan(desired: [DesiredInstance], observed: [ObservedInstance], leases: Leases, now: Date,
                            force: Bool = false) -> Plan {
        // A leased on-demand instance is planned as an always-on one: start, restart, replace.
        let wanted = desired.map { want -> DesiredInstance in
            var want = want
            if want.activation.mode == .onDemand && !(leases.live[want.name] ?? []).isEmpty { want.activation.mode = .always }
            return want
        }
        let base = Planner.plan(desired: wanted, observed: observed, now: now)
        let desiredByName = Dictionary(desired.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let observedByName = Dictionary(observed.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let actions = base.actions.map { action -> PlannedAction in
            let holders = leases.live[action.instance] ?? []
            guard let want = desiredByName[action.instance] else {
                return holders.isEmpty || force || action.kind != .stop ? action : heldPrune(action, holders)
            }
            guard want.activation.mode == .onDemand, holders.isEmpty, want.startupKind == .spawned else { return action }
            return idle(action, want: want, have: observedByName[action.instance], lastEnded: leases.lastEnded[action.instance], now: now)
        }
        return Plan(actions: actions)
    }

    static func heldPrune(_ action: PlannedAction, _ holders: [Lease]) -> PlannedAction {
        let names = holders.map { "\($0.leaseRef) (owner \($0.ownerRef))" }.joined(separator: ", ")
        return PlannedAction(.noop, action.instance,
                             reason: "manifest removed, but kept: held by \(holders.count == 1 ? "lease" : "leases") \(names); "
                                + "apply --force stops it", heldBy: holders.map(\.leaseRef).sorted())
    }

    /// An on-demand instance no live lease needs.
    static func idle(_ action: PlannedAction, want: DesiredInstance, have: ObservedInstance?, lastEnded: Date?,
                     now: Date) -> PlannedAction {
        guard let have, have.process == .running else {
            // Not running: it waits for the next lease (`ensure`), whatever its restart policy.
            guard action.kind == .spawn || action.kind == .restart || action.kind == .noop else { return action }
            return PlannedAction(.noop, want.name, reason: "activation OnDemand: idle (no live lease); the next ensure starts it")
        }
        guard let timeout = want.activation.idleTimeout, action.kind == .noop || action.kind == .adopt else { return action }
        let since = [lastEnded, have.startedAt].compactMap { $0 }.max() ?? now
        let stopAt = since.addingTimeInterval(Double(timeout.milliseconds) / 1000)
        if now >= stopAt {
            return PlannedAction(.idleStop, want.name,
                                 reason: "no live lease for \(DurationText.short(now.timeIntervalSince(since))) (idleTimeout \(timeout))")
        }
        var kept = action
        kept.idleStopAt = stopAt
        return kept
    }
}

/// `4m12s`, `950ms`: a span said briefly.
public enum DurationText {
    public static func short(_ seconds: TimeInterval) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        var rest = Int(seconds.rounded(.down))
        var parts: [String] = []
        for (unit, size) in [("h", 3600), ("m", 60)] where rest >= size {
            parts.append("\(rest / size)\(unit)")
            rest %= size
        }
        if rest > 0 || parts.isEmpty { parts.append("\(rest)s") }
        return parts.joined()
    }
}
