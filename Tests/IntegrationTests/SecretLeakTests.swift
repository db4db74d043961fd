import Foundation
import Testing

/// An API key that cannot be a header value (here: one holding a newline) is refused when it is read,
/// with a message naming its reference; and no part of it is written or printed anywhere.
extension EndToEnd {
    /// A key on two lines, each line long and unique enough to be searched for on its own.
    static func newlineSecret() -> String {
        "sk-first-\(UUID().uuidString)\nsk-second-\(UUID().uuidString)"
    }

    /// Every place the key could have leaked to: each file under `directory` (state folder included),
    /// every output given, and every process's command line.
    static func expectNowhere(_ secret: String, under directory: String, outputs: [CommandResult]) {
        let needles = [secret] + secret.split(separator: "\n").map(String.init)
        let files = FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []
        #expect(!files.isEmpty)
        for file in files {
            guard let data = FileManager.default.contents(atPath: directory + "/" + file) else { continue }
            let text = String(decoding: data, as: UTF8.self)
            for needle in needles { #expect(!text.contains(needle), "the key was written to \(file)") }
        }
        for output in outputs {
            for needle in needles { #expect(!output.output.contains(needle), "the key was printed by \(output)") }
        }
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.compactMap(Int32.init) ?? []
        for pid in pids {
            let commandLine = Processes.commandLine(pid)
            for needle in needles { #expect(!commandLine.contains(needle), "the key is on the command line of pid \(pid)") }
        }
    }

    @Test("a key holding a newline, by {env:} and by {file:}, spawned or attached: refused by reference, never written")
    func newlineKeyIsRefusedAndNeverWritten() async throws {
        try await withWorkspace("newline-key") { ws in
            let secret = Self.newlineSecret()
            // The key file lives outside the manifest directory, so every file in it can be searched.
            let keyDirectory = NSTemporaryDirectory() + "inferctl-it-key-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: keyDirectory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: keyDirectory) }
            let keyFile = keyDirectory + "/key.txt"
            try (secret + "\n").write(toFile: keyFile, atomically: true, encoding: .utf8)
            try "good-daemon-key\n".write(toFile: keyDirectory + "/daemon.txt", atomically: true, encoding: .utf8)
            let daemon = try await Daemon(arguments: ["--model-id", "gw-model", "--api-key-file", keyDirectory + "/daemon.txt"],
                                          readyPath: "/health", workspace: ws)

            func attached(_ name: String, apiKey: String) -> String {
                """
                apiVersion: inference.selfhosted/v1
                kind: Instance
                metadata: {name: \(name)}
                spec:
                  backend: openai_compatible
                  url: \(daemon.root)/v1
                  model: {identity: gw-model}
                  server: {apiKey: \(apiKey)}
                  readiness: {timeout: 20s}

                """
            }
            let byEnvironment = "{env: IT_NEWLINE_KEY}"
            let byFile = "{file: \(keyFile)}"
            try ws.write("spawned.yaml", documents(
                SimInstance(name: "spawned-env", serverLines: ["apiKey: \(byEnvironment)"]).yaml,
                SimInstance(name: "spawned-file", serverLines: ["apiKey: \(byFile)"]).yaml,
                SimInstance(name: "fine").yaml,
                consumerYAML("spawned-agent", instance: "spawned-env")))
            try ws.write("attached.yaml", documents(
                attached("attached-env", apiKey: byEnvironment), attached("attached-file", apiKey: byFile),
                consumerYAML("attached-agent", instance: "attached-file")))

            let environment = ["IT_NEWLINE_KEY": secret]
            let apply = try await Inferctl.run(["apply", ws.dir], environment: environment)
            #expect(apply.status == 1, "\(apply)")
            let expected = [
                "spawned-env": "secret env:IT_NEWLINE_KEY spans several lines",
                "attached-env": "secret env:IT_NEWLINE_KEY spans several lines",
                "spawned-file": "secret file:\(keyFile) spans several lines",
                "attached-file": "secret file:\(keyFile) spans several lines",
            ]
            for (instance, message) in expected {
                let status = try ws.instanceStatus(instance)
                #expect(status.string("phase") == "Failed", "\(instance): \(status)")
                #expect(status.string("message")?.hasPrefix(message) == true, "\(instance): \(status)")
                #expect(status.objects("conditions").contains { $0.string("reason") == "SecretUnavailable" }, "\(status)")
                #expect(apply.stderr.contains("\(instance): Failed: \(message)"), "apply does not say why \(instance) failed: \(apply)")
            }
            #expect(try ws.instanceStatus("fine").string("phase") == "Ready", "the other instances still run")
            #expect(try ws.consumerStatus("spawned-agent").bool("ready") == false)

            let again = try await Inferctl.run(["apply", ws.dir], environment: environment)
            // The plan's payload names each key by its reference: the file's path, the variable's name.
            let planJSON = try await Inferctl.run(["plan", ws.dir, "-o", "json"], environment: environment)
            #expect(planJSON.stdout.contains("\"--api-key-file\",\n") && planJSON.stdout.contains(keyFile), "\(planJSON)")
            #expect(planJSON.stdout.contains("\"env\" : \"IT_NEWLINE_KEY\""), "\(planJSON)")
            let outputs = [
                apply, again, planJSON,
                try await Inferctl.run(["plan", ws.dir], environment: environment),
                try await ws.inferctl("status", ws.dir),
                try await ws.inferctl("status", ws.dir, "-o", "json"),
                try await ws.inferctl("logs", "fine", ws.dir),
                try await ws.inferctl("logs", "spawned-env", ws.dir),
                try await ws.inferctl("logs", "spawned-file", ws.dir),
            ]
            Self.expectNowhere(secret, under: ws.dir, outputs: outputs)
        }
    }
}
