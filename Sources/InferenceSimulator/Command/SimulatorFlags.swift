import ArgumentParser
import Foundation

/// The simulator's command-line flags, reusable by any command via `@OptionGroup`
/// (the `inference-sim` executable and a hidden `inferctl sim` both embed them).
public struct SimulatorFlags: ParsableArguments, Sendable {
    @Option(help: "Address to listen on.")
    public var host: String = "127.0.0.1"

    @Option(help: "Port to listen on; 0 lets the OS pick (the log shows the actual port).")
    public var port: Int = 8080

    @Option(help: ArgumentHelp("Model id listed by /v1/models and echoed in responses.", valueName: "id"))
    public var modelID: String = "sim-model"

    @Option(
        help: ArgumentHelp(
            "Time the simulated model takes to load (e.g. 500ms, 2s, 1m, 1h30m).",
            discussion: "The port accepts connections at once; /health and /v1/* answer 503 until then.",
            valueName: "duration"
        )
    )
    public var loadDelay: SimulatorDurationArgument = .init(.zero)

    @Option(help: ArgumentHelp("File holding the API key required as 'Authorization: Bearer KEY' on /v1/*.", valueName: "path"))
    public var apiKeyFile: String?

    @Option(help: ArgumentHelp("Simulate a crash (exit status 70, no cleanup) this long after start.", valueName: "duration"))
    public var crashAfter: SimulatorDurationArgument?

    @Option(help: ArgumentHelp("Fail to load the model and exit with this status before ever becoming ready.", valueName: "code"))
    public var exitBeforeReady: Int32?

    @Flag(help: "Ignore SIGTERM and SIGINT, so that only SIGKILL stops the process.")
    public var ignoreSigterm: Bool = false

    @Flag(help: ArgumentHelp(
        "Hang every completion: /health and /v1/models still answer, generation never does.",
        discussion: "A streamed completion gets its headers and role chunk, then nothing; any other gets no answer."
    ))
    public var hangGeneration: Bool = false

    @Option(help: ArgumentHelp("Answer the first N completions, then hang every later one (as --hang-generation).",
                               valueName: "n"))
    public var hangGenerationAfter: Int?

    @Flag(help: "Imitate the Ollama daemon API instead of llama.cpp's llama-server.")
    public var ollama: Bool = false

    @Option(help: ArgumentHelp(
        "Ollama mode: a model installed at start, as NAME[=cap1,cap2] (default capability: completion). Repeatable.",
        valueName: "name"
    ))
    public var ollamaModel: [String] = []

    @Option(help: ArgumentHelp("Ollama mode: a model loaded at start (installed if needed). Repeatable.", valueName: "name"))
    public var ollamaLoaded: [String] = []

    @Option(help: ArgumentHelp("Ollama mode: version reported by /api/version.", valueName: "version"))
    public var ollamaVersion: String = "0.12.3"

    public init() {}

    public func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535.")
        }
        if let exitBeforeReady, !(0...255).contains(exitBeforeReady) {
            throw ValidationError("--exit-before-ready must be between 0 and 255.")
        }
        if let hangGenerationAfter, hangGenerationAfter < 0 {
            throw ValidationError("--hang-generation-after must be 0 or more.")
        }
        if hangGeneration, hangGenerationAfter != nil {
            throw ValidationError("--hang-generation and --hang-generation-after exclude each other.")
        }
        for spec in ollamaModel where OllamaModelSpec(parsing: spec) == nil {
            throw ValidationError("Invalid --ollama-model '\(spec)'; expected NAME or NAME=cap1,cap2.")
        }
    }

    /// Resolves the flags into options, reading the API key file.
    public func makeOptions() throws -> SimulatorOptions {
        var apiKey: String?
        if let apiKeyFile {
            let contents: String
            do {
                contents = try String(contentsOfFile: apiKeyFile, encoding: .utf8)
            } catch {
                throw ValidationError("Cannot read --api-key-file '\(apiKeyFile)': \(error.localizedDescription)")
            }
            apiKey = contents.trimmingCharacters(in: .whitespacesAndNewlines)
            guard apiKey?.isEmpty == false else {
                throw ValidationError("--api-key-file '\(apiKeyFile)' is empty.")
            }
        }
        // The controller hands a key referenced as {env: NAME} through this variable, never argv.
        if apiKey == nil, let fromEnvironment = ProcessInfo.processInfo.environment["INFERENCE_SIM_API_KEY"],
           !fromEnvironment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            apiKey = fromEnvironment.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return SimulatorOptions(
            host: host,
            port: port,
            modelID: modelID,
            loadDelay: loadDelay.duration,
            apiKey: apiKey,
            crashAfter: crashAfter?.duration,
            exitBeforeReady: exitBeforeReady,
            ignoreSigterm: ignoreSigterm,
            hangGenerationAfter: hangGeneration ? 0 : hangGenerationAfter,
            mode: ollama ? .ollama : .llamaServer,
            ollamaModels: ollamaModel.compactMap(OllamaModelSpec.init(parsing:)),
            ollamaLoaded: ollamaLoaded,
            ollamaVersion: ollamaVersion
        )
    }
}
