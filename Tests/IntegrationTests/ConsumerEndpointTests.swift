import Foundation
import Testing

/// Consumers resolved against real simulated servers, and `inferctl endpoint` as a script uses it.
@Suite("consumer endpoints", .serialized, .timeLimit(.minutes(3)))
struct ConsumerEndpointTests {
    /// A simulated instance with labels, for selectors.
    static func labelled(_ instance: SimInstance, _ labels: String) -> String {
        instance.yaml.replacingOccurrences(of: "metadata: {name: \(instance.name)}",
                                           with: "metadata: {name: \(instance.name), labels: \(labels)}")
    }

    static func selectorConsumerYAML(_ name: String, selector: String, required: String = "{streaming: true}") -> String {
        """
        apiVersion: inference.selfhosted/v1
        kind: Consumer
        metadata: {name: \(name)}
        spec:
          selector: \(selector)
          requiredCapabilities: \(required)

        """
    }

    static func object(_ text: String) throws -> JSONObject {
        JSONObject(try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not a JSON object: \(text)"))
    }

    @Test("two consumers share one instance: one server, the same endpoint for both, from the status files and from `endpoint`")
    func sharedInstance() async throws {
        try await withWorkspace("endpoint-shared") { ws in
            try ws.write("shared.yaml", documents(SimInstance(name: "shared").yaml, consumerYAML("writer", instance: "shared"),
                                                  consumerYAML("reviewer", instance: "shared")))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let baseURL = try #require(try ws.instanceStatus("shared").string("endpoint.base_url"))
            #expect(Processes.running(inDirectory: ws.dir).count == 1, "one server for both consumers")

            for name in ["writer", "reviewer"] {
                let status = try ws.consumerStatus(name)
                #expect(status.bool("ready") == true && status.string("reason") == "Ready", "\(status)")
                #expect(status.string("instance") == "shared")
                #expect(status.string("endpoint.base_url") == baseURL)
                let json = try await ws.inferctl("endpoint", name, ws.dir, "-o", "json")
                #expect(json.status == 0, "\(json)")
                let endpoint = try Self.object(json.stdout)
                #expect(endpoint.string("base_url") == baseURL && endpoint.string("model_identity") == "sim-model", "\(endpoint)")
            }

            let text = try await ws.inferctl("endpoint", "writer", ws.dir)
            #expect(text.status == 0, "\(text)")
            for expected in [baseURL, "sim-model", "openai_chat_completions", "shared"] {
                #expect(text.stdout.contains(expected), "no \(expected) in \(text)")
            }
            let env = try await ws.inferctl("endpoint", "writer", ws.dir, "--env")
            #expect(env.status == 0, "\(env)")
            #expect(env.stdout == "export OPENAI_BASE_URL='\(baseURL)'\nexport OPENAI_MODEL='sim-model'\n", "no key without server.apiKey: \(env)")

            let unknown = try await ws.inferctl("endpoint", "writr", ws.dir)
            #expect(unknown.status == 1 && unknown.stdout.isEmpty, "\(unknown)")
            #expect(unknown.stderr.contains("no consumer named 'writr'") && unknown.stderr.contains("did you mean 'writer'?"), "\(unknown)")
            let both = try await ws.inferctl("endpoint", "writer", ws.dir, "--env", "-o", "json")
            #expect(both.status != 0 && both.stdout.isEmpty, "\(both)")

            try ws.write("broken.yaml", "kind: [")
            let invalid = try await ws.inferctl("endpoint", "writer", ws.dir)
            #expect(invalid.status == 1 && invalid.stdout.isEmpty, "\(invalid)")
            #expect(invalid.stderr.contains("broken.yaml"), "\(invalid)")
            try ws.remove("broken.yaml")
        }
    }

    @Test("a selector chooses the ready instance among those it matches; a dead server is not handed out, even by a stale status file")
    func selectorChooses() async throws {
        try await withWorkspace("endpoint-selector") { ws in
            try ws.write("instances.yaml", documents(
                Self.labelled(SimInstance(name: "a-broken", extraArgs: ["--exit-before-ready", "3"]), "{tier: small}"),
                Self.labelled(SimInstance(name: "b"), "{tier: small}"),
                Self.labelled(SimInstance(name: "c"), "{tier: large}")))
            try ws.write("consumers.yaml", documents(Self.selectorConsumerYAML("small-agent", selector: "{tier: small}"),
                                                     Self.selectorConsumerYAML("large-agent", selector: "{tier: large}")))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "a-broken fails: \(apply)")
            #expect(try ws.instanceStatus("a-broken").string("phase") == "Failed")

            for (consumer, instance) in [("small-agent", "b"), ("large-agent", "c")] {
                let status = try ws.consumerStatus(consumer)
                let expected = try ws.instanceStatus(instance).string("endpoint.base_url")
                #expect(status.string("instance") == instance && status.string("reason") == "Ready", "\(status)")
                #expect(status.string("endpoint.base_url") == expected, "\(status)")
                let json = try await ws.inferctl("endpoint", consumer, ws.dir, "-o", "json")
                #expect(json.status == 0, "\(json)")
                #expect(try Self.object(json.stdout).string("base_url") == expected, "\(json)")
            }

            // No controller runs: the status file still says b is ready, but `endpoint` looks at the process.
            let b = try ws.pid("b")
            kill(b, SIGKILL)
            try await eventually("b to die") { !Processes.isAlive(b) }
            let dead = try await ws.inferctl("endpoint", "small-agent", ws.dir)
            #expect(dead.status == 1 && dead.stdout.isEmpty, "\(dead)")
            #expect(dead.stderr.contains("error: consumer small-agent is not ready (InstanceUnhealthy): "), "\(dead)")
            let large = try await ws.inferctl("endpoint", "large-agent", ws.dir)
            #expect(large.status == 0, "c still serves: \(large)")
        }
    }

    @Test("an incompatible consumer: every missing requirement in its status and on `endpoint`'s stderr, no endpoint, exit 1")
    func incompatibleConsumer() async throws {
        try await withWorkspace("endpoint-incompatible") { ws in
            let daemon = try await Daemon.ollama(models: ["llama3.2=completion,tools"], loaded: ["llama3.2"], workspace: ws)
            try ws.write("o.yaml", documents(
                ollamaInstanceYAML("llama", root: daemon.root, model: "llama3.2"),
                """
                apiVersion: inference.selfhosted/v1
                kind: Consumer
                metadata: {name: seer}
                spec:
                  instance: llama
                  requiredCapabilities: {streaming: true, vision: true, thinking: true, embeddings: true}

                """))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            #expect(try ws.instanceStatus("llama").string("phase") == "Ready")

            let status = try ws.consumerStatus("seer")
            #expect(status.bool("ready") == false && status.string("reason") == "Incompatible", "\(status)")
            #expect(!status.has("endpoint"), "\(status)")
            let gaps = status.objects("compatibility.missing_requirements")
            #expect(Set(gaps.compactMap { $0.string("requirement") }).count == 3, "\(gaps)")
            let endpoint = try await ws.inferctl("endpoint", "seer", ws.dir)
            #expect(endpoint.status == 1 && endpoint.stdout.isEmpty, "\(endpoint)")
            #expect(endpoint.stderr.hasPrefix("error: consumer seer is not ready (Incompatible): incompatible with instance llama: "),
                    "\(endpoint)")
            for capability in ["vision", "thinking", "embeddings"] {
                #expect(gaps.contains { $0.string("requirement")?.contains(capability) == true }, "\(capability) not listed: \(gaps)")
                #expect(endpoint.stderr.contains(capability), "\(capability) not named: \(endpoint)")
            }
        }
    }

    @Test("`endpoint --env` is eval'd by /bin/sh into the right variables, the API key included and usable")
    func environmentForEval() async throws {
        try await withWorkspace("endpoint-env") { ws in
            // Quotes, a dollar and a backquote: a shell must take the key literally.
            let secret = "sk-it '\(UUID().uuidString.prefix(8))' $HOME `id`"
            try ws.write("alpha.yaml", documents(SimInstance(name: "alpha", serverLines: ["apiKey: {env: IT_ENDPOINT_KEY}"]).yaml,
                                                 consumerYAML("agent", instance: "alpha")))
            let environment = ["IT_ENDPOINT_KEY": secret]
            let apply = try await Inferctl.run(["apply", ws.dir], environment: environment)
            #expect(apply.status == 0, "\(apply)")
            let baseURL = try #require(try ws.instanceStatus("alpha").string("endpoint.base_url"))

            let env = try await Inferctl.run(["endpoint", "agent", ws.dir, "--env"], environment: environment)
            #expect(env.status == 0 && env.stderr.isEmpty, "\(env)")
            let script = #"eval "$1"; printf '%s\n' "$OPENAI_BASE_URL" "$OPENAI_MODEL" "$OPENAI_API_KEY""#
            let shell = try await RunningCommand(executable: URL(fileURLWithPath: "/bin/sh"),
                                                 arguments: ["-c", script, "sh", env.stdout]).finish()
            #expect(shell.status == 0, "\(shell)")
            #expect(shell.stdout == "\(baseURL)\nsim-model\n\(secret)\n", "\(shell)")
            #expect(try await httpGet(baseURL + "/models", headers: ["Authorization": "Bearer \(secret)"]).status == 200)

            // Without the secret nothing is printed: half an environment would send requests without a key.
            let missing = try await ws.inferctl("endpoint", "agent", ws.dir, "--env")
            #expect(missing.status == 1 && missing.stdout.isEmpty, "\(missing)")
            #expect(missing.stderr.contains("env:IT_ENDPOINT_KEY"), "\(missing)")
            // The text and JSON forms name the key by reference only.
            let text = try await Inferctl.run(["endpoint", "agent", ws.dir], environment: environment)
            #expect(text.status == 0 && !text.output.contains(secret) && text.stdout.contains("env:IT_ENDPOINT_KEY"), "\(text)")
        }
    }
}
