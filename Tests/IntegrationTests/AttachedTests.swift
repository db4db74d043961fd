import Foundation
import Testing

/// Servers we do not own: Ollama (a faithful fake) and any OpenAI-compatible server.
@Suite("attached services", .serialized, .timeLimit(.minutes(2)))
struct AttachedTests {
    @Test("attach to a ready Ollama: endpoint, health from /api/ps, capabilities from /api/show reach the consumer")
    func attachToReadyDaemon() async throws {
        try await withWorkspace("ollama-ready") { ws in
            let daemon = try await Daemon.ollama(models: ["llama3.2=completion,tools"], loaded: ["llama3.2"], workspace: ws)
            try ws.write("o.yaml", documents(
                ollamaInstanceYAML("llama", root: daemon.root + "/v1/", model: "llama3.2:latest"),
                """
                apiVersion: inference.selfhosted/v1
                kind: Consumer
                metadata: {name: tools}
                spec:
                  instance: llama
                  requiredCapabilities: {streaming: true, tool_calling: true}

                """))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let status = try ws.instanceStatus("llama")
            #expect(status.string("phase") == "Ready", "\(status)")
            #expect(status.string("health") == "healthy")
            #expect(status.string("management_mode") == "externally_managed")
            #expect(status.string("endpoint.base_url") == daemon.root + "/v1")
            #expect(status.string("endpoint.health_ref") == daemon.root + "/api/version")
            #expect(status.string("endpoint.metadata.ollama_version") == "0.12.3")
            #expect(status.bool("endpoint.capabilities.tool_calling") == true)
            #expect(status.int("pid") == nil)
            let consumer = try ws.consumerStatus("tools")
            #expect(consumer.bool("ready") == true, "\(consumer)")
            #expect(consumer.bool("compatibility.compatible") == true)
        }
    }

    @Test("capabilities from /api/show decide compatibility: a consumer needing vision is refused")
    func capabilitiesDecideCompatibility() async throws {
        try await withWorkspace("ollama-caps") { ws in
            let daemon = try await Daemon.ollama(models: ["llama3.2=completion,tools"], workspace: ws)
            try ws.write("o.yaml", documents(
                ollamaInstanceYAML("llama", root: daemon.root, model: "llama3.2"),
                """
                apiVersion: inference.selfhosted/v1
                kind: Consumer
                metadata: {name: seer}
                spec:
                  instance: llama
                  requiredCapabilities: {vision: true}

                """))
            let validate = try await ws.inferctl("validate", ws.dir)
            #expect(validate.status == 0, "unknown until attached is only a warning: \(validate)")
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            #expect(apply.stderr.contains("consumer seer"), "\(apply)")
            let consumer = try ws.consumerStatus("seer")
            #expect(consumer.bool("ready") == false)
            #expect(consumer.string("compatibility.reason") == "missing_capability")
            #expect(consumer.object("endpoint") == nil)
        }
    }

    @Test("daemon down, then up: Pending with the reason, then Ready on the next apply")
    func daemonDownThenUp() async throws {
        try await withWorkspace("ollama-down") { ws in
            let port = try freeLoopbackPort()
            try ws.write("o.yaml", ollamaInstanceYAML("llama", root: "127.0.0.1:\(port)", model: "llama3.2", timeout: "1s"))
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 1, "\(first)")
            #expect(first.output.contains("never became ready"), "\(first)")
            let pending = try ws.instanceStatus("llama")
            #expect(pending.string("phase") == "Pending")
            #expect(pending.string("health") == "unavailable")
            #expect(pending.string("message") == "connection refused at http://127.0.0.1:\(port)", "\(pending)")

            _ = try await Daemon.ollama(port: port, models: ["llama3.2"], workspace: ws)
            let plan = try await ws.inferctl("plan", ws.dir)
            #expect(planRow("llama", in: plan.stdout)?[1] == "attach", "\(plan)")
            let second = try await ws.inferctl("apply", ws.dir)
            #expect(second.status == 0, "\(second)")
            #expect(try ws.instanceStatus("llama").string("phase") == "Ready")
        }
    }

    @Test("a model not pulled is Pending; once pulled it is Ready; llama3.2 is llama3.2:latest")
    func modelNotPulledThenPulled() async throws {
        try await withWorkspace("ollama-pull") { ws in
            let daemon = try await Daemon.ollama(workspace: ws)
            try ws.write("o.yaml", ollamaInstanceYAML("llama", root: daemon.root, model: "llama3.2", timeout: "1s"))
            let first = try await ws.inferctl("apply", ws.dir)
            #expect(first.status == 1)
            let pending = try ws.instanceStatus("llama")
            #expect(pending.string("phase") == "Pending")
            #expect(pending.string("message")?.contains("not pulled yet") == true, "\(pending)")

            let pull = try await daemon.post("/api/pull", #"{"model":"llama3.2:latest","stream":false}"#)
            #expect(pull.status == 200)
            let second = try await ws.inferctl("apply", ws.dir)
            #expect(second.status == 0, "\(second)")
            #expect(try ws.instanceStatus("llama").string("phase") == "Ready")
        }
    }

    @Test("loaded is healthy, installed but not loaded is degraded; preload loads it")
    func loadedVersusNotLoaded() async throws {
        try await withWorkspace("ollama-loaded") { ws in
            let daemon = try await Daemon.ollama(models: ["llama3.2", "qwen3:0.6b"], workspace: ws)
            try ws.write("o.yaml", documents(
                ollamaInstanceYAML("idle", root: daemon.root, model: "llama3.2"),
                ollamaInstanceYAML("warm", root: daemon.root, model: "qwen3:0.6b", preload: true)))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            #expect(try ws.instanceStatus("idle").string("health") == "degraded")
            #expect(try ws.instanceStatus("warm").string("health") == "healthy")
            let ps = try await httpGet(daemon.root + "/api/ps")
            #expect(ps.body.contains("qwen3:0.6b"))

            let load = try await daemon.post("/api/generate", #"{"model":"llama3.2"}"#)
            #expect(load.status == 200)
            let again = try await ws.inferctl("apply", ws.dir)
            #expect(again.stdout.contains("No changes"), "\(again)")
            #expect(try ws.instanceStatus("idle").string("health") == "healthy")
        }
    }

    @Test("down and prune never touch the daemon; a daemon that stops answering goes back to Pending")
    func neverTouchWhatWeDoNotOwn() async throws {
        try await withWorkspace("ollama-own") { ws in
            let daemon = try await Daemon.ollama(models: ["llama3.2"], loaded: ["llama3.2"], workspace: ws)
            try ws.write("o.yaml", ollamaInstanceYAML("llama", root: daemon.root, model: "llama3.2", timeout: "1s"))
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)

            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0)
            #expect(down.stdout.contains("not ours to stop"), "\(down)")
            #expect(Processes.isAlive(daemon.pid))
            #expect(try ws.instanceStatus("llama").string("phase") == "Stopped")

            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            try ws.remove("o.yaml")
            let prune = try await ws.inferctl("apply", ws.dir)
            #expect(prune.status == 0, "\(prune)")
            #expect(planRow("llama", in: prune.stdout)?[1] == "detach", "\(prune)")
            #expect(Processes.isAlive(daemon.pid))
            #expect(!ws.exists(ws.instanceStatusPath("llama")))

            try ws.write("o.yaml", ollamaInstanceYAML("llama", root: daemon.root, model: "llama3.2", timeout: "1s"))
            #expect(try await ws.inferctl("apply", ws.dir).status == 0)
            try await daemon.kill()
            let gone = try await ws.inferctl("apply", ws.dir)
            #expect(gone.status == 1, "\(gone)")
            #expect(try ws.instanceStatus("llama").string("phase") == "Pending")
        }
    }

    @Test("generic OpenAI-compatible attach: 401 without the key fails at once; with {file:} it is Ready and the key is never written")
    func openAICompatibleWithAndWithoutKey() async throws {
        try await withWorkspace("openai-attach") { ws in
            try ws.write("secret/key.txt", "attach-secret-value\n")
            let daemon = try await Daemon(arguments: ["--model-id", "gw-model", "--api-key-file", ws.path("secret/key.txt")],
                                          readyPath: "/health", workspace: ws)
            func manifest(apiKey: String?) -> String {
                """
                apiVersion: inference.selfhosted/v1
                kind: Instance
                metadata: {name: gateway}
                spec:
                  backend: openai_compatible
                  url: \(daemon.root)/v1
                  model: {identity: gw-model}
                  readiness: {timeout: 20s}
                \(apiKey.map { "  server: {apiKey: \($0)}" } ?? "")
                ---
                apiVersion: inference.selfhosted/v1
                kind: Consumer
                metadata: {name: client}
                spec: {instance: gateway}

                """
            }
            try ws.write("g.yaml", manifest(apiKey: nil))
            let refused = try await ws.inferctl("apply", ws.dir)
            #expect(refused.status == 1, "\(refused)")
            let failed = try ws.instanceStatus("gateway")
            #expect(failed.string("phase") == "Failed", "\(failed)")
            #expect(failed.string("message")?.contains("credentials") == true, "\(failed)")

            try ws.write("g.yaml", manifest(apiKey: "{file: ./secret/key.txt}"))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let status = try ws.instanceStatus("gateway")
            #expect(status.string("phase") == "Ready")
            #expect(status.string("endpoint.secret_headers.authorization.file") == ws.path("secret/key.txt"))
            for file in [ws.instanceStatusPath("gateway"), ws.consumerStatusPath("client"), ws.recordPath("gateway")] {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                #expect(!text.contains("attach-secret-value"), "secret leaked into \(file)")
            }
            #expect(!apply.output.contains("attach-secret-value"))
            let consumer = try ws.consumerStatus("client")
            #expect(consumer.bool("ready") == true, "\(consumer)")
        }
    }
}
