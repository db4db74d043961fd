import Foundation
import SelfHostedInferenceCore
import Testing

/// `endpointChanges`: the current reading first, then one per change of the status file.
@Suite(.timeLimit(.minutes(1))) struct EndpointChangesTests {
    /// A status file as `apply` writes it (with `reason` too, which newer writers add).
    func status(_ consumer: String, ready: Bool, port: Int = 8080) throws -> String {
        let endpoint = EndpointDescriptor(instance: "sim", managementMode: .managed, protocol: .openaiChatCompletions,
                                          baseURL: "http://127.0.0.1:\(port)/v1", providerIdentity: "inference-sim",
                                          modelIdentity: "sim-model", sourceRuntime: "simulation", sourceRuntimeRef: "sim",
                                          capabilities: [CapabilityName.streaming: .supported(true)])
        var object: [String: Any] = [
            "apiVersion": "inference.selfhosted/v1", "kind": "ConsumerStatus", "consumer": consumer, "instance": "sim",
            "ready": ready, "reason": ready ? "Ready" : "WaitingForInstance", "message": ready ? "ready" : "instance sim is Starting",
            "updated_at": "2026-11-26T12:00:00Z",
        ]
        if ready { object["endpoint"] = try JSONSerialization.jsonObject(with: JSONCoding.encoder.encode(endpoint)) }
        return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func followsWritesRemovalsAndIgnoresTheRest() async throws {
        try await withManifestFolder("changes") { folder in
            let file = "agent.consumer.status.json"
            try folder.write(file, try status("agent", ready: false))
            var changes = InferenceKernel(directory: folder.path).endpointChanges(consumer: "agent").makeAsyncIterator()
            let first = try await changes.next()
            #expect(first?.status?.ready == false)
            #expect(first?.readyEndpoint == nil, "no endpoint while not ready")

            // Other files, and a rewrite with the same content, are not changes.
            try folder.write("other.consumer.status.json", try status("other", ready: true))
            try folder.write(file, try status("agent", ready: false))
            try folder.write(file, try status("agent", ready: true, port: 9001))
            let ready = try await changes.next()
            #expect(ready?.readyEndpoint?.baseURL == "http://127.0.0.1:9001/v1")

            try FileManager.default.removeItem(atPath: folder.path + "/" + file)
            #expect(try await changes.next() == .absent)

            try folder.write(file, "{not json")
            guard case .unreadable? = try await changes.next() else { Issue.record("garbage was believed"); return }
            try folder.write(file, try status("other", ready: true))
            #expect(try await changes.next() == .unreadable("it is the status of consumer 'other'"))
        }
    }

    @Test func aLinkIsNotFollowed() async throws {
        try await withManifestFolder("link") { folder in
            try folder.write("elsewhere.json", try status("agent", ready: true))
            try FileManager.default.createSymbolicLink(atPath: folder.path + "/agent.consumer.status.json",
                                                       withDestinationPath: folder.path + "/elsewhere.json")
            var changes = InferenceKernel(directory: folder.path).endpointChanges(consumer: "agent").makeAsyncIterator()
            #expect(try await changes.next() == .unreadable("it is a symbolic link"))
        }
    }

    @Test func endsWhenTheDirectoryGoes() async throws {
        let folder = try ManifestFolder("gone")
        try folder.write("agent.consumer.status.json", try status("agent", ready: true))
        var seen: [PublishedConsumerStatus] = []
        var changes = InferenceKernel(directory: folder.path).endpointChanges(consumer: "agent").makeAsyncIterator()
        seen.append(try #require(try await changes.next()))
        folder.remove()
        while let next = try await changes.next() { seen.append(next) }
        #expect(seen.first?.readyEndpoint != nil)
        #expect(seen.count <= 2 && (seen.count == 1 || seen.last == .absent), "\(seen)")
    }

    @Test func aMissingDirectoryThrows() async throws {
        let missing = NSTemporaryDirectory() + "/kernel-nowhere-\(UUID().uuidString)"
        var changes = InferenceKernel(directory: missing).endpointChanges(consumer: "agent").makeAsyncIterator()
        await #expect(throws: InferenceKernelError.self) { _ = try await changes.next() }
    }
}
