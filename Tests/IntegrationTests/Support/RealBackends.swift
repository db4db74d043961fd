import Foundation
import Testing

/// The real llama-server, models and Python client that `scripts/fetch-real-backends.sh` provides, from
/// its environment file's variables (`INFERCTL_LLAMA_SERVER`, `INFERCTL_TEST_MODEL`,
/// `INFERCTL_TEST_BROKEN_MODEL`, `INFERCTL_TEST_PYTHON`) or else from its cache.
///
/// Without them the real tests skip, naming the script; with `INFERCTL_REQUIRE_REAL_BACKENDS=1` (CI) a
/// missing or broken piece fails them instead, saying which and why.
struct RealBackends: Sendable {
    let llamaServer: String
    /// Gemma 3 270M Q4_K_M: a model that loads and answers.
    let model: String
    /// A vocabulary-only GGUF from llama.cpp's tree: llama-server exits at once, failing to load it.
    let brokenModel: String
    /// A Python with PyPI's `openai` package.
    let python: String

    static let skipReason: Comment = """
        no real llama-server, model or openai client here: run scripts/fetch-real-backends.sh, then \
        source the file it names (INFERCTL_REQUIRE_REAL_BACKENDS=1 turns this skip into a failure)
        """

    static let environment = ProcessInfo.processInfo.environment
    static var required: Bool { environment["INFERCTL_REQUIRE_REAL_BACKENDS"] == "1" }

    /// Whether the real tests run: always when required (a missing backend then fails them), else when all is here.
    static var shouldRun: Bool { required || (try? found.get()) != nil }

    /// The backends, or an error that says what is missing and how to get it.
    static func require() throws -> RealBackends { try found.get() }

    static let found: Result<RealBackends, Unavailable> = {
        let cache = environment["INFERCTL_REAL_BACKENDS_CACHE"]
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.cache/selfhosted-inference-core"
        let llamaDirectory = newest(in: cache, prefix: "llama.cpp-").map { cache + "/" + $0 }
        let server = environment["INFERCTL_LLAMA_SERVER"] ?? llamaDirectory.map { $0 + "/bin/llama-server" }
        let model = environment["INFERCTL_TEST_MODEL"]
            ?? newest(in: cache + "/models", prefix: "gemma-3-270m-q4_k_m").map { cache + "/models/" + $0 }
        let broken = environment["INFERCTL_TEST_BROKEN_MODEL"] ?? llamaDirectory.map { $0 + "/models/ggml-vocab-llama-spm.gguf" }
        let python = environment["INFERCTL_TEST_PYTHON"] ?? cache + "/python-openai/bin/python"

        var problems: [String] = []
        if let server {
            if let failure = versionFailure(server) { problems.append("llama-server \(server) does not run: \(failure)") }
        } else {
            problems.append("no llama-server (INFERCTL_LLAMA_SERVER, or \(cache)/llama.cpp-*/bin/llama-server)")
        }
        for (what, variable, path) in [("model", "INFERCTL_TEST_MODEL", model), ("vocabulary-only model", "INFERCTL_TEST_BROKEN_MODEL", broken)]
        where path.map(FileManager.default.fileExists) != true {
            problems.append("no \(what) (\(path ?? variable))")
        }
        if !FileManager.default.isExecutableFile(atPath: python) { problems.append("no Python with openai (\(python))") }
        guard problems.isEmpty, let server, let model, let broken else {
            return .failure(Unavailable(problems: problems))
        }
        return .success(RealBackends(llamaServer: server, model: model, brokenModel: broken, python: python))
    }()

    struct Unavailable: Error, CustomStringConvertible {
        let problems: [String]
        var description: String {
            "real backends unavailable: " + problems.joined(separator: "; ")
                + ". Run scripts/fetch-real-backends.sh and source the file it names."
        }
    }

    /// The last entry (by name) of `directory` starting with `prefix`: the newest version.
    static func newest(in directory: String, prefix: String) -> String? {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(prefix) }.sorted().last
    }

    /// Runs `llama-server --version` from another folder than the binary's: nil when it works, else why not.
    /// (A build whose RUNPATH names its build folder runs only from there; being executable proves nothing.)
    static func versionFailure(_ server: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: server)
        process.arguments = ["--version"]
        process.currentDirectoryURL = URL(fileURLWithPath: "/")
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return "\(error)" }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus != 0 else { return nil }
        let tail = text.split(separator: "\n").suffix(3).joined(separator: " | ")
        return "exit \(process.terminationStatus): \(tail)"
    }
}

/// What a chat template leaks into a reply when the model is prompted with the wrong one.
let chatTemplateTokens = ["<|im_start|>", "<|im_end|>", "<start_of_turn>", "<end_of_turn>", "<|eot_id|>", "<|start_header_id|>"]
