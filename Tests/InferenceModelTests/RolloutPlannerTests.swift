import Foundation
import InferenceModel
import Testing

@Suite("Planner: Surge rollouts")
struct RolloutPlannerTests {
    static let now = PlannerTests.now

    static func want(_ strategy: RolloutStrategy) -> DesiredInstance {
        var want = PlannerTests.want("a", PlannerTests.changed)
        want.rollout = strategy
        return want
    }

    @Test func aReadyServerWhoseSpecChangedRollsOutWithSurge() {
        let plan = Planner.plan(desired: [Self.want(.surge)], observed: [PlannerTests.have()], now: Self.now)
        #expect(plan.action(for: "a")?.kind == .rollout)
        #expect(plan.action(for: "a")?.reason.contains("server.ctxSize 2048 -> 4096") == true)
        #expect(plan.summary == "Plan: 1 to roll out.")
    }

    @Test func recreateAndNotReadyServersAreReplaced() {
        #expect(Planner.plan(desired: [Self.want(.recreate)], observed: [PlannerTests.have()], now: Self.now).actions.first?.kind == .replace)
        let starting = PlannerTests.have(phase: .starting)
        #expect(Planner.plan(desired: [Self.want(.surge)], observed: [starting], now: Self.now).actions.first?.kind == .replace)
    }

    @Test func aFailedRolloutWaitsItsBackoffAndOnlyForThatRevision() {
        var have = PlannerTests.have()
        have.rolloutFailure = RolloutFailure(revision: PlannerTests.changed.hash, attempts: 2, at: Self.now.addingTimeInterval(-1), message: "exit 3")
        let held = Planner.plan(desired: [Self.want(.surge)], observed: [have], now: Self.now).actions[0]
        #expect(held.kind == .rollout)
        #expect(held.notBefore == Self.now.addingTimeInterval(1), "1s backoff doubled once, counted from the failure")
        #expect(held.reason.contains("attempt 3 after RolloutFailed"))
        have.rolloutFailure?.revision = "another revision"
        #expect(Planner.plan(desired: [Self.want(.surge)], observed: [have], now: Self.now).actions[0].notBefore == nil)
    }

    @Test func aResidencyGroupWithoutRoomForBothRevisionsRecreates() {
        let budget = ResidencyBudget(name: "gpu", members: ["a"], maxRunning: 1)
        let plan = Planner.plan(desired: [Self.want(.surge)], observed: [PlannerTests.have()], now: Self.now)
        let decided = ResidencyPlanner.apply(plan, inputs: .init(budgets: [budget]), desired: [Self.want(.surge)],
                                             observed: [PlannerTests.have()], leases: .none, now: Self.now)
        #expect(decided.actions.first?.kind == .replace)
        #expect(decided.actions.first?.reason.contains("Recreate: residency group gpu (maxRunning 1) has no room for both revisions") == true)
        let roomy = ResidencyBudget(name: "gpu", members: ["a"], maxRunning: 2)
        #expect(ResidencyPlanner.apply(plan, inputs: .init(budgets: [roomy]), desired: [Self.want(.surge)],
                                       observed: [PlannerTests.have()], leases: .none, now: Self.now).actions.first?.kind == .rollout)
    }
}
