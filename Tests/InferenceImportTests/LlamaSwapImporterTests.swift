import Testing
import InferenceModel
@testable import InferenceImport
@testable import InferenceManifests

@Suite struct LlamaSwapImporterTests {
    let importer = LlamaSwapImporter(file: "config.yaml", configDirectory: "/srv/llama",
                                     environment: ["HOME": "/home/ada", "GPU": "1"])

    func convert(_ text: String) -> ImportResult { importer.convert(text) }

    func manifest(_ result: ImportResult, _ file: String) -> String {
        result.manifests.first { $0.fileName == file }?.text ?? "(no \(file))"
    }

    /// Each imported manifest, loaded as `inferctl validate` would: no error.
    func loads(_ result: ImportResult) -> ManifestLoadResult {
        var all = ManifestLoadResult()
        for manifest in result.manifests {
            let one = ManifestLoader.load(yaml: manifest.text, file: manifest.fileName, baseDirectory: "/srv/manifests")
            all.state.instances += one.state.instances
            all.state.residencyGroups += one.state.residencyGroups
            all.diagnostics += one.diagnostics
        }
        return all
    }

    @Test func llamaServerFlagsBecomeFieldsAndTheRestStaysInOrder() {
        let result = convert("""
        macros:
          "llama": llama-server --port ${PORT}
          "ctx": 4096
        models:
          "Qwen2.5:7B":
            cmd: |
              # a comment line is dropped
              ${llama}
              -m ${env.HOME}/models/qwen.gguf
              --ctx-size ${ctx} -ngl 99 --flash-attn on \\
              --temp 0.2 --top-k 40 --jinja
            ttl: 600
        """)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.rendered))")
        let text = manifest(result, "qwen2-5-7b.instance.yaml")
        #expect(text.contains("name: qwen2-5-7b"))
        #expect(text.contains("llama-swap/model-id: \"Qwen2.5:7B\"") || text.contains("llama-swap/model-id: Qwen2.5:7B"))
        #expect(text.contains("backend: llama_cpp"))
        #expect(text.contains("/home/ada/models/qwen.gguf"))
        #expect(text.contains("port: auto"))
        #expect(text.contains("ctxSize: 4096"))
        #expect(text.contains("gpuLayers: all"))
        #expect(text.contains("flashAttn: true"))
        #expect(text.contains("- --jinja"), "\(text)")
        #expect(text.contains("activation: {mode: OnDemand, idleTimeout: 600s}"))
        let loaded = loads(result)
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.map(\.rendered))")
        let spec = loaded.state.instances.first?.spec
        #expect(spec?.server.extraArgs == ["--temp", "0.2", "--top-k", "40", "--jinja"])
        #expect(spec?.model.identity == "Qwen2.5:7B")
    }

    @Test func aCommandThatIsNotLlamaServerIsSpawnedAsOpenAICompatibleWithItsPortPlaceholder() {
        let result = convert("""
        models:
          vllm-qwen:
            cmd: vllm serve Qwen/Qwen2.5-7B --port ${PORT} --served-model-name qwen
            useModelName: qwen
            checkEndpoint: /v1/models
        hooks: {on_startup: {preload: [vllm-qwen]}}
        """)
        #expect(!result.hasErrors)
        let loaded = loads(result)
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.map(\.rendered))")
        let spec = loaded.state.instances.first?.spec
        #expect(spec?.backend == "openai_compatible")
        #expect(spec?.command == ["vllm", "serve", "Qwen/Qwen2.5-7B", "--port", "{port}", "--served-model-name", "qwen"])
        #expect(spec?.model.identity == "qwen")
        #expect(spec?.readiness.path == "/v1/models")
        #expect(spec?.activation.mode == .always)
    }

    @Test func secretsAreNeverCopiedInClear() {
        let result = convert("""
        apiKeys: ["sk-hunter2", "sk-other"]
        models:
          a:
            cmd: llama-server --port ${PORT} -m /m/a.gguf --api-key sk-inline
            env: ["HF_TOKEN=hf_abc", "CUDA_VISIBLE_DEVICES=${env.GPU}", "OPENAI_API_KEY=${env.MY_KEY}"]
          b:
            cmd: llama-server --port ${PORT} -m /m/b.gguf
        """)
        #expect(!result.hasErrors)
        let all = result.manifests.map(\.text).joined()
        for secret in ["sk-hunter2", "sk-other", "sk-inline", "hf_abc"] { #expect(!all.contains(secret), "\(secret) leaked") }
        let loaded = loads(result)
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.map(\.rendered))")
        let a = loaded.state.instances.first { $0.name == "a" }?.spec
        #expect(a?.server.apiKey == .environment("LLAMA_API_KEY"))
        #expect(a?.server.env["HF_TOKEN"] == .secret(.environment("HF_TOKEN")))
        #expect(a?.server.env["OPENAI_API_KEY"] == .secret(.environment("MY_KEY")))
        #expect(a?.server.env["CUDA_VISIBLE_DEVICES"] == .secret(.environment("GPU")), "exactly ${env.X} stays a reference, read at launch")
        let b = loaded.state.instances.first { $0.name == "b" }?.spec
        #expect(b?.server.apiKey == .environment("LLAMA_SWAP_API_KEY"))
        let warnings = result.diagnostics.map(\.rendered)
        #expect(warnings.contains { $0.hasPrefix("config.yaml:1:") && $0.contains("LLAMA_SWAP_API_KEY") })
        #expect(warnings.contains { $0.contains("only the first key") })
        #expect(warnings.contains { $0.contains("HF_TOKEN is not copied") })
    }

    @Test func withoutGroupsEveryModelSwapsWithEveryOtherOneAsInLlamaSwap() {
        let result = convert("""
        models:
          a: {cmd: "llama-server --port ${PORT} -m /m/a.gguf"}
          b: {cmd: "llama-server --port ${PORT} -m /m/b.gguf"}
        """)
        let groups = result.manifests.filter { $0.kind == "ResidencyGroup" }
        #expect(groups.map(\.name) == ["swap"])
        #expect(groups.first?.text.contains("maxRunning: 1") == true)
        let loaded = loads(result)
        #expect(!loaded.diagnostics.hasErrors, "\(loaded.diagnostics.map(\.rendered))")
        #expect(loaded.state.residencyGroups.first?.spec.selector == ["residency.swap": "member"])
        #expect(loaded.state.instances.allSatisfy { $0.metadata.labels["residency.swap"] == "member" })
    }

    @Test func legacyGroupsKeepTheirNamesAndNonSwappingGroupsRunTogether() {
        let result = convert("""
        models:
          a: {cmd: "llama-server --port ${PORT} -m /m/a.gguf"}
          b: {cmd: "llama-server --port ${PORT} -m /m/b.gguf"}
          c: {cmd: "llama-server --port ${PORT} -m /m/c.gguf"}
          d: {cmd: "llama-server --port ${PORT} -m /m/d.gguf"}
        groups:
          coders:
            swap: true
            exclusive: false
            members: [a, b]
          always-on:
            swap: false
            exclusive: false
            persistent: true
            members: [c, d]
        """)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.rendered))")
        let groups = result.manifests.filter { $0.kind == "ResidencyGroup" }
        #expect(groups.map(\.name) == ["coders"])
        #expect(groups.first?.summary == "maxRunning 1: a, b")
    }

    @Test func matrixSetsBecomeGroupsOfModelsThatNeverRunTogether() {
        let result = convert("""
        models:
          gemma: {cmd: "llama-server --port ${PORT} -m /m/g.gguf"}
          qwen: {cmd: "llama-server --port ${PORT} -m /m/q.gguf"}
          voice: {cmd: "llama-server --port ${PORT} -m /m/v.gguf"}
          big: {cmd: "llama-server --port ${PORT} -m /m/big.gguf"}
        matrix:
          vars: {g: gemma, q: qwen, v: voice, L: big}
          evict_costs: {L: 30}
          sets:
            standard: "(g | q) & v"
            full: "L"
        """)
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.rendered))")
        let groups = result.manifests.filter { $0.kind == "ResidencyGroup" }.map(\.summary)
        // gemma/qwen exclude each other and big; voice excludes big only.
        #expect(groups == ["maxRunning 1: gemma, qwen, big", "maxRunning 1: voice, big"], "\(groups)")
        #expect(result.diagnostics.contains { $0.fieldPath == "matrix.evict_costs" && $0.severity == .warning })
        #expect(!loads(result).diagnostics.hasErrors)
    }

    @Test func matrixExpressionsExpandToCombinations() throws {
        let sets = ["llms": "g | q"]
        #expect(try MatrixExpression.combinations("(a | b) & (c | d)", sets: [:]) == [["a", "c"], ["a", "d"], ["b", "c"], ["b", "d"]])
        #expect(try MatrixExpression.combinations("+llms & v", sets: sets) == [["g", "v"], ["q", "v"]])
        #expect(throws: MatrixExpression.Problem.self) { try MatrixExpression.combinations("(a | b", sets: [:]) }
        #expect(throws: MatrixExpression.Problem.self) { try MatrixExpression.combinations("+self", sets: ["self": "+self"], seen: ["self"]) }
    }

    @Test func problemsNameTheirLineAndNothingIsProducedOnError() {
        let result = convert("""
        models:
          a:
            cmd: llama-server --port ${PORT} -m ${env.NOT_SET}/a.gguf
          b:
            cmd: llama-server --port ${PORT} -m ${nope}/b.gguf
          c:
            proxy: http://127.0.0.1:9000
            cmd: 'python serve.py "unclosed'
        """)
        let errors = result.diagnostics.errors.map(\.rendered)
        #expect(errors.contains { $0.hasPrefix("config.yaml:3:10:") && $0.contains("NOT_SET is not set") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("config.yaml:5:10:") && $0.contains("unknown macro ${nope}") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("config.yaml:8:10:") && $0.contains("quote") }, "\(errors)")
    }

    @Test func unmappedSettingsAreWarningsWithTheirLines() {
        let result = convert("""
        logLevel: debug
        sendLoadingState: true
        models:
          a:
            cmd: llama-server --port ${PORT} -m /m/a.gguf
            filters: {stripParams: "temperature"}
            concurrencyLimit: 4
            cmdStop: kill ${PID}
            mystery: 1
        """)
        let warnings = Dictionary(result.diagnostics.filter { $0.severity == .warning }.map { ($0.fieldPath, $0.location.line) },
                                  uniquingKeysWith: { first, _ in first })
        #expect(warnings["logLevel"] == 1)
        #expect(warnings["sendLoadingState"] == 2)
        #expect(warnings["models.a.filters"] == 6)
        #expect(warnings["models.a.concurrencyLimit"] == 7)
        #expect(warnings["models.a.cmdStop"] == 8)
        #expect(warnings["models.a.mystery"] == 9)
    }

    @Test func namesBecomeUniqueDNSLabels() {
        var book = NameBook()
        #expect(book.name(for: "Qwen2.5-Coder:7B", fallback: "m") == "qwen2-5-coder-7b")
        #expect(book.name(for: "qwen2.5 coder 7b", fallback: "m") == "qwen2-5-coder-7b-2")
        #expect(book.name(for: "::", fallback: "model") == "model")
        #expect(book.name(for: String(repeating: "x", count: 80), fallback: "m").count == 63)
    }

    @Test func commandWordsFollowShellQuoting() throws {
        #expect(try CommandWords.split("a 'b c' \"d \\\"e\\\"\" f\\ g") == ["a", "b c", "d \"e\"", "f g"])
        #expect(try CommandWords.split("a \\\n  # comment\n  b") == ["a", "b"])
    }

    @Test func writtenScalarsReadBackAsTheSameStrings() {
        for text in ["--port", "- x", "yes", "0.2", "{port}:8080", "a: b", "#x", "", " lead", "é", "line\nbreak", "null", "1e3"] {
            let document = ManifestYAML.map([("k", .string(text))]).rendered()
            let read = PlainYAML.documents(document, file: "t.yaml")
            #expect(read.documents.first?["k"]?.text == text, "\(text) -> \(document)")
            if case .scalar(_, let isPlain)? = read.documents.first?["k"]?.content, isPlain {
                #expect(Double(text) == nil && !["yes", "null"].contains(text), "\(text) must be quoted")
            }
        }
    }
}
