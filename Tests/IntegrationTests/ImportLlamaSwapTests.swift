import Foundation
import Testing

@Suite("inferctl import llama-swap", .serialized, .timeLimit(.minutes(3)))
struct ImportLlamaSwapTests {
    /// A config as llama-swap users write them: macros (one from the environment), a key by
    /// reference, a preloaded model, ttl, aliases, useModelName, legacy groups, a llama-server model
    /// and settings that have no counterpart. The simulator stands in for the servers it runs.
    static func config(simulator: String) -> String {
        """
        healthCheckTimeout: 30
        logLevel: info
        globalTTL: 300
        macros:
          "sim": "\(simulator) --host 127.0.0.1"
          "models": "${env.IMPORT_TEST_MODELS}"
        apiKeys:
          - "${env.IMPORT_TEST_KEY}"
        models:
          "Assistant:1B":
            cmd: |
              # the assistant answers everyone, always loaded
              ${sim} --port ${PORT}
              --model-id assistant-1b
            useModelName: assistant-1b
            checkEndpoint: /health
          "helper":
            cmd: ${sim} --port ${PORT} --model-id ${MODEL_ID}
            ttl: 60
            aliases: ["gpt-4o-mini"]
          "coder-7b":
            cmd: >
              llama-server --port ${PORT}
              -m ${models}/coder-7b.gguf -c 8192 -ngl 99 --jinja
            filters:
              stripParams: "temperature"
        groups:
          "resident":
            swap: false
            exclusive: false
            persistent: true
            members: ["Assistant:1B"]
          "swappers":
            swap: true
            exclusive: false
            members: ["helper", "coder-7b"]
        hooks:
          on_startup:
            preload: ["Assistant:1B"]

        """
    }

    @Test("a realistic config imports to manifests that validate and apply on the simulator; files are never overwritten without --force")
    func importValidateApply() async throws {
        try await withWorkspace("import-llama-swap") { ws in
            let simulator = try BuildProducts.executable("inference-sim").path
            // Kept outside the manifests: every *.yaml file under DIR is read as a manifest.
            let configFolder = NSTemporaryDirectory() + "inferctl-it-llama-swap-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: configFolder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: configFolder) }
            let configPath = configFolder + "/config.yaml"
            try Self.config(simulator: simulator).write(toFile: configPath, atomically: true, encoding: .utf8)
            let inside = ws.path("llama-swap.yaml")
            try Self.config(simulator: simulator).write(toFile: inside, atomically: true, encoding: .utf8)
            let refusedInside = try await Inferctl.run(["import", "llama-swap", inside, ws.dir])
            #expect(refusedInside.status == 1 && refusedInside.stderr.contains("is inside"), "\(refusedInside)")
            try ws.remove("llama-swap.yaml")
            let environment = ["IMPORT_TEST_MODELS": "/srv/models", "IMPORT_TEST_KEY": "sk-from-the-environment"]

            let imported = try await Inferctl.run(["import", "llama-swap", configPath, ws.dir], environment: environment)
            #expect(imported.status == 0, "\(imported)")
            #expect(imported.stderr.contains("config.yaml:2:1: warning: logLevel"), "\(imported)")
            #expect(imported.stderr.contains("config.yaml:25:5: warning: models.coder-7b.filters"), "\(imported)")
            for file in ["assistant-1b.instance.yaml", "helper.instance.yaml", "coder-7b.instance.yaml", "swappers.residencygroup.yaml"] {
                #expect(FileManager.default.fileExists(atPath: ws.path(file)), "\(file) missing: \(imported)")
            }
            let coder = try String(contentsOfFile: ws.path("coder-7b.instance.yaml"), encoding: .utf8)
            #expect(coder.contains("backend: llama_cpp") && coder.contains("/srv/models/coder-7b.gguf") && coder.contains("ctxSize: 8192"))
            let everything = try FileManager.default.contentsOfDirectory(atPath: ws.dir).filter { $0.hasSuffix(".yaml") }
                .map { try String(contentsOfFile: ws.path($0), encoding: .utf8) }.joined()
            #expect(!everything.contains("sk-from-the-environment"), "a key was copied into a manifest")

            let validate = try await Inferctl.run(["validate", ws.dir], environment: environment)
            #expect(validate.status == 0, "\(validate)")

            // Apply starts the preloaded model only; the others are on demand.
            let apply = try await Inferctl.run(["apply", ws.dir], environment: environment)
            #expect(apply.status == 0, "\(apply)")
            #expect(try ws.instanceStatus("assistant-1b").string("phase") == "Ready")
            #expect(Processes.running(inDirectory: ws.dir).count == 1)

            // A consumer of the on-demand helper gets it through ensure, model name included.
            try ws.write("helper-app.yaml", consumerYAML("helper-app", instance: "helper"))
            let ensured = try await Inferctl.run(["ensure", "helper-app", ws.dir, "--owner", "test", "-o", "json"], environment: environment)
            let endpoint = try LeaseTests.ensured(ensured)
            #expect(endpoint.string("endpoint.model_identity") == "helper", "\(ensured)")
            let models = try await httpGet(try #require(endpoint.string("endpoint.base_url")) + "/models")
            #expect(models.status == 200 && models.body.contains("helper"), "\(models)")

            // Importing again refuses to overwrite and changes nothing; --force replaces.
            let before = try String(contentsOfFile: ws.path("helper.instance.yaml"), encoding: .utf8)
            try "# edited by hand\n".appending(before).write(toFile: ws.path("helper.instance.yaml"), atomically: true, encoding: .utf8)
            let again = try await Inferctl.run(["import", "llama-swap", configPath, ws.dir], environment: environment)
            #expect(again.status == 1 && again.stderr.contains("helper.instance.yaml: exists; not overwritten"), "\(again)")
            #expect(try String(contentsOfFile: ws.path("helper.instance.yaml"), encoding: .utf8).hasPrefix("# edited by hand"))
            let forced = try await Inferctl.run(["import", "llama-swap", configPath, ws.dir, "--force"], environment: environment)
            #expect(forced.status == 0, "\(forced)")
            #expect(try String(contentsOfFile: ws.path("helper.instance.yaml"), encoding: .utf8) == before)
            _ = try await Inferctl.run(["down", ws.dir], environment: environment)
        }
    }

    @Test("a config with errors writes nothing and names each problem's line")
    func errorsWriteNothing() async throws {
        try await withWorkspace("import-llama-swap-errors") { ws in
            let configPath = ws.path("bad.yaml")
            try """
            models:
              a:
                cmd: llama-server --port ${PORT} -m ${env.SURELY_NOT_SET_ANYWHERE}/a.gguf
              b:
                cmd: llama-server --port ${PORT} -m ${undefined}/b.gguf

            """.write(toFile: configPath, atomically: true, encoding: .utf8)
            let target = ws.path("out")
            let result = try await Inferctl.run(["import", "llama-swap", configPath, target])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("bad.yaml:3:10: error: models.a.cmd: environment variable SURELY_NOT_SET_ANYWHERE is not set"), "\(result)")
            #expect(result.stderr.contains("bad.yaml:5:10: error: models.b.cmd: unknown macro ${undefined}"), "\(result)")
            #expect(!FileManager.default.fileExists(atPath: target), "something was written")
            let missing = try await Inferctl.run(["import", "llama-swap", ws.path("nope.yaml"), target])
            #expect(missing.status == 1 && missing.stderr.contains("nope.yaml: cannot be read"), "\(missing)")
        }
    }
}
