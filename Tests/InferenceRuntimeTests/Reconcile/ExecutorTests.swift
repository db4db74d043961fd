import Foundation
import Glibc
import Testing
@testable import InferenceModel
@testable import InferenceRuntime

/// The executor on fakes: no process is spawned, no socket opened; every row is a plan carried
/// out against a fake process host, canned probes and an in-memory store.
@Suite("Executor on fakes")
struct ExecutorTests {
    struct World {
        let dir: String
        let manifests: ManifestSet
        let folder: StateFolder
        let host = FakeProcessHost()
        let store = MemoryStateStore()
        let statuses = MemoryStatusWriter()

        init(instances: [String], readinessTimeout: String = "2s") throws {
            try self.init(yaml: Self.yaml(instances, readinessTimeout: readinessTimeout))
        }

        init(yaml: String) throws {
            dir = makeScratchDirectory()
            try yaml.write(toFile: dir + "/instances.yaml", atomically: true, encoding: .utf8)
            manifests = ManifestSet.load(directory: dir)
            try StateDirectories.prepare(manifests.layout)
            folder = try StateFolder.establish(manifests.layout)
        }

        static func yaml(_ instances: [String], readinessTimeout: String = "2s", model: String = "sim-model") -> String {
            instances.map { name in
                """
                apiVersion: inference.selfhosted/v1
                kind: Instance
                metadata: {name: \(name)}
                spec:
                  backend: simulation
                  model: {identity: \(model)}
                  server: {host: 127.0.0.1, port: auto}
                  readiness: {timeout: \(readinessTimeout)}
                  stop: {gracePeriod: 1s}

                """
            }.joined(separator: "---\n")
        }

        func environment(prober: any HTTPProber = FakeProber(ready: true)) -> ReconcileEnvironment {
            ReconcileEnvironment(host: host, prober: prober, simulatorExecutable: "/bin/true", simulatorArguments: [])
        }

        func reconciler(ready: Bool = true) -> Reconciler {
            reconciler(prober: FakeProber(ready: ready))
        }

        func reconciler(prober: any HTTPProber, manifests: ManifestSet? = nil) -> Reconciler {
            Reconciler(manifests: manifests ?? self.manifests, folder: folder, environment: environment(prober: prober),
                       store: store, statusWriter: statuses)
        }

        /// The plan as `apply` makes it: each action with its payload, from the store's records now.
        func payloadPlan() -> Plan {
            manifests.plan(records: (try? store.loadRecords()) ?? [], folder: folder, environment: environment())
        }

        func plan() -> Plan {
            let observed = Observer(folder: folder, host: host).observe((try? store.loadRecords()) ?? [])
            return Planner.plan(desired: manifests.desiredInstances, observed: observed, now: Date())
        }

        /// A record of a server of ours, running on the fake host.
        func running(_ name: String, phase: InstancePhase = .ready) throws -> InstanceRecord {
            let token = folder.newSpawnToken()
            let identity = try host.launch(LaunchRequest(executable: "server", environment: [StateFolder.tokenVariable: token],
                                                         logPath: dir + "/x.log"))
            var record = InstanceRecord(name: name, backend: "simulation", startupKind: .spawned,
                                        fingerprint: manifests.state.instance(named: name).map { SpecFingerprint(spec: $0.spec, startupKind: .spawned) }
                                            ?? SpecFingerprint(fields: [:]),
                                        process: identity, port: 40000, phase: phase)
            record.spawnToken = token
            return try store.save(record, ifRevision: nil)
        }

        func cleanup() { try? FileManager.default.removeItem(atPath: dir) }
    }

    @Test func aNewInstanceIsSpawnedWithItsTokenRecordedBeforeAndAfter() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let result = try await world.reconciler().execute(world.plan())
        #expect(result.instances.map(\.phase) == [.ready])
        #expect(world.host.launchCount == 1)
        let record = try #require(world.store.record("a"))
        let launched = try #require(world.host.launches.first)
        #expect(launched.environment[StateFolder.tokenVariable] == record.spawnToken)
        #expect(launched.environment[OwnershipRecovery.instanceVariable] == "a")
        #expect(world.folder.minted(record.spawnToken ?? ""))
        #expect(record.process != nil)
        #expect(world.statuses.instances["a"]?.phase == .ready)
    }

    @Test func nothingStartsWhenTheIntentCannotBeWritten() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        world.store.failSaves = [1]
        let result = try await world.reconciler().execute(world.plan())
        #expect(world.host.launchCount == 0)
        #expect(result.instances.first?.succeeded == false)
        #expect(result.instances.first?.message.contains("No space left on device") == true)
    }

    @Test func aServerThatCannotBeRecordedIsStoppedAgain() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        world.store.failSaves = [2] // the intent is written, the completed record is not
        let result = try await world.reconciler().execute(world.plan())
        #expect(world.host.launchCount == 1)
        #expect(world.host.stopCount == 1)
        let pid = try #require(world.host.stops.first?.identity.pid)
        #expect(!world.host.isRunning(pid))
        #expect(result.instances.first?.phase == .failed)
        #expect(result.succeeded == false)
    }

    @Test func aFailedLaunchClearsTheIntent() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        world.host.launchFailure = .executableNotFound("llama-server")
        let result = try await world.reconciler().execute(world.plan())
        #expect(result.instances.first?.phase == .failed)
        let record = try #require(world.store.record("a"))
        #expect(record.spawnToken == nil)
        #expect(record.conditions.contains { $0.reason == ConditionReason.launchFailed.rawValue })
    }

    @Test func aServerThatNeverBecomesReadyIsStoppedAndFailedWhateverItsExitCode() async throws {
        let world = try World(instances: ["a"], readinessTimeout: "300ms")
        defer { world.cleanup() }
        let result = try await world.reconciler(ready: false).execute(world.plan())
        #expect(result.instances.first?.phase == .failed)
        #expect(world.host.stopCount == 1)
        let record = try #require(world.store.record("a"))
        #expect(record.lastExit?.failedCheck == ConditionReason.readinessTimeout.rawValue)
        #expect(world.plan().action(for: "a")?.kind == .restart)
    }

    @Test func aServerThatExitsBeforeReadyIsAFailure() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        world.host.exitOnLaunch = .exited(0)
        let result = try await world.reconciler().execute(world.plan())
        #expect(result.instances.first?.phase == .failed)
        #expect(world.store.record("a")?.lastExit?.isFailure == true)
    }

    @Test func aRunningServerIsAdoptedNotStartedAgain() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let record = try world.running("a", phase: .starting)
        let plan = world.plan()
        #expect(plan.action(for: "a")?.kind == .adopt)
        let result = try await world.reconciler().execute(plan)
        #expect(result.instances.first?.phase == .ready)
        #expect(world.host.launchCount == 1) // the one `running` made
        #expect(world.store.record("a")?.process == record.process)
    }

    @Test func aForgedRecordIsNeverSignalledAndANewServerIsStarted() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        var record = try world.running("a")
        let foreign = world.host.addForeignProcess()
        record.process = foreign // its own pid and start time, but not our token
        try world.store.save(record)
        let plan = world.plan()
        #expect(plan.action(for: "a")?.kind == .restart)
        _ = try await world.reconciler().execute(plan)
        #expect(world.host.isRunning(foreign.pid))
        #expect(!world.host.stops.contains { $0.identity == foreign })
        #expect(world.store.record("a")?.process != foreign)
    }

    @Test func aRemovedInstanceIsStoppedThroughItsProofAndForgotten() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let orphan = try world.running("gone")
        let plan = world.plan()
        #expect(plan.action(for: "gone")?.kind == .stop)
        _ = try await world.reconciler().execute(plan)
        #expect(world.host.stops.map(\.token) == [orphan.spawnToken!])
        #expect(world.store.record("gone") == nil)
        #expect(world.statuses.instances["gone"] == nil)
    }

    @Test func recoveryFindsAnUnrecordedServerByItsToken() throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let token = world.folder.newSpawnToken()
        let stray = try world.host.launch(LaunchRequest(executable: "server",
                                                        environment: [StateFolder.tokenVariable: token, "INFERCTL_INSTANCE": "a"],
                                                        logPath: world.dir + "/x.log"))
        let live = OwnershipRecovery(folder: world.folder, host: world.host).liveServers()
        #expect(live.map(\.claim.identity) == [stray])
        #expect(live.first?.instance == "a")
        let decision = OwnershipRecovery.decide(records: [], unreadable: [], live: live, now: Date())
        #expect(decision.orphans.map(\.claim.token) == [token])
    }
}
