import Foundation
import Testing
@testable import InferenceModel
@testable import InferenceRuntime

/// A no-op over a ready server probes it, and records only what the probe changed: a healthy
/// answer for a server already recorded healthy saves nothing (the record is not even encoded),
/// while its status file is still published; a server that stopped answering is recorded so.
@Suite("No-op refresh")
struct NoOpRefreshTests {
    static func readyAndHealthy(_ world: ExecutorTests.World) throws -> InstanceRecord {
        var record = try world.running("a")
        record.health = .healthy
        Conditions.set(&record.conditions, type: "Healthy", status: .true, reason: .healthy, message: "ready",
                       generation: record.fingerprint.hash, now: Date())
        Conditions.apply(phase: .ready, reason: .ready, message: "ready after 0.10s", to: &record, now: Date())
        record.message = "ready after 0.10s"
        let spec = try #require(world.manifests.state.instance(named: "a")).spec
        record.stopSignal = spec.stop.signal
        record.stopGraceMilliseconds = spec.stop.gracePeriod.milliseconds
        return try world.store.save(record)
    }

    @Test func aHealthyServerRecordedHealthyWritesNoRecord() async throws {
        let world = try ExecutorTests.World(instances: ["a"])
        defer { world.cleanup() }
        let before = try Self.readyAndHealthy(world)
        let writes = world.store.writes
        let plan = world.payloadPlan()
        #expect(plan.actions.map(\.kind) == [.noop])
        let result = try await world.reconciler(ready: true).execute(plan)
        #expect(result.instances.map(\.phase) == [.ready])
        #expect(world.store.writes == writes)
        #expect(world.store.record("a")?.revision == before.revision)
        #expect(world.statuses.instances["a"]?.health == .healthy, "the status file is still published")
    }

    @Test func aServerThatStoppedAnsweringIsRecordedUnavailable() async throws {
        let world = try ExecutorTests.World(instances: ["a"])
        defer { world.cleanup() }
        let before = try Self.readyAndHealthy(world)
        let result = try await world.reconciler(ready: false).execute(world.payloadPlan())
        #expect(result.instances.map(\.phase) == [.ready])
        #expect(world.store.record("a")?.health == .unavailable)
        #expect(world.store.record("a")?.revision == before.revision + 1)
        #expect(world.statuses.instances["a"]?.health == .unavailable)
    }
}
