import Foundation
import Testing
import InferenceBackends
@testable import InferenceModel
@testable import InferenceRuntime

/// What plans carry: the command line (secrets by reference only), host, port, the process to stop
/// and the record revision planned from; and what execution does with it.
@Suite("Plans carry their payload")
struct PlanPayloadTests {
    typealias World = ExecutorTests.World

    static let keyValue = "s3cr3t-value-never-shown"

    /// One instance whose API key is read from a file and one environment variable from another
    /// variable: both are secrets, both must appear by reference only.
    static func keyedWorld() throws -> (World, keyPath: String) {
        let keyDirectory = makeScratchDirectory("keys")
        let keyPath = keyDirectory + "/api.key"
        try (keyValue + "\n").write(toFile: keyPath, atomically: true, encoding: .utf8)
        let world = try World(yaml: """
            apiVersion: inference.selfhosted/v1
            kind: Instance
            metadata: {name: keyed}
            spec:
              backend: simulation
              model: {identity: sim-model}
              server:
                host: 127.0.0.1
                port: auto
                apiKey: {file: \(keyPath)}
                env: {HF_TOKEN: {env: PLAN_PAYLOAD_TEST_TOKEN}, MODE: plain}
            """)
        return (world, keyPath)
    }

    @Test func aSpawnCarriesItsCommandLineWithSecretsByReferenceOnly() throws {
        let (world, keyPath) = try Self.keyedWorld()
        defer { world.cleanup(); try? FileManager.default.removeItem(atPath: (keyPath as NSString).deletingLastPathComponent) }
        let action = try #require(world.payloadPlan().action(for: "keyed"))
        #expect(action.kind == .spawn)
        let payload = try #require(action.payload)
        #expect(payload.recordRevision == .missing)
        let launch = try #require(payload.launch)
        #expect(launch.argv == ["/bin/true", "--host", "127.0.0.1", "--port", "{port}", "--model-id", "sim-model",
                                "--api-key-file", keyPath])
        #expect(launch.host == "127.0.0.1")
        #expect(launch.port == nil && launch.portSource == .auto)
        #expect(launch.environment == ["MODE": "plain"])
        #expect(launch.secretEnvironment == ["HF_TOKEN": .environment("PLAN_PAYLOAD_TEST_TOKEN")])

        let json = String(decoding: try JSONCoding.encoder.encode(Plan(actions: [action])), as: UTF8.self)
        #expect(json.contains(keyPath))
        #expect(json.contains("\"PLAN_PAYLOAD_TEST_TOKEN\""))
        #expect(!json.contains(Self.keyValue), "a secret value in the plan: \(json)")
        for field in ["\"record_revision\" : null", "\"port\" : null", "\"port_source\" : \"auto\"", "\"secret_environment\""] {
            #expect(json.contains(field), "\(field) missing from \(json)")
        }
    }

    @Test func theJSONReadsBackAsTheSamePlan() throws {
        let (world, keyPath) = try Self.keyedWorld()
        defer { world.cleanup(); try? FileManager.default.removeItem(atPath: (keyPath as NSString).deletingLastPathComponent) }
        let plan = world.payloadPlan()
        let decoded = try JSONCoding.decoder.decode(Plan.self, from: JSONCoding.encoder.encode(plan))
        #expect(decoded == plan)
    }

    @Test func aRestartKeepsItsPortAndNamesTheRevisionItWasPlannedFrom() throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let record = try world.running("a")
        world.host.crash(try #require(record.process).pid)
        let action = try #require(world.payloadPlan().action(for: "a"))
        #expect(action.kind == .restart)
        #expect(action.payload?.recordRevision == .revision(record.revision))
        #expect(action.payload?.launch?.port == 40000)
        #expect(action.payload?.launch?.portSource == .kept)
        #expect(action.payload?.stop == nil, "a server that exited has nothing to stop")
    }

    @Test func aStopNamesTheProcessByPidStartTimeAndBoot() throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let record = try world.running("gone")
        let payload = try #require(world.payloadPlan().action(for: "gone")?.payload)
        let identity = try #require(record.process)
        #expect(payload.stop == PlannedStop(pid: identity.pid, startTimeTicks: identity.startTimeTicks, bootID: identity.bootID,
                                            signal: "SIGTERM", gracePeriodMilliseconds: 10_000))
        #expect(payload.launch == nil)
    }

    @Test func aReplaceStopsTheRunningProcessAndLaunchesTheNewSpec() throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        var record = try world.running("a")
        record.fingerprint = SpecFingerprint(fields: ["model": "an older one"])
        record = try world.store.save(record, ifRevision: .revision(record.revision))
        let action = try #require(world.payloadPlan().action(for: "a"))
        // port: auto rolls out with Surge: the old process keeps serving (no stop in the plan), the
        // new revision gets a fresh port.
        #expect(action.kind == .rollout)
        #expect(action.payload?.stop == nil)
        #expect(action.payload?.launch?.portSource == .auto)
        #expect(action.payload?.launch?.argv.contains("sim-model") == true)
    }

    @Test func executionLaunchesThePlannedCommandLineAtThePortItUses() async throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let plan = world.payloadPlan()
        let launch = try #require(plan.action(for: "a")?.payload?.launch)
        let result = try await world.reconciler().execute(plan)
        #expect(result.instances.map(\.phase) == [.ready])
        let port = try #require(world.store.record("a")?.port)
        let launched = try #require(world.host.launches.first)
        #expect([launched.executable] + launched.arguments == launch.argv(port: port))
        #expect(world.store.record("a")?.argv == launch.argv(port: port))
    }

    @Test func theTemplateIsTheBackendsCommandLineAtAnyPort() throws {
        let world = try World(instances: ["a"])
        defer { world.cleanup() }
        let instance = try #require(world.manifests.state.instance(named: "a"))
        let driver = try #require(world.manifests.registry.driver(named: "simulation"))
        let launch = try #require(world.payloadPlan().action(for: "a")?.payload?.launch)
        for port in [1, 8080, 61_487, 65_535] {
            let built = try driver.launchPlan(for: instance, context: LaunchContext(port: port, simulatorExecutable: "/bin/true"))
            #expect(launch.describes(built, port: port))
        }
    }

    @Test func aCommandLineThatHoldsThePlaceholderItselfIsNotTemplated() {
        #expect(LaunchTemplate.template("--port=61487", "--port=62593") == "--port={port}")
        #expect(LaunchTemplate.template("{port}", "{port}") == nil)
        #expect(LaunchTemplate.template("--seed=61487", "--seed=61487") == nil, "a coincidence, not the port")
        #expect(LaunchTemplate.template("--metrics=61488", "--metrics=62594") == nil, "the port, but not verbatim")
    }

    @Test func everyOccurrenceOfThePortIsTemplatedWhateverTheText() {
        #expect(LaunchTemplate.template("http://h:61487/,61487", "http://h:62593/,62593") == "http://h:{port}/,{port}")
        #expect(LaunchTemplate.template("--host", "--host") == "--host")
        #expect(LaunchTemplate.template("", "") == "")
        #expect(LaunchTemplate.template("a", "b") == nil)
        #expect(LaunchTemplate.template("modèle-61487", "modèle-62593") == "modèle-{port}")
        #expect(LaunchTemplate.template("modèle", "modèle") == "modèle")
        #expect(LaunchTemplate.template("modèle-{port}", "modèle-{port}") == nil)
    }
}
