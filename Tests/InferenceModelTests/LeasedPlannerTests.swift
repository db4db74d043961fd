import Foundation
import InferenceModel
import Testing

@Suite("LeasedPlanner: activation and leases in the plan")
struct LeasedPlannerTests {
    static let now = PlannerTests.now

    static func onDemand(_ name: String = "a", idle: String? = "5m") -> DesiredInstance {
        var want = PlannerTests.want(name, activation: .onDemand)
        want.activation.idleTimeout = idle.flatMap { DurationValue(parsing: $0) }
        return want
    }

    static func lease(_ instance: String = "a", acquiredAgo: TimeInterval = 10, ttl: Int = 60_000, owner: String = "job-1") -> Lease {
        Lease(leaseRef: "lease-" + String(repeating: "a", count: 31) + String(instance.count % 10), ownerRef: owner,
              consumer: "app", instance: instance, acquiredAt: now.addingTimeInterval(-acquiredAgo), ttlMilliseconds: ttl)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let label: String
        let desired: [DesiredInstance]
        let observed: [ObservedInstance]
        let leases: [Lease]
        var lastEnded: [String: Date] = [:]
        var force = false
        let expected: ActionKind
        var testDescription: String { label }
    }

    static let rows: [Row] = [
        Row(label: "on-demand, never started, no lease: waits", desired: [onDemand()], observed: [], leases: [], expected: .noop),
        Row(label: "on-demand, never started, a live lease: spawned", desired: [onDemand()], observed: [], leases: [lease()], expected: .spawn),
        Row(label: "on-demand, an expired lease only: waits", desired: [onDemand()], observed: [],
            leases: [lease(acquiredAgo: 120, ttl: 60_000)], expected: .noop),
        Row(label: "on-demand, stopped for idleness, a new lease: started again", desired: [onDemand()],
            observed: [PlannerTests.have(process: .exited, phase: .stopped)], leases: [lease()], expected: .spawn),
        Row(label: "on-demand, stopped, no lease: stays stopped", desired: [onDemand()],
            observed: [PlannerTests.have(process: .exited, phase: .stopped)], leases: [], expected: .noop),
        Row(label: "on-demand, crashed, no lease: not restarted", desired: [onDemand()],
            observed: [PlannerTests.have(process: .exited, phase: .failed, exit: .exited(code: 1), exitedAgo: 3600)], leases: [],
            expected: .noop),
        Row(label: "on-demand, crashed, a live lease: restarted", desired: [onDemand()],
            observed: [PlannerTests.have(process: .exited, phase: .failed, exit: .exited(code: 1), exitedAgo: 3600)], leases: [lease()],
            expected: .restart),
        Row(label: "on-demand, running, leased: kept", desired: [onDemand()], observed: [PlannerTests.have()], leases: [lease()], expected: .noop),
        Row(label: "on-demand, running, lease ended 1m ago (idleTimeout 5m): kept", desired: [onDemand()],
            observed: [PlannerTests.have()], leases: [], lastEnded: ["a": now.addingTimeInterval(-60)], expected: .noop),
        Row(label: "on-demand, running, lease ended 6m ago (idleTimeout 5m): idle-stop", desired: [onDemand()],
            observed: [PlannerTests.have()], leases: [], lastEnded: ["a": now.addingTimeInterval(-360)], expected: .idleStop),
        Row(label: "on-demand without idleTimeout, running, no lease for hours: kept", desired: [onDemand(idle: nil)],
            observed: [PlannerTests.have(exitedAgo: 36_000)], leases: [], expected: .noop),
        Row(label: "always, running, no lease: kept (leases do not stop always-on instances)", desired: [PlannerTests.want()],
            observed: [PlannerTests.have(exitedAgo: 36_000)], leases: [], expected: .noop),
        Row(label: "manifest removed, a live lease: kept", desired: [], observed: [PlannerTests.have()], leases: [lease()], expected: .noop),
        Row(label: "manifest removed, a live lease, --force: stopped", desired: [], observed: [PlannerTests.have()], leases: [lease()],
            force: true, expected: .stop),
        Row(label: "manifest removed, an expired lease: stopped", desired: [], observed: [PlannerTests.have()],
            leases: [lease(acquiredAgo: 120, ttl: 60_000)], expected: .stop),
    ]

    @Test("each row", arguments: rows)
    func row(_ row: Row) {
        let plan = LeasedPlanner.plan(desired: row.desired, observed: row.observed,
                                      leases: LeasedPlanner.Leases(row.leases, lastEnded: row.lastEnded, now: Self.now),
                                      now: Self.now, force: row.force)
        #expect(plan.actions.map(\.kind) == [row.expected], "\(plan.actions)")
    }

    @Test("a prune held by leases names them in the plan, and plan JSON carries held_by")
    func heldPruneNamesLeases() throws {
        let held = Self.lease()
        let plan = LeasedPlanner.plan(desired: [], observed: [PlannerTests.have()],
                                      leases: LeasedPlanner.Leases([held], now: Self.now), now: Self.now)
        let action = try #require(plan.actions.first)
        #expect(action.heldBy == [held.leaseRef])
        #expect(action.reason.contains(held.leaseRef) && action.reason.contains("owner job-1") && action.reason.contains("--force"))
        let json = String(decoding: try JSONEncoder().encode(plan), as: UTF8.self)
        #expect(json.contains("\"held_by\""))
    }

    @Test("a running on-demand instance says when it will be stopped for idleness")
    func idleDeadline() throws {
        let ended = Self.now.addingTimeInterval(-60)
        let plan = LeasedPlanner.plan(desired: [Self.onDemand()], observed: [PlannerTests.have()],
                                      leases: LeasedPlanner.Leases([], lastEnded: ["a": ended], now: Self.now), now: Self.now)
        #expect(plan.actions.first?.idleStopAt == ended.addingTimeInterval(300))
        let stop = LeasedPlanner.plan(desired: [Self.onDemand()], observed: [PlannerTests.have()],
                                      leases: LeasedPlanner.Leases([], lastEnded: ["a": Self.now.addingTimeInterval(-372)], now: Self.now),
                                      now: Self.now)
        #expect(stop.actions.first?.reason == "no live lease for 6m12s (idleTimeout 5m)")
        #expect(stop.summary == "Plan: 1 to stop for idleness.")
    }
}

@Suite("Lease rules")
struct LeaseRulesTests {
    static let good = "lease-0123456789abcdef0123456789abcdef"

    @Test("a reference is lease- and 32 lowercase hex digits; nothing else passes")
    func references() {
        #expect(LeaseRules.isValidReference(Self.good))
        for bad in ["", "lease-", "lease-0123", "../lease-0123456789abcdef0123456789abcdef", "lease-0123456789ABCDEF0123456789abcdef",
                    "lease-0123456789abcdef0123456789abcdef/..", "x" + Self.good, Self.good + "0"] {
            #expect(!LeaseRules.isValidReference(bad), "\(bad)")
        }
    }

    @Test("a lease read back must match its file name and carry valid names, owner and ttl")
    func readBackProblems() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let lease = Lease(leaseRef: Self.good, ownerRef: "ci", consumer: "app", instance: "chat", acquiredAt: now, ttlMilliseconds: 30_000)
        #expect(LeaseRules.problem(lease, fileName: Self.good + ".json") == nil)
        #expect(LeaseRules.problem(lease, fileName: "other.json") != nil)
        var bad = lease
        bad.instance = "../../etc"
        #expect(LeaseRules.problem(bad, fileName: Self.good + ".json")?.hasPrefix("instance:") == true)
        bad = lease
        bad.ownerRef = "line\nbreak"
        #expect(LeaseRules.problem(bad, fileName: Self.good + ".json") != nil)
        bad = lease
        bad.ttlMilliseconds = 0
        #expect(LeaseRules.problem(bad, fileName: Self.good + ".json") != nil)
        #expect(lease.isLive(at: now.addingTimeInterval(29.9)) && !lease.isLive(at: now.addingTimeInterval(30)))
    }

    @Test("lease times keep their milliseconds through JSON, so a lease never lapses early; whole seconds read too")
    func millisecondTimes() throws {
        let acquired = Date(timeIntervalSince1970: 1_800_000_000.512)
        let lease = Lease(leaseRef: Self.good, ownerRef: "ci", consumer: "app", instance: "chat", acquiredAt: acquired, ttlMilliseconds: 1_000)
        let data = try JSONEncoder().encode(lease)
        let back = try JSONDecoder().decode(Lease.self, from: data)
        #expect(abs(back.acquiredAt.timeIntervalSince(acquired)) < 0.001)
        #expect(String(decoding: data, as: UTF8.self).contains(".512Z"))
        let whole = String(decoding: data, as: UTF8.self).replacingOccurrences(of: ".512Z", with: "Z")
        #expect(try JSONDecoder().decode(Lease.self, from: Data(whole.utf8)).acquiredAt == Date(timeIntervalSince1970: 1_800_000_000))
    }
}
