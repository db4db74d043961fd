import InferenceBackends
import InferenceModel
import Testing

@Suite("Backend drivers: argv, endpoints and probe readings")
struct BackendTests {
    let registry = BackendRegistry()

    @Test func llamaArgvFollowsTheBootSpecAndKeepsTheKeyOffTheCommandLine() throws {
        var spec = InstanceSpec(backend: "llama_cpp", model: ModelSpec(path: "/models/gemma-3.gguf"),
                                server: ServerSpec(port: .fixed(18081), ctxSize: 2048, threads: 2, parallel: 4, gpuLayers: .all,
                                                   embeddings: true, apiKey: .environment("GEMMA_KEY"), extraArgs: ["--metrics"]))
        let plan = try LlamaCppDriver().launchPlan(for: Fixture.instance("g", spec), context: LaunchContext(port: 18081))
        #expect(plan.argv == ["llama-server", "--model", "/models/gemma-3.gguf", "--alias", "gemma-3", "--host", "127.0.0.1",
                              "--port", "18081", "--ctx-size", "2048", "--threads", "2", "--parallel", "4",
                              "--n-gpu-layers", "all", "--embedding", "--metrics"])
        #expect(plan.secretEnvironment == ["LLAMA_API_KEY": SecretReference.environment("GEMMA_KEY")])
        #expect(plan.endpoint.baseURL == "http://127.0.0.1:18081/v1")
        spec.server.apiKey = .file("/etc/key")
        let withFile = try LlamaCppDriver().launchPlan(for: Fixture.instance("g", spec), context: LaunchContext(port: 1))
        #expect(withFile.arguments.contains("--api-key-file"))
        #expect(withFile.secretEnvironment.isEmpty)
    }

    @Test func chatTemplateBecomesTheFlag() throws {
        var spec = InstanceSpec(backend: "llama_cpp", model: ModelSpec(path: "/m.gguf"), server: ServerSpec(chatTemplate: "gemma"))
        let plan = try LlamaCppDriver().launchPlan(for: Fixture.instance("g", spec), context: LaunchContext(port: 1))
        #expect(plan.argv.suffix(2) == ["--chat-template", "gemma"])
        #expect(LlamaCppDriver().issues(for: spec, startupKind: .spawned).isEmpty)

        spec.server.extraArgs = ["--chat-template", "chatml"]
        #expect(LlamaCppDriver().issues(for: spec, startupKind: .spawned).map(\.fieldPath) == ["spec.server.extraArgs"])
        spec.server = ServerSpec(chatTemplate: " ")
        #expect(LlamaCppDriver().issues(for: spec, startupKind: .spawned).map(\.message) == ["is empty"])
        #expect(SpecFingerprint(spec: spec, startupKind: .spawned) != SpecFingerprint(spec: InstanceSpec(backend: "llama_cpp", model: ModelSpec(path: "/m.gguf")), startupKind: .spawned))

        let simulated = InstanceSpec(backend: "simulation", server: ServerSpec(chatTemplate: "gemma"))
        #expect(SimulationDriver().issues(for: simulated, startupKind: .spawned).map(\.severity) == [.warning])
    }

    @Test func embeddingsRefineTheManifest() {
        var spec = InstanceSpec(backend: "llama_cpp", model: ModelSpec(path: "/m"))
        #expect(registry.manifest(for: spec)?.capabilities["embeddings"] == .supported(false))
        spec.server.embeddings = true
        #expect(registry.manifest(for: spec)?.capabilities["embeddings"] == .supported(true))
    }

    @Test func commandTemplateIsRendered() throws {
        let spec = InstanceSpec(backend: "openai_compatible", model: ModelSpec(path: "/m", identity: "qwen"),
                                server: ServerSpec(host: "0.0.0.0"), command: ["vllm", "serve", "{model.path}", "--port={port}"])
        let plan = try OpenAICompatibleDriver().launchPlan(for: Fixture.instance("q", spec), context: LaunchContext(port: 8000))
        #expect(plan.argv == ["vllm", "serve", "/m", "--port=8000"])
        #expect(plan.endpoint.baseURL == "http://127.0.0.1:8000/v1")
    }

    @Test func substitutedValuesAreNotExpandedAgain() throws {
        // Each value names the other's placeholder: any second expansion shows, whatever the order.
        let crossed = InstanceSpec(backend: "openai_compatible", model: ModelSpec(path: "{model.identity}", identity: "{model.path}"),
                                   command: ["srv", "{model.path}", "--name={model.identity}"])
        let plan = try OpenAICompatibleDriver().launchPlan(for: Fixture.instance("q", crossed), context: LaunchContext(port: 8000))
        #expect(plan.argv == ["srv", "{model.identity}", "--name={model.path}"])

        let portLike = InstanceSpec(backend: "openai_compatible", model: ModelSpec(path: "/m", identity: "{port}"),
                                    command: ["srv", "--port", "{port}", "--served-model-name", "{model.identity}"])
        let rendered = try OpenAICompatibleDriver().launchPlan(for: Fixture.instance("q", portLike), context: LaunchContext(port: 8000))
        #expect(rendered.argv == ["srv", "--port", "8000", "--served-model-name", "{port}"])
    }

    @Test func templateKeepsUnknownBracesAsWritten() {
        let values = ["port": "8000"]
        #expect(CommandTemplate.render(["{{port}}", "{x}{port}", "{", "a}b{"], values: values) == ["{8000}", "{x}8000", "{", "a}b{"])
    }

    @Test(arguments: [("localhost:11434/", "http://localhost:11434"), ("http://h:1/v1", "http://h:1"),
                      ("https://h/v1/", "https://h"), ("http://127.0.0.1:11434", "http://127.0.0.1:11434")])
    func ollamaRootIsNormalised(url: String, root: String) throws {
        var spec = Fixture.ollama()
        spec.url = url
        let plan = try OllamaDriver().attachPlan(for: Fixture.instance("o", spec))
        #expect(plan.rootURL == root)
        #expect(plan.endpoint.baseURL == root + "/v1")
        #expect(plan.endpoint.healthRef == root + "/api/version")
    }

    @Test func ollamaNamesCompareWithLatest() {
        #expect(OllamaDriver.canonicalModelName("llama3.2") == "llama3.2:latest")
        #expect(OllamaDriver.canonicalModelName("llama3.2:1b") == "llama3.2:1b")
        #expect(OllamaDriver.canonicalModelName("registry:5000/ns/model") == "registry:5000/ns/model:latest")
    }

    @Test func llamaReadinessSteps() {
        let probe = ProbeSet.Kind.llamaHealth(root: "http://h:1")
        #expect(probe.readinessStep(after: []) == .send(ProbeRequest(.get, "http://h:1/health")))
        #expect(probe.readinessStep(after: [.answered(status: 200, body: #"{"status":"ok"}"#)]) == .conclude(.ready))
        let loading = probe.readinessStep(after: [.answered(status: 503, body: #"{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}"#)])
        #expect(loading == .conclude(.notReady("http://h:1/health answered 503: Loading model")))
        #expect(probe.readinessStep(after: [.unreachable("connection refused")]) == .conclude(.notReady("connection refused at http://h:1")))
        #expect(probe.readinessStep(after: [.answered(status: 404, body: "")]) == .send(ProbeRequest(.get, "http://h:1/v1/models")))
        #expect(probe.readinessStep(after: [.answered(status: 404, body: ""), .answered(status: 200, body: "{}")]) == .conclude(.ready))
    }

    @Test func modelsProbeRequiresTheNamedModelAndFailsOnAuth() {
        let probe = ProbeSet.Kind.openAIModels(root: "http://h", path: "/v1/models", model: "qwen")
        #expect(probe.readinessStep(after: [.answered(status: 200, body: #"{"data":[{"id":"qwen"}]}"#)]) == .conclude(.ready))
        guard case .conclude(.notReady) = probe.readinessStep(after: [.answered(status: 200, body: #"{"data":[{"id":"other"}]}"#)]) else {
            Issue.record("an unlisted model is not ready"); return
        }
        guard case .conclude(.fatal) = probe.readinessStep(after: [.answered(status: 401, body: "")]) else {
            Issue.record("401 is fatal"); return
        }
    }

    @Test func ollamaReadinessAndHealth() {
        let probe = ProbeSet.Kind.ollama(root: "http://o", model: "llama3.2")
        #expect(probe.readinessStep(after: []) == .send(ProbeRequest(.get, "http://o/api/version")))
        let version = ProbeResponse.answered(status: 200, body: #"{"version":"0.12.3"}"#)
        #expect(probe.readinessStep(after: [version]) == .send(ProbeRequest(.post, "http://o/api/show", body: #"{"model":"llama3.2"}"#)))
        #expect(probe.readinessStep(after: [version, .answered(status: 404, body: "")])
                == .conclude(.notReady("model 'llama3.2' is not pulled yet (ollama pull llama3.2)")))
        #expect(probe.readinessStep(after: [version, .answered(status: 200, body: "{}")]) == .conclude(.ready))
        let loaded = ProbeResponse.answered(status: 200, body: #"{"models":[{"name":"llama3.2:latest","model":"llama3.2:latest"}]}"#)
        guard case .conclude(.healthy, _) = probe.healthStep(after: [loaded]) else { Issue.record("loaded is healthy"); return }
        guard case .conclude(.degraded, _) = probe.healthStep(after: [.answered(status: 200, body: #"{"models":[]}"#)]) else {
            Issue.record("not loaded is degraded"); return
        }
        guard case .conclude(.unavailable, _) = probe.healthStep(after: [.unreachable("connection refused")]) else {
            Issue.record("unreachable is unavailable"); return
        }
    }
}
