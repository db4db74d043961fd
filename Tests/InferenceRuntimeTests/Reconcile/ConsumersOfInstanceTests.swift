import Foundation
import Testing
@testable import InferenceModel
@testable import InferenceRuntime

/// The consumers an instance's new record decides are resolved against it at once (their status
/// files follow the instance); a selector consumer still gets the first ready candidate by name,
/// the others read from the store.
@Suite("Consumers that follow an instance")
struct ConsumersOfInstanceTests {
    typealias Fixture = ConsumerResolutionTests

    @Test func theConsumersThatMayBindToTheInstanceAreResolvedWithItsNewRecord() throws {
        let manifests = try Fixture.manifests(
            Fixture.instanceYAML("a", labels: "{tier: small}"), Fixture.instanceYAML("b", labels: "{tier: small}"),
            Fixture.instanceYAML("z", labels: "{tier: large}"),
            Fixture.consumerYAML("named", binding: "instance: b"), Fixture.consumerYAML("small", binding: "selector: {tier: small}"),
            Fixture.consumerYAML("large", binding: "selector: {tier: large}"))
        let store = MemoryStateStore()
        try store.save(Fixture.record("a", .ready, port: 40001))
        try store.save(Fixture.record("b", .starting, health: .unknown, port: 40002))

        let statuses = ConsumersOfInstance.statuses(following: Fixture.record("b", .ready, port: 40002), manifests: manifests,
                                                    store: store, now: Fixture.now)
        #expect(statuses.map(\.consumer).sorted() == ["named", "small"], "z's consumer does not depend on b")
        let named = try #require(statuses.first { $0.consumer == "named" })
        #expect(named.reason == .ready && named.endpoint?.baseURL == "http://127.0.0.1:40002/v1", "\(named)")
        let small = try #require(statuses.first { $0.consumer == "small" })
        #expect(small.instance == "a" && small.endpoint?.baseURL == "http://127.0.0.1:40001/v1",
                "a, stored and ready, comes first by name: \(small)")
    }
}
