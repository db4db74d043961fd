import Foundation
import InferenceModel
import Testing
@testable import InferenceRuntime

/// The smoke rules as `validate` reports them: at the file and line of the field.
@Suite("Smoke manifests")
struct SmokeManifestTests {
    @Test func aBackendWithoutChatCompletionsIsRefusedAtTheFieldsLine() throws {
        let dir = makeScratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
        apiVersion: inference.selfhosted/v1
        kind: Backend
        metadata: {name: embedder}
        spec:
          startupKind: spawned
          protocols: [openai_embeddings]
          command: [embed, --port, "{port}"]
        ---
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: e}
        spec:
          backend: embedder
          model: {identity: e}
          readiness:
            smoke: {timeout: 0s}
          health:
            smoke: {interval: 1m}
        """.write(toFile: dir + "/e.yaml", atomically: true, encoding: .utf8)
        let manifests = ManifestSet.load(directory: dir)
        #expect(!manifests.isValid)
        let rendered = manifests.diagnostics.map(\.rendered)
        #expect(rendered.contains { $0.hasPrefix(dir + "/e.yaml:16:5: error: spec.readiness.smoke: backend 'embedder' does not serve openai_chat_completions") },
                "\(rendered)")
        #expect(rendered.contains { $0.hasPrefix(dir + "/e.yaml:16:22: error: spec.readiness.smoke.timeout: the timeout must be longer than 0s") },
                "\(rendered)")
        #expect(rendered.contains { $0.hasPrefix(dir + "/e.yaml:18:5: error: spec.health.smoke: backend 'embedder'") }, "\(rendered)")
    }
}
