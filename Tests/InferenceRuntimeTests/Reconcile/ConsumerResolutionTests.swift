import Foundation
import Testing
@testable import InferenceModel
@testable import InferenceRuntime

/// Which instance a consumer gets, whether it is ready, why, and whether it is handed the endpoint:
/// records in every phase against real manifests, no process involved.
@Suite("Consumer resolution")
struct ConsumerResolutionTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func instanceYAML(_ name: String, labels: String = "{}", activation: String = "Always") -> String {
        """
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: \(name), labels: \(labels)}
        spec:
          backend: simulation
          model: {identity: sim-model}
          activation: \(activation)

        """
    }

    static func consumerYAML(_ name: String, binding: String, extra: String = "") -> String {
        """
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: \(name)}
        spec:
          \(binding)
        \(extra)
        """
    }

    static func manifests(_ documents: String...) throws -> ManifestSet {
        let dir = makeScratchDirectory()
        try documents.joined(separator: "---\n").write(toFile: dir + "/all.yaml", atomically: true, encoding: .utf8)
        return ManifestSet.load(directory: dir)
    }

    static func record(_ name: String, _ phase: InstancePhase, health: HealthStatus = .healthy, port: Int = 40000,
                       message: String? = nil, endpoint: Bool = true) -> InstanceRecord {
        let descriptor = EndpointDescriptor(instance: name, managementMode: .managed, protocol: .openaiChatCompletions,
                                            baseURL: "http://127.0.0.1:\(port)/v1", providerIdentity: "inference-sim",
                                            modelIdentity: "sim-model", sourceRuntime: "simulation",
                                            sourceRuntimeRef: name, capabilities: ["streaming": .supported(true)])
        return InstanceRecord(name: name, backend: "simulation", startupKind: .spawned, fingerprint: SpecFingerprint(fields: [:]),
                              port: port, phase: phase, health: health, message: message,
                              endpoint: endpoint ? descriptor : nil)
    }

    static func resolve(_ consumer: String, in manifests: ManifestSet, _ records: [InstanceRecord]) throws -> ConsumerStatus {
        let definition = try #require(manifests.state.consumer(named: consumer))
        return ConsumerResolution.status(for: definition, manifests: manifests,
                                         records: Dictionary(uniqueKeysWithValues: records.map { ($0.name, $0) }), now: now)
    }

    struct Row: CustomStringConvertible, Sendable {
        var record: InstanceRecord?
        var reason: ConsumerReason
        var description: String { "\(record.map { "\($0.phase.rawValue)/\($0.health)" } ?? "no record") -> \(reason)" }
    }

    static let rows: [Row] = [
        Row(record: record("a", .ready), reason: .ready),
        Row(record: record("a", .ready, health: .degraded), reason: .ready),
        Row(record: record("a", .ready, health: .unavailable), reason: .instanceUnhealthy),
        Row(record: record("a", .failed, health: .unavailable, message: "pid 7 killed by SIGKILL"), reason: .instanceUnhealthy),
        Row(record: nil, reason: .waitingForInstance),
        Row(record: record("a", .starting, health: .unknown), reason: .waitingForInstance),
        Row(record: record("a", .pending, health: .unavailable), reason: .waitingForInstance),
        Row(record: record("a", .stopped, health: .unknown, message: Shutdown.stoppedMessage), reason: .waitingForInstance),
        // A record that says Ready but carries no endpoint cannot hand one out.
        Row(record: record("a", .ready, endpoint: false), reason: .waitingForInstance),
    ]

    @Test("a compatible consumer, its instance in each phase: the endpoint only when Ready", arguments: rows)
    func phases(_ row: Row) throws {
        let manifests = try Self.manifests(Self.instanceYAML("a"), Self.consumerYAML("agent", binding: "instance: a"))
        let status = try Self.resolve("agent", in: manifests, row.record.map { [$0] } ?? [])
        #expect(status.reason == row.reason, "\(status.message)")
        #expect(status.ready == (row.reason == .ready))
        #expect((status.endpoint != nil) == (row.reason == .ready), "a descriptor for a non-ready instance: \(status)")
        #expect(status.instance == "a")
        if row.reason != .ready { #expect(status.notReadyExplanation.hasPrefix("consumer agent is not ready (\(row.reason.rawValue)): ")) }
    }

    @Test("a failed instance's consumer says why, with the instance's own message, and has no endpoint")
    func failedSaysWhy() throws {
        let manifests = try Self.manifests(Self.instanceYAML("a"), Self.consumerYAML("agent", binding: "instance: a"))
        let status = try Self.resolve("agent", in: manifests, [Self.record("a", .failed, message: "pid 7 killed by SIGKILL")])
        #expect(status.message == "instance a is Failed: pid 7 killed by SIGKILL")
        #expect(status.endpoint == nil)
    }

    @Test("an OnDemand instance that is not running is Idle; once Ready it is handed out")
    func onDemand() throws {
        let manifests = try Self.manifests(Self.instanceYAML("a", activation: "OnDemand"),
                                           Self.consumerYAML("agent", binding: "instance: a"))
        for records in [[], [Self.record("a", .stopped, health: .unknown)]] {
            let status = try Self.resolve("agent", in: manifests, records)
            #expect(status.reason == .idle && status.endpoint == nil, "\(status)")
        }
        #expect(try Self.resolve("agent", in: manifests, [Self.record("a", .ready)]).reason == .ready)
    }

    @Test("an incompatible consumer lists every missing requirement, whatever its instance's phase, and gets no endpoint")
    func incompatible() throws {
        let extra = """
              acceptedProtocols: [ollama_api]
              acceptedManagementModes: [externally_managed]
              requiredCapabilities: {streaming: true, tool_calling: true, embeddings: true}
            """
        let manifests = try Self.manifests(Self.instanceYAML("a"), Self.consumerYAML("picky", binding: "instance: a", extra: extra))
        for record in [Self.record("a", .ready), Self.record("a", .failed)] {
            let status = try Self.resolve("picky", in: manifests, [record])
            #expect(status.reason == .incompatible && !status.ready && status.endpoint == nil, "\(status)")
            let gaps = status.compatibility?.missingRequirements.map(\.reason) ?? []
            #expect(Set(gaps) == [.managementModeMismatch, .unsupportedProtocol, .missingCapability], "\(gaps)")
            #expect(status.compatibility?.missingRequirements.count == 4, "tool_calling and embeddings are both listed")
            for gap in status.compatibility?.missingRequirements ?? [] {
                #expect(status.message.contains(gap.explanation), "\(gap.explanation) not in: \(status.message)")
            }
        }
    }

    @Test("a selector gets the first ready instance by name; failing that, one it could use, not an incompatible one")
    func selector() throws {
        let manifests = try Self.manifests(
            Self.instanceYAML("a", labels: "{tier: small}"), Self.instanceYAML("b", labels: "{tier: small}"),
            Self.instanceYAML("c", labels: "{tier: small}"), Self.instanceYAML("z", labels: "{tier: large}"),
            Self.consumerYAML("agent", binding: "selector: {tier: small}"))
        let first = try Self.resolve("agent", in: manifests,
                                     [Self.record("a", .failed), Self.record("b", .ready, port: 40001), Self.record("c", .ready, port: 40002),
                                      Self.record("z", .ready, port: 40009)])
        #expect(first.instance == "b" && first.endpoint?.baseURL == "http://127.0.0.1:40001/v1", "\(first)")

        let none = try Self.resolve("agent", in: manifests, [Self.record("a", .failed), Self.record("b", .starting)])
        #expect(none.instance == "a" && none.reason == .instanceUnhealthy && none.endpoint == nil, "\(none)")
    }

    @Test("a selector whose only compatible instance is starting waits for it rather than reporting the incompatible one")
    func selectorPrefersUsable() throws {
        let gateway = """
            apiVersion: inference.selfhosted/v1
            kind: Instance
            metadata: {name: a-gateway, labels: {tier: small}}
            spec:
              backend: openai_compatible
              url: http://127.0.0.1:1/v1
              model: {identity: gw}

            """
        let manifests = try Self.manifests(gateway, Self.instanceYAML("b", labels: "{tier: small}"),
                                           Self.consumerYAML("agent", binding: "selector: {tier: small}",
                                                             extra: "  acceptedManagementModes: [managed]"))
        let status = try Self.resolve("agent", in: manifests, [Self.record("b", .starting, health: .unknown)])
        #expect(status.instance == "b" && status.reason == .waitingForInstance, "\(status)")
    }

    @Test("no instance matches: NoMatchingInstance, naming the selector")
    func noMatch() throws {
        let manifests = try Self.manifests(Self.instanceYAML("a", labels: "{tier: small}"),
                                           Self.consumerYAML("agent", binding: "selector: {tier: huge}"))
        let status = try Self.resolve("agent", in: manifests, [Self.record("a", .ready)])
        #expect(status.reason == .noMatchingInstance && status.instance == nil && status.endpoint == nil, "\(status)")
        #expect(status.message == "no instance matches selector tier=huge")
    }

    @Test("the status file spells the reason, and leaves out the endpoint when not ready")
    func wireFormat() throws {
        let manifests = try Self.manifests(Self.instanceYAML("a"), Self.consumerYAML("agent", binding: "instance: a"))
        let failed = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(
            try Self.resolve("agent", in: manifests, [Self.record("a", .failed)]))) as? [String: Any]
        #expect(failed?["reason"] as? String == "InstanceUnhealthy")
        #expect(failed?["ready"] as? Bool == false)
        #expect(failed?["endpoint"] == nil)
        let ready = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(
            try Self.resolve("agent", in: manifests, [Self.record("a", .ready)]))) as? [String: Any]
        #expect(ready?["reason"] as? String == "Ready")
        #expect((ready?["endpoint"] as? [String: Any])?["base_url"] as? String == "http://127.0.0.1:40000/v1")
    }
}
