import ArgumentParser

/// `inference-sim`: a small OpenAI-compatible server for quickstarts and integration tests.
public struct SimulatorCommand: AsyncParsableCommand {
    public static let abstract = "A fake llama-server / Ollama that answers OpenAI-compatible requests deterministically."

    public static let discussion = """
        inference-sim imitates llama.cpp's llama-server (default) or the Ollama daemon \
        (--ollama) closely enough for supervisors and clients to be tested without a GPU \
        or model files. Replies are derived from the input ("Simulated reply to: ..."), \
        so the same request always gets the same text.

        Lifecycle simulation: the port accepts connections immediately, GET /health answers \
        503 while --load-delay runs, then 200; the line "listening on http://HOST:PORT" is \
        logged once ready. --exit-before-ready, --crash-after and --ignore-sigterm inject \
        start-up failures, crashes (exit 70) and stuck shutdowns; --hang-generation(-after N) \
        hangs completions while /health still answers. SIGTERM/SIGINT otherwise \
        stop the server gracefully with exit status 0.

        Endpoints (llama-server mode): GET /health, GET /props, GET /v1/models, \
        POST /v1/chat/completions, POST /v1/completions (both with "stream": true as SSE).
        Endpoints (Ollama mode): GET /, /api/version, /api/tags, /api/ps; POST /api/show, \
        /api/pull, /api/generate, /api/chat; DELETE /api/delete; and the /v1/* endpoints.
        Logs go to stdout, one flushed line at a time. See docs/inference-sim.md.
        """

    public static let configuration = CommandConfiguration(
        commandName: "inference-sim",
        abstract: abstract,
        discussion: discussion
    )

    @OptionGroup public var flags: SimulatorFlags

    public init() {}

    public func run() async throws {
        try await runSimulator(flags.makeOptions())
    }
}
