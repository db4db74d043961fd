import Testing
@testable import InferenceSimulator

@Suite("Flag value parsing")
struct ParsingTests {
    @Test(arguments: [
        ("0", Duration.zero), ("500ms", .milliseconds(500)), ("2s", .seconds(2)), ("1m", .seconds(60)),
        ("1h30m", .seconds(5400)), ("1.5s", .milliseconds(1500)), ("3", .seconds(3)), ("-1m", .seconds(-60)),
    ])
    func durations(text: String, expected: Duration) throws {
        #expect(try DurationParsing.parse(text) == expected)
    }

    @Test(arguments: ["", "5x", "ms", "1h30", "--2s"])
    func invalidDurations(text: String) {
        #expect(throws: DurationParsing.InvalidDuration.self) { try DurationParsing.parse(text) }
    }

    @Test func durationFormatting() {
        #expect(DurationParsing.format(.zero) == "0s")
        #expect(DurationParsing.format(.milliseconds(500)) == "500ms")
        #expect(DurationParsing.format(.seconds(5400)) == "1h30m")
        #expect(DurationParsing.format(.milliseconds(2500)) == "2.5s")
    }

    @Test func ollamaModelSpecs() {
        #expect(OllamaModelSpec(parsing: "llama3.2") == OllamaModelSpec(name: "llama3.2", capabilities: ["completion"]))
        #expect(OllamaModelSpec(parsing: "llama3.2=completion,tools")?.capabilities == ["completion", "tools"])
        #expect(OllamaModelSpec(parsing: "=tools") == nil)
        #expect(OllamaModelSpec(parsing: "x=") == nil)
    }

    @Test func ollamaNamesCompareTheOllamaWay() throws {
        let short = try #require(OllamaModelName("llama3.2"))
        #expect(short.displayName == "llama3.2:latest")
        #expect(OllamaModelName("llama3.2:latest") == short)
        #expect(OllamaModelName("Llama3.2") == short)
        #expect(OllamaModelName("library/llama3.2") == short)
        #expect(OllamaModelName("registry.ollama.ai/library/llama3.2:latest") == short)
        #expect(OllamaModelName("llama3.2:1b") != short)
        #expect(OllamaModelName("localhost:5000/me/model")?.displayName == "localhost:5000/me/model:latest")
        #expect(OllamaModelName("model:") == nil)
    }

    @Test func flagsBecomeOptions() throws {
        let flags = try SimulatorFlags.parse([
            "--port", "0", "--load-delay", "1h30m", "--crash-after", "2s", "--ollama",
            "--ollama-model", "llama3.2=completion,tools", "--ollama-loaded", "qwen3",
        ])
        let options = try flags.makeOptions()
        #expect(options.port == 0)
        #expect(options.loadDelay == .seconds(5400))
        #expect(options.crashAfter == .seconds(2))
        #expect(options.mode == .ollama)
        #expect(options.ollamaModels == [OllamaModelSpec(name: "llama3.2", capabilities: ["completion", "tools"])])
        #expect(options.ollamaLoaded == ["qwen3"])
        #expect(options.modelID == "sim-model")
        #expect(options.host == "127.0.0.1")
    }
}
