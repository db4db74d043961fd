import Foundation

/// One residency group resolved against the manifests: its spawned members and its limits.
public struct ResidencyBudget: Sendable, Equatable {
    public var name: String
    public var members: Set<String>
    public var maxRunning: Int?
    public var memory: MemoryQuantity?

    public init(name: String, members: Set<String>, maxRunning: Int? = nil, memory: MemoryQuantity? = nil) {
        self.name = name
        self.members = members
        self.maxRunning = maxRunning
        self.memory = memory
    }

    /// `maxRunning 1`, `memory 24 GiB`: for messages.
    var limits: String {
        [maxRunning.map { "maxRunning \($0)" }, memory.map { "memory \($0)" }].compactMap { $0 }.joined(separator: ", ")
    }
}

/// What residency groups change in a plan. Pure, time passed in.
///
/// A start (spawn or restart) of a member that does not fit beside the running members of one of
/// its groups makes room by evicting idle members: running, on demand, no live lease, least
/// recently used first (its last lease's end, else its start). A member a live lease holds, or one
/// whose activation is `Always`, is never evicted. When evicting every idle member would still not
/// make room, nothing is evicted and the start waits: a `noop` with `insufficientCapacity`, naming
/// what holds the room. Starts are considered leased first, then by name.
public enum ResidencyPlanner {
    public struct Inputs: Sendable {
        public var budgets: [ResidencyBudget]
        /// Bytes each member takes (declared, or estimated from its model file); absent counts as 0.
        public var memory: [String: Int64]

        public init(budgets: [ResidencyBudget], memory: [String: Int64] = [:]) {
            self.budgets = budgets
            self.memory = memory
        }
    }

    public static func apply(_ plan: Plan, inputs: Inputs, desired: [DesiredInstance], observed: [ObservedInstance],
                             leases: LeasedPlanner.Leases, now: Date) -> Plan {
        let budgets = inputs.budgets.filter { !$0.members.isEmpty }
        guard !budgets.isEmpty else { return plan }
        let desiredByName = Dictionary(desired.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let observedByName = Dictionary(observed.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let removed = Set(plan.actions.filter(\.kind.isRemoval).map(\.instance))
        var running = Set(observed.filter { $0.process == .running && !removed.contains($0.name) }.map(\.name))
        var actions = Dictionary(plan.actions.map { ($0.instance, $0) }, uniquingKeysWith: { first, _ in first })
        let starts = plan.actions.filter { $0.kind == .spawn || $0.kind == .restart }
            .filter { name in budgets.contains { $0.members.contains(name.instance) } }
            .sorted { (leases.live[$0.instance] == nil ? 1 : 0, $0.instance) < (leases.live[$1.instance] == nil ? 1 : 0, $1.instance) }
        var startedNow: Set<String> = []
        var evictions: [PlannedAction] = []

        func memory(_ name: String) -> Int64 { inputs.memory[name] ?? 0 }
        func fits(_ name: String, in budget: ResidencyBudget, _ running: Set<String>) -> Bool {
            let present = running.intersection(budget.members).subtracting([name])
            if let limit = budget.maxRunning, present.count + 1 > limit { return false }
            if let limit = budget.memory, present.reduce(memory(name), { $0 + memory($1) }) > limit.bytes { return false }
            return true
        }
        func evictable(_ name: String) -> Bool {
            guard let want = desiredByName[name] else { return false }
            return want.activation.mode == .onDemand && (leases.live[name] ?? []).isEmpty && !startedNow.contains(name)
        }
        func lastUsed(_ name: String) -> Date {
            [leases.lastEnded[name], observedByName[name]?.startedAt].compactMap { $0 }.max() ?? .distantPast
        }

        // A Surge rollout runs both revisions for a while: with no room for the second one it
        // recreates instead (stop, then start), and evicts nobody for it.
        for rollout in plan.actions where rollout.kind == .rollout {
            let groups = budgets.filter { $0.members.contains(rollout.instance) }
            guard let full = groups.first(where: { !fitsBeside(rollout.instance, in: $0, running, memory: memory) }) else { continue }
            actions[rollout.instance] = PlannedAction(.replace, rollout.instance,
                reason: rollout.reason.replacingOccurrences(of: "Surge: the new revision starts beside the old one",
                                                            with: "Recreate: residency group \(full.name) (\(full.limits)) has no room for both revisions"))
        }
        for start in starts {
            let name = start.instance
            let groups = budgets.filter { $0.members.contains(name) }
            var trial = running
            var evicted: [String] = []
            while let full = groups.first(where: { !fits(name, in: $0, trial) }) {
                let candidates = trial.intersection(full.members).filter(evictable)
                    .sorted { (lastUsed($0), $0) < (lastUsed($1), $1) }
                guard let next = candidates.first else { break }
                trial.remove(next)
                evicted.append(next)
            }
            if let full = groups.first(where: { !fits(name, in: $0, trial) }) {
                actions[name] = blocked(start, by: full, running: running, leases: leases, desired: desiredByName, memory: memory)
                continue
            }
            for victim in evicted {
                let group = groups.first { $0.members.contains(victim) }
                let idle = DurationText.short(max(0, now.timeIntervalSince(lastUsed(victim))))
                evictions.append(PlannedAction(.evict, victim,
                    reason: "(idle \(idle)) to fit \(name) in residency group \(group?.name ?? "?") (\(group?.limits ?? ""))"))
                actions[victim] = nil
            }
            running = trial
            running.insert(name)
            startedNow.insert(name)
        }
        return Plan(actions: Array(actions.values) + evictions)
    }

    /// Whether a second copy of a running member fits in `budget`.
    static func fitsBeside(_ name: String, in budget: ResidencyBudget, _ running: Set<String>, memory: (String) -> Int64) -> Bool {
        let present = running.intersection(budget.members)
        if let limit = budget.maxRunning, present.count + 1 > limit { return false }
        if let limit = budget.memory, present.reduce(memory(name), { $0 + memory($1) }) > limit.bytes { return false }
        return true
    }

    /// The start that does not fit, kept as a `noop` that says what holds the room.
    static func blocked(_ start: PlannedAction, by budget: ResidencyBudget, running: Set<String>, leases: LeasedPlanner.Leases,
                        desired: [String: DesiredInstance], memory: (String) -> Int64) -> PlannedAction {
        let holders = running.intersection(budget.members).subtracting([start.instance]).sorted()
        var heldBy: [String] = []
        let described = holders.map { name -> String in
            let held = leases.live[name] ?? []
            heldBy += held.map(\.leaseRef)
            let size = budget.memory != nil && memory(name) > 0 ? ", \(MemoryQuantity(bytes: memory(name)))" : ""
            if !held.isEmpty {
                return "\(name) (held by lease \(held.map { "\($0.leaseRef) of \($0.ownerRef)" }.joined(separator: ", "))\(size))"
            }
            if desired[name]?.activation.mode == .always { return "\(name) (activation Always\(size))" }
            return "\(name) (starting now\(size))"
        }
        let need = budget.memory != nil && memory(start.instance) > 0 ? " needs \(MemoryQuantity(bytes: memory(start.instance))) and" : ""
        var action = PlannedAction(.noop, start.instance,
            reason: "InsufficientCapacity: \(start.instance)\(need) does not fit in residency group \(budget.name) (\(budget.limits))"
                + (described.isEmpty ? "" : ": the room is held by " + described.joined(separator: ", ")),
            notRunning: true, heldBy: heldBy.sorted())
        action.insufficientCapacity = true
        return action
    }
}
