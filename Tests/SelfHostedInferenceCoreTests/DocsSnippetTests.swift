import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SelfHostedInferenceCore
import Testing

/// docs/consumers.md's Swift snippet, as written there, against a server in this process.
@Suite(.timeLimit(.minutes(1))) struct DocsSnippetTests {
    @Test func theSwiftSnippetWorks() async throws {
        try await withInProcessServer { server in
            try await withManifestFolder("docs") { folder in
                try folder.write("gw.yaml", YAML.attached("gw", url: server.baseURL + "/v1"))
                try folder.write("assistant.yaml", YAML.consumer("assistant", instance: "gw"))

                let kernel = InferenceKernel(directory: folder.path)
                let ensured = try await kernel.ensureEndpoint(consumer: "assistant", owner: "my-program",
                                                              ttl: .seconds(60), wait: .seconds(120))
                let endpoint = ensured.endpoint
                var request = URLRequest(url: URL(string: endpoint.chatCompletionsURL)!)
                for (name, value) in try endpoint.requestHeaders() { request.setValue(value, forHTTPHeaderField: name) }
                request.httpMethod = "POST"
                request.httpBody = Data(#"{"model": "\#(endpoint.modelIdentity)", "messages": [{"role": "user", "content": "hi"}]}"#.utf8)
                let (body, response) = try await URLSession.shared.data(for: request)
                #expect((response as? HTTPURLResponse)?.statusCode == 200)
                #expect(String(decoding: body, as: UTF8.self).contains("Simulated reply to: hi"))
                try await kernel.renew(ensured.lease.leaseRef, ttl: .seconds(60))
                try await kernel.release(ensured.lease.leaseRef)
                #expect(folder.leaseFiles().isEmpty)
            }
        }
    }

    @Test func requestHeadersReadTheKeyFromItsReference() throws {
        let endpoint = EndpointDescriptor(instance: "gw", managementMode: .externallyManaged, protocol: .openaiChatCompletions,
                                          baseURL: "http://127.0.0.1:9/v1/", headers: ["x-tenant": "a"],
                                          secretHeaders: ["authorization": .environment("GW_KEY")],
                                          providerIdentity: "p", modelIdentity: "m", sourceRuntime: "r", sourceRuntimeRef: "r",
                                          capabilities: [:])
        let headers = try endpoint.requestHeaders(secrets: SecretResolver(environment: ["GW_KEY": "k3y-value"]))
        #expect(headers == ["x-tenant": "a", "authorization": "Bearer k3y-value"])
        #expect(endpoint.chatCompletionsURL == "http://127.0.0.1:9/v1/chat/completions")
        #expect(throws: SecretResolver.Failure.missingEnvironment("GW_KEY")) {
            try endpoint.requestHeaders(secrets: SecretResolver(environment: [:]))
        }
    }
}
