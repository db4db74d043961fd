import Foundation

/// What the executor is to do with one instance.
public enum ActionKind: String, Codable, Sendable, CaseIterable {
    case spawn, adopt, replace, restart, stop, attach, detach, noop
    /// An on-demand instance no live lease has needed for its `idleTimeout`: stopped, record kept.
    case idleStop = "idle-stop"
    /// A changed spec rolled out with `Surge`: the new revision starts beside the old one, which is
    /// stopped once the new one is ready and clients are switched to it.
    case rollout
    /// An idle on-demand member of a residency group stopped to make room for another: record kept.
    case evict

    /// Terraform-like marker: `+` create, `~` change, `-` remove, `=` keep.
    public var symbol: String {
        switch self {
        case .spawn, .attach: "+"
        case .replace, .restart, .rollout: "~"
        case .stop, .detach, .idleStop, .evict: "-"
        case .adopt, .noop: "="
        }
    }

    /// Stops that free what the rest may need: run first, one by one.
    public var isRemoval: Bool { self == .stop || self == .detach || self == .idleStop || self == .evict }

    /// Execution order: what frees ports and resources first, then what needs them.
    var order: Int {
        switch self {
        case .stop: 0
        case .detach: 1
        case .idleStop: 1
        case .evict: 1
        case .replace: 2
        case .rollout: 2
        case .restart: 3
        case .spawn: 4
        case .attach: 5
        case .adopt: 6
        case .noop: 7
        }
    }
}

public struct PlannedAction: Codable, Sendable, Equatable {
    public var kind: ActionKind
    public var instance: String
    public var reason: String
    /// A restart held back by its backoff may not run before this time.
    public var notBefore: Date?
    /// A `noop` for an instance whose server is not running and is not to be restarted
    /// (its restart policy says so): nothing to do, but nothing is up either.
    public var notRunning: Bool
    /// A running on-demand instance without a live lease is stopped at this time (its `idleTimeout`).
    public var idleStopAt: Date?
    /// Live leases that keep this instance (a prune held back without `--force`), or that hold the
    /// room a start is waiting for (`insufficientCapacity`), by `lease_ref`.
    public var heldBy: [String]
    /// A start held back: its residency group has no room, and nothing idle can be evicted for it.
    public var insufficientCapacity = false
    /// What it will do, worked out by the runtime when it plans (nil from the pure planner).
    public var payload: ActionPayload?

    public init(_ kind: ActionKind, _ instance: String, reason: String, notBefore: Date? = nil, notRunning: Bool = false,
                idleStopAt: Date? = nil, heldBy: [String] = []) {
        self.kind = kind
        self.instance = instance
        self.reason = reason
        self.notBefore = notBefore
        self.notRunning = notRunning
        self.idleStopAt = idleStopAt
        self.heldBy = heldBy
    }

    enum CodingKeys: String, CodingKey {
        case kind = "action", instance, reason
        case notBefore = "not_before"
        case notRunning = "not_running"
        case idleStopAt = "idle_stop_at"
        case heldBy = "held_by"
        case insufficientCapacity = "insufficient_capacity"
        case payload
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(instance, forKey: .instance)
        try container.encode(reason, forKey: .reason)
        try container.encodeIfPresent(notBefore, forKey: .notBefore)
        try container.encode(notRunning, forKey: .notRunning)
        try container.encodeIfPresent(idleStopAt, forKey: .idleStopAt)
        if !heldBy.isEmpty { try container.encode(heldBy, forKey: .heldBy) }
        if insufficientCapacity { try container.encode(true, forKey: .insufficientCapacity) }
        try container.encodeIfPresent(payload, forKey: .payload)
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(ActionKind.self, forKey: .kind)
        instance = try container.decode(String.self, forKey: .instance)
        reason = try container.decode(String.self, forKey: .reason)
        notBefore = try container.decodeIfPresent(Date.self, forKey: .notBefore)
        notRunning = try container.decodeIfPresent(Bool.self, forKey: .notRunning) ?? false
        idleStopAt = try container.decodeIfPresent(Date.self, forKey: .idleStopAt)
        heldBy = try container.decodeIfPresent([String].self, forKey: .heldBy) ?? []
        insufficientCapacity = try container.decodeIfPresent(Bool.self, forKey: .insufficientCapacity) ?? false
        payload = try container.decodeIfPresent(ActionPayload.self, forKey: .payload)
    }
}

/// A deterministic list of actions: data to print, test and execute.
public struct Plan: Codable, Sendable, Equatable {
    public var actions: [PlannedAction]

    public init(actions: [PlannedAction]) {
        self.actions = actions.sorted { ($0.kind.order, $0.instance) < ($1.kind.order, $1.instance) }
    }

    /// Anything to do beyond keeping what runs.
    // Actions are looked at in place: copying one copies its payload (a command line and more).
    public var hasChanges: Bool { actions.indices.contains { actions[$0].kind != .noop } }

    public func count(_ kind: ActionKind) -> Int { actions.indices.reduce(0) { actions[$1].kind == kind ? $0 + 1 : $0 } }

    public func action(for instance: String) -> PlannedAction? { actions.first { $0.instance == instance } }

    /// `Plan: 1 to spawn, 1 to replace, 1 to stop, 2 unchanged.` or `No changes. 2 instances up to date.`
    public var summary: String {
        let waiting = actions.indices.filter { actions[$0].insufficientCapacity }.map { actions[$0].instance }
        let held = actions.indices.filter { actions[$0].notRunning && !actions[$0].insufficientCapacity }
            .map { actions[$0].instance }
        let heldText = (held.isEmpty ? "" : "; \(held.count) not running and not to be restarted (restart policy): "
            + held.joined(separator: ", "))
            + (waiting.isEmpty ? "" : "; \(waiting.count) waiting for room (InsufficientCapacity): " + waiting.joined(separator: ", "))
        guard hasChanges else {
            let count = actions.count - held.count - waiting.count
            return "No changes. \(count) instance\(count == 1 ? "" : "s") up to date" + heldText + "."
        }
        let phrases: [(ActionKind, String)] = [
            (.spawn, "to spawn"), (.attach, "to attach"), (.adopt, "to adopt"), (.replace, "to replace"), (.rollout, "to roll out"),
            (.restart, "to restart"), (.stop, "to stop"), (.detach, "to detach"), (.idleStop, "to stop for idleness"),
            (.evict, "to evict for room"),
            (.noop, "unchanged"),
        ]
        let parts = phrases.compactMap { kind, phrase in count(kind) > 0 ? "\(count(kind)) \(phrase)" : nil }
        return "Plan: " + parts.joined(separator: ", ") + heldText + "."
    }
}
