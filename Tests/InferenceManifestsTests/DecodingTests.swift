import Foundation
import Testing
import InferenceModel
@testable import InferenceManifests

/// Valid manifests decode into the model, with defaults and resolved paths.
@Suite struct DecodingTests {
    @Test func fullInstanceDecodes() throws {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata:
          name: qwen-small
          labels: {tier: small, gpu: "false"}
        spec:
          backend: llama_cpp
          startupKind: spawned
          managementMode: jido_managed
          model:
            path: models/qwen.gguf
            identity: qwen
          server:
            host: 127.0.0.1
            port: 8081
            ctxSize: 8192
            threads: 4
            parallel: 2
            gpuLayers: all
            flashAttn: true
            embeddings: false
            apiKey: {env: LLAMA_API_KEY}
            binary: ../bin/llama-server
            extraArgs: [--jinja, --no-webui]
            env:
              LLAMA_LOG: debug
              HF_TOKEN: {file: secrets/hf-token}
          readiness: {timeout: 10m, stallTimeout: 90s, path: /health}
          health: {interval: 5s, failureThreshold: 5}
          restart: {policy: Always, backoff: 500ms, maxBackoff: 1h30m}
          stop: {signal: SIGINT, gracePeriod: 20s}
          activation: {mode: OnDemand, idleTimeout: 15m}
        """, base: "/srv/manifests")
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        let instance = try #require(result.state.instances.first)
        #expect(instance.metadata.labels == ["tier": "small", "gpu": "false"])
        let spec = instance.spec
        #expect(spec.backend == "llama_cpp")
        #expect(spec.startupKind == .spawned)
        #expect(spec.managementMode == .managed)
        #expect(spec.model == ModelSpec(path: "/srv/manifests/models/qwen.gguf", identity: "qwen"))
        #expect(spec.server.port == .fixed(8081))
        #expect(spec.server.ctxSize == 8192)
        #expect(spec.server.gpuLayers == .all)
        #expect(spec.server.flashAttn == true)
        #expect(spec.server.apiKey == .environment("LLAMA_API_KEY"))
        #expect(spec.server.binary == "/srv/bin/llama-server")
        #expect(spec.server.extraArgs == ["--jinja", "--no-webui"])
        #expect(spec.server.env["LLAMA_LOG"] == .literal("debug"))
        #expect(spec.server.env["HF_TOKEN"] == .secret(.file("/srv/manifests/secrets/hf-token")))
        #expect(spec.readiness == ReadinessSpec(timeout: .minutes(10), stallTimeout: .seconds(90), path: "/health"))
        #expect(spec.health == HealthSpec(interval: .seconds(5), failureThreshold: 5))
        #expect(spec.restart == RestartSpec(policy: .always, backoff: .init(milliseconds: 500), maxBackoff: .minutes(90)))
        #expect(spec.stop == StopSpec(signal: "SIGINT", gracePeriod: .seconds(20)))
        #expect(spec.activation == ActivationSpec(mode: .onDemand, idleTimeout: .minutes(15)))
    }

    @Test func minimalInstanceTakesModelDefaults() throws {
        let result = loadYAML(minimalInstance)
        #expect(result.diagnostics.isEmpty)
        let instance = try #require(result.state.instances.first)
        #expect(instance.spec == InstanceSpec(backend: "llama_cpp"))
        #expect(instance.origin.file == "m.yaml")
        #expect(instance.origin.location == SourceLocation(file: "m.yaml", line: 1, column: 1))
    }

    @Test func fieldLocationsPointAtValuesForScalarsAndKeysForMaps() throws {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata:
          name: located
        spec:
          backend: llama_cpp
          server:
            port: 8080
          command: [llama-server, --port, "{port}"]
        """)
        let origin = try #require(result.state.instances.first?.origin)
        func at(_ path: String) -> [Int]? { origin.fieldLocations[path].map { [$0.line, $0.column] } }
        #expect(at("metadata.name") == [4, 9])
        #expect(at("metadata") == [3, 1])
        #expect(at("spec.backend") == [6, 12])
        #expect(at("spec.server") == [7, 3])
        #expect(at("spec.server.port") == [8, 11])
        #expect(at("spec.command") == [9, 3])
        #expect(at("spec.command[2]") == [9, 35])
        #expect(origin.location(of: "spec.server.host") == SourceLocation(file: "m.yaml", line: 7, column: 3))
    }

    @Test func ollamaAttachAndShortActivation() throws {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: local-ollama}
        spec:
          backend: ollama
          startupKind: attach_existing_service
          managementMode: externally_managed
          url: http://127.0.0.1:11434
          model: {identity: "llama3.2:3b"}
          activation: OnDemand
          ollama: {preload: true, keepAlive: -1}
        """)
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        let spec = try #require(result.state.instances.first?.spec)
        #expect(spec.url == "http://127.0.0.1:11434")
        #expect(spec.activation == ActivationSpec(mode: .onDemand))
        #expect(spec.ollama == OllamaSpec(preload: true, keepAlive: "-1"))
        #expect(spec.server.port == .auto)
    }

    @Test func consumerDefaultsAndCapabilityForms() throws {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: defaults}
        ---
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: agent}
        spec:
          selector: {tier: small}
          acceptedManagementModes: [jido_managed]
          acceptedProtocols: [openai_chat_completions, ollama_api]
          requiredCapabilities: [streaming, tool_calling]
          optionalCapabilities: {vision: unknown, thinking: false}
          startupKind: spawned
        """)
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        #expect(result.state.consumers.count == 2)
        #expect(result.state.consumers[0].spec == ConsumerSpec())
        #expect(result.state.consumers[0].spec.acceptedManagementModes == [.managed, .externallyManaged])
        let agent = result.state.consumers[1].spec
        #expect(agent.selector == ["tier": "small"])
        #expect(agent.acceptedManagementModes == [.managed])
        #expect(agent.acceptedProtocols == [.openaiChatCompletions, .ollamaAPI])
        #expect(agent.requiredCapabilities == ["streaming": .supported(true), "tool_calling": .supported(true)])
        #expect(agent.optionalCapabilities == ["vision": .unknown, "thinking": .supported(false)])
        #expect(agent.startupKind == .spawned)
    }

    @Test func backendDecodes() throws {
        let result = loadYAML("""
        apiVersion: inference.selfhosted/v1
        kind: Backend
        metadata: {name: vllm}
        spec:
          startupKind: spawned
          protocols: [openai_chat_completions, openai_completions]
          capabilities: {streaming: true, tool_calling: true}
          command: [vllm, serve, "{model.path}", --port, "{port}"]
          probePath: /health
        """)
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        let backend = try #require(result.state.backends.first)
        #expect(backend.spec.startupKind == .spawned)
        #expect(backend.spec.managementModes == nil)
        #expect(backend.spec.command?.count == 5)
        #expect(backend.spec.probePath == "/health")
        #expect(backend.spec.healthPath == nil)
        #expect(backend.spec.runtimeKind == .service)
    }

    @Test func multiDocumentFilesKeepTheirLineNumbers() {
        let result = loadYAML("""
        # leading comment
        ---
        \(minimalInstance)
        ---

        ---
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: second}
        spec: {backend: ollama, bogus: 1}
        """)
        #expect(result.state.instances.map(\.name) == ["small"])
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostic("unknown field 'bogus'")?.position == [15, 25])
    }

    @Test func syntaxErrorInOneDocumentDoesNotHideTheNext() {
        let result = loadYAML("""
        kind: [unclosed
        ---
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: Bad}
        """)
        #expect(result.diagnostic("invalid YAML")?.location.line == 2)
        #expect(result.diagnostic(field: "metadata.name")?.position == [5, 18])
    }

    @Test func pathsResolveAgainstTheManifestFolder() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try folder.write("team/llm.yaml", """
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: paths}
        spec:
          backend: openai_compatible
          model: {path: ../models/./m.gguf}
          server:
            binary: ./bin/server
            apiKey: {file: keys/api}
        ---
        apiVersion: inference.selfhosted/v1
        kind: Instance
        metadata: {name: absolute}
        spec:
          backend: llama_cpp
          model: {path: /opt/models/m.gguf}
          server: {binary: llama-server}
        """)
        let result = ManifestLoader.load(directory: folder.path)
        #expect(result.diagnostics.isEmpty, "\(result.renderedDiagnostics)")
        let root = URL(fileURLWithPath: folder.path).standardized.path
        let spec = try #require(result.state.instance(named: "paths")?.spec)
        #expect(spec.model.path == root + "/models/m.gguf")
        #expect(spec.server.binary == root + "/team/bin/server")
        #expect(spec.server.apiKey == .file(root + "/team/keys/api"))
        let absolute = try #require(result.state.instance(named: "absolute")?.spec)
        #expect(absolute.model.path == "/opt/models/m.gguf")
        #expect(absolute.server.binary == "llama-server")
    }
}
