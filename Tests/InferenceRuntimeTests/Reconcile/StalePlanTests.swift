import Foundation
import Testing
import InferenceBackends
@testable import InferenceModel
@testable import InferenceRuntime

/// A plan is carried out only on the records it was made from: once an instance's record has moved
/// on, its action is refused (nothing launched, stopped or written) and says so.
@Suite("Stale plans are refused")
struct StalePlanTests {
    typealias World = ExecutorTests.World

    @Test func aRestartPlannedFromAnOlderRevisionLaunchesNothing() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let record = try world.running("a")
        world.host.crash(try #require(record.process).pid)
        let plan = world.payloadPlan()
        #expect(plan.action(for: "a")?.kind == .restart)
        var moved = record
        moved.message = "someone else wrote this meanwhile"
        let now = try world.store.save(moved, ifRevision: .revision(record.revision))
        #expect(now.revision == record.revision + 1)
        let launchesBefore = world.host.launchCount

        let result = try await world.reconciler().execute(plan)

        #expect(world.host.launchCount == launchesBefore, "nothing is launched on stale data")
        let outcome = try #require(result.instances.first)
        #expect(!outcome.succeeded && outcome.phase == .failed)
        #expect(outcome.reason == .stalePlan)
        #expect(outcome.message == "the state changed since this plan was made (record revision \(now.revision), "
                + "planned from \(record.revision)); run apply again")
        #expect(world.store.record("a") == now, "the record is left as the other writer left it")
    }

    @Test func aSpawnPlannedWhenThereWasNoRecordIsRefusedOnceThereIsOne() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let plan = world.payloadPlan()
        #expect(plan.action(for: "a")?.payload?.recordRevision == .missing)
        _ = try world.running("a") // another writer started it meanwhile
        let result = try await world.reconciler().execute(plan)
        #expect(world.host.launchCount == 1, "only the other writer's server")
        #expect(result.instances.first?.reason == .stalePlan)
    }

    @Test func aStopPlannedFromAnOlderRevisionStopsNothing() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let record = try world.running("gone")
        let plan = world.payloadPlan()
        #expect(plan.action(for: "gone")?.kind == .stop)
        var moved = record
        moved.message = "touched"
        try world.store.save(moved)
        let result = try await world.reconciler().execute(plan)
        #expect(world.host.stopCount == 0)
        #expect(world.store.record("gone") != nil)
        #expect(result.instances.first { $0.instance == "gone" }?.reason == .stalePlan)
    }

    @Test func aPlanOfOtherManifestsIsRefusedBeforeAnythingIsDone() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let plan = world.payloadPlan()
        try World.yaml(["a"], model: "another-model").write(toFile: world.dir + "/instances.yaml", atomically: true, encoding: .utf8)
        let edited = ManifestSet.load(directory: world.dir)
        let result = try await world.reconciler(prober: FakeProber(ready: true), manifests: edited).execute(plan)
        #expect(world.host.launchCount == 0)
        #expect(result.instances.first?.reason == .stalePlan)
        #expect(result.instances.first?.message.contains("the manifests changed since this plan was made") == true)
    }

    @Test func aRunNeverOverwritesWhatSomeoneWroteWhileItWaited() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        // While the server is being probed, another writer changes the record.
        let prober = InterferingProber(store: world.store, instance: "a")
        let result = try await world.reconciler(prober: prober).execute(world.payloadPlan())
        let outcome = try #require(result.instances.first)
        #expect(!outcome.succeeded)
        #expect(outcome.message.contains("the record was changed by someone else meanwhile"), "\(outcome.message)")
        #expect(world.store.record("a")?.message == InterferingProber.note, "the other writer's record stands")
    }

    @Test func aPassThatChangesNothingWritesNothing() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        _ = try await world.reconciler().execute(world.payloadPlan())
        let revision = try #require(world.store.record("a")?.revision)
        let writes = world.store.writes
        let plan = world.payloadPlan()
        #expect(plan.action(for: "a")?.kind == .noop)
        let result = try await world.reconciler().execute(plan)
        #expect(result.succeeded)
        #expect(world.store.writes == writes)
        #expect(world.store.record("a")?.revision == revision)
    }
}

/// Answers "ready", having first written the instance's record behind the executor's back.
struct InterferingProber: HTTPProber {
    static let note = "written by someone else while the server was probed"
    let store: MemoryStateStore
    let instance: String

    func send(_ request: ProbeRequest, headers: [String: String], timeout: Duration) async -> ProbeResponse {
        if var record = store.record(instance), record.message != Self.note {
            record.message = Self.note
            _ = try? store.save(record)
        }
        return .answered(status: 200, body: #"{"status":"ok"}"#)
    }
}
