import Foundation
import InferenceModel
import Testing

@Suite("ResidencyPlanner: room in residency groups, eviction of idle members, InsufficientCapacity")
struct ResidencyPlannerTests {
    static let now = PlannerTests.now
    static let gib: Int64 = 1 << 30

    static func lease(_ instance: String, ref digit: String = "1", owner: String = "job-1") -> Lease {
        Lease(leaseRef: "lease-" + String(repeating: digit, count: 32), ownerRef: owner, consumer: "app", instance: instance,
              acquiredAt: now.addingTimeInterval(-10), ttlMilliseconds: 60_000)
    }

    /// On demand, no idleTimeout: only residency stops it.
    static func onDemand(_ name: String) -> DesiredInstance { LeasedPlannerTests.onDemand(name, idle: nil) }

    static func running(_ name: String, startedAgo: TimeInterval = 600) -> ObservedInstance {
        PlannerTests.have(name, exitedAgo: startedAgo - 5)
    }

    static func plan(desired: [DesiredInstance], observed: [ObservedInstance], leases: [Lease] = [], lastEnded: [String: Date] = [:],
                     budgets: [ResidencyBudget], memory: [String: Int64] = [:]) -> Plan {
        let held = LeasedPlanner.Leases(leases, lastEnded: lastEnded, now: now)
        let base = LeasedPlanner.plan(desired: desired, observed: observed, leases: held, now: now)
        return ResidencyPlanner.apply(base, inputs: .init(budgets: budgets, memory: memory), desired: desired, observed: observed,
                                      leases: held, now: now)
    }

    static let one = ResidencyBudget(name: "gpu", members: ["chat-small", "coder-7b", "embed"], maxRunning: 1)

    @Test func aStartWithRoomIsLeftAlone() {
        let plan = Self.plan(desired: [Self.onDemand("coder-7b")], observed: [], leases: [Self.lease("coder-7b")],
                             budgets: [Self.one])
        #expect(plan.actions.map(\.kind) == [.spawn])
    }

    @Test func anIdleMemberIsEvictedToFitALeasedOne() {
        let plan = Self.plan(desired: [Self.onDemand("chat-small"), Self.onDemand("coder-7b")],
                             observed: [Self.running("chat-small")], leases: [Self.lease("coder-7b")],
                             lastEnded: ["chat-small": Self.now.addingTimeInterval(-252)], budgets: [Self.one])
        let evict = plan.action(for: "chat-small")
        #expect(evict?.kind == .evict)
        #expect(evict?.reason == "(idle 4m12s) to fit coder-7b in residency group gpu (maxRunning 1)")
        #expect(plan.action(for: "coder-7b")?.kind == .spawn)
        #expect(plan.actions.first?.kind == .evict, "evictions run before the start they make room for")
        #expect(plan.summary.contains("1 to evict for room"))
    }

    @Test func theLeastRecentlyUsedIdleMemberGoesFirst() {
        let budget = ResidencyBudget(name: "gpu", members: ["a", "b", "c"], maxRunning: 2)
        let plan = Self.plan(desired: ["a", "b", "c"].map { Self.onDemand($0) },
                             observed: [Self.running("a"), Self.running("b")], leases: [Self.lease("c")],
                             lastEnded: ["a": Self.now.addingTimeInterval(-30), "b": Self.now.addingTimeInterval(-300)], budgets: [budget])
        #expect(plan.action(for: "b")?.kind == .evict)
        #expect(plan.action(for: "a")?.kind == .noop)
        #expect(plan.action(for: "c")?.kind == .spawn)
    }

    @Test func aLeasedMemberIsNeverEvicted() {
        let plan = Self.plan(desired: [Self.onDemand("chat-small"), Self.onDemand("coder-7b")],
                             observed: [Self.running("chat-small")],
                             leases: [Self.lease("chat-small", ref: "a", owner: "alice"), Self.lease("coder-7b", ref: "b")],
                             budgets: [Self.one])
        let start = plan.action(for: "coder-7b")
        #expect(start?.kind == .noop)
        #expect(start?.insufficientCapacity == true)
        #expect(start?.heldBy == ["lease-" + String(repeating: "a", count: 32)])
        #expect(start?.reason.hasPrefix("InsufficientCapacity: coder-7b does not fit in residency group gpu (maxRunning 1): the room is held by chat-small (held by lease lease-aaaa") == true,
                "\(start?.reason ?? "")")
        #expect(start?.reason.contains("of alice") == true)
        #expect(plan.action(for: "chat-small")?.kind == .noop)
        #expect(!plan.hasChanges)
        #expect(plan.summary.contains("1 waiting for room (InsufficientCapacity): coder-7b"))
    }

    @Test func anAlwaysMemberHoldsItsRoom() {
        let plan = Self.plan(desired: [PlannerTests.want("embed"), Self.onDemand("coder-7b")],
                             observed: [Self.running("embed")], leases: [Self.lease("coder-7b")], budgets: [Self.one])
        #expect(plan.action(for: "coder-7b")?.insufficientCapacity == true)
        #expect(plan.action(for: "coder-7b")?.reason.contains("embed (activation Always)") == true)
        #expect(plan.action(for: "embed")?.kind == .noop)
    }

    @Test func aMemoryBudgetEvictsUntilTheNewcomerFits() {
        let budget = ResidencyBudget(name: "vram", members: ["a", "b", "c"], memory: MemoryQuantity(bytes: 24 * Self.gib))
        let memory = ["a": 8 * Self.gib, "b": 10 * Self.gib, "c": 14 * Self.gib]
        let plan = Self.plan(desired: ["a", "b", "c"].map { Self.onDemand($0) },
                             observed: [Self.running("a"), Self.running("b")], leases: [Self.lease("c")],
                             lastEnded: ["a": Self.now.addingTimeInterval(-60), "b": Self.now.addingTimeInterval(-30)],
                             budgets: [budget], memory: memory)
        // 8 + 10 + 14 > 24: evicting a (least recently used) leaves 10 + 14 = 24, which fits.
        #expect(plan.action(for: "a")?.kind == .evict)
        #expect(plan.action(for: "b")?.kind == .noop)
        #expect(plan.action(for: "c")?.kind == .spawn)
    }

    @Test func nothingIsEvictedWhenEvictingEverythingIdleWouldStillNotMakeRoom() {
        let budget = ResidencyBudget(name: "vram", members: ["a", "b", "c"], memory: MemoryQuantity(bytes: 24 * Self.gib))
        let memory = ["a": 8 * Self.gib, "b": 14 * Self.gib, "c": 14 * Self.gib]
        let plan = Self.plan(desired: ["a", "b", "c"].map { Self.onDemand($0) },
                             observed: [Self.running("a"), Self.running("b")], leases: [Self.lease("b"), Self.lease("c", ref: "2")],
                             budgets: [budget], memory: memory)
        #expect(plan.action(for: "a")?.kind == .noop, "a stays: evicting it alone would not make room")
        #expect(plan.action(for: "c")?.insufficientCapacity == true)
        #expect(plan.action(for: "c")?.reason.contains("needs 14 GiB") == true, "\(plan.action(for: "c")?.reason ?? "")")
    }

    @Test func twoStartsInOnePassDoNotBothTakeTheLastPlace() {
        let plan = Self.plan(desired: [PlannerTests.want("coder-7b"), PlannerTests.want("embed")], observed: [], budgets: [Self.one])
        #expect(plan.action(for: "coder-7b")?.kind == .spawn)
        #expect(plan.action(for: "embed")?.insufficientCapacity == true)
        #expect(plan.action(for: "embed")?.reason.contains("coder-7b (") == true)
    }

    @Test func instancesOutsideEveryGroupAreUntouched() {
        let plan = Self.plan(desired: [PlannerTests.want("other"), PlannerTests.want("embed")], observed: [Self.running("embed")],
                             budgets: [Self.one])
        #expect(plan.action(for: "other")?.kind == .spawn)
    }

    @Test func quantitiesParseAndPrint() {
        #expect(MemoryQuantity.parse("24Gi")?.bytes == 24 * Self.gib)
        #expect(MemoryQuantity.parse("1.5Gi")?.bytes == 3 * Self.gib / 2)
        #expect(MemoryQuantity.parse("8G")?.bytes == 8_000_000_000)
        #expect(MemoryQuantity.parse("1048576")?.bytes == 1_048_576)
        for bad in ["", "Gi", "-1Gi", "1.2.3M", "12 GB", "0"] { #expect(MemoryQuantity.parse(bad) == nil, "\(bad)") }
        #expect(MemoryQuantity(bytes: 24 * Self.gib).description == "24 GiB")
        #expect(MemoryQuantity(bytes: 3 * Self.gib / 2).description == "1.5 GiB")
    }
}
