import Foundation
import Testing

/// `readiness.smoke` and `health.smoke` against real simulated servers: a completion through the
/// published endpoint before Ready, measured figures in the descriptors, hung generation found.
extension EndToEnd {
    static func figure(_ object: JSONObject, _ path: String) -> Double? {
        (object.value(path) as? NSNumber)?.doubleValue
    }

    @Test("readiness.smoke: Ready after a real completion; instance and consumer descriptors carry the measured figures")
    func smokeReadinessPublishesMeasuredFigures() async throws {
        try await withWorkspace("smoke-ready") { ws in
            var alpha = SimInstance(name: "alpha")
            alpha.readinessSmoke = "{maxTokens: 4, timeout: 20s}"
            try ws.write("alpha.yaml", documents(alpha.yaml, consumerYAML("agent", instance: "alpha")))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")

            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Ready", "\(status)")
            #expect(status.string("message")?.contains("smoke completion: first token in") == true, "\(status)")
            let ttft = try #require(Self.figure(status, "endpoint.metadata.measured_ttft_ms"), "\(status)")
            let rate = try #require(Self.figure(status, "endpoint.metadata.measured_tokens_per_s"), "\(status)")
            #expect(ttft > 0)
            #expect(rate > 0)

            let consumer = try ws.consumerStatus("agent")
            #expect(consumer.bool("ready") == true, "\(consumer)")
            #expect(Self.figure(consumer, "endpoint.metadata.measured_ttft_ms") == ttft, "\(consumer)")
            #expect(Self.figure(consumer, "endpoint.metadata.measured_tokens_per_s") == rate, "\(consumer)")

            // It went through the endpoint, as a consumer's request would.
            let log = try String(contentsOfFile: ws.stateDir + "/logs/alpha.log", encoding: .utf8)
            #expect(log.contains("request: POST /v1/chat/completions 200"), "\(log)")
        }
    }

    @Test("readiness.smoke: a server whose generation hangs never becomes Ready (SmokeTestFailed) and is stopped")
    func hungGenerationFailsReadiness() async throws {
        try await withWorkspace("smoke-hung") { ws in
            var alpha = SimInstance(name: "alpha", extraArgs: ["--hang-generation"])
            alpha.readinessSmoke = "{timeout: 1s}"
            try ws.write("alpha.yaml", documents(alpha.yaml, consumerYAML("agent", instance: "alpha")))
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 1, "\(apply)")
            #expect(apply.stderr.contains("alpha: Failed"), "\(apply)")

            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Failed", "\(status)")
            #expect(status.objects("conditions").contains { $0.string("type") == "Ready" && $0.string("reason") == "SmokeTestFailed" },
                    "\(status)")
            #expect(status.string("last_exit.failed_check") == "SmokeTestFailed", "\(status)")
            let message = status.string("message") ?? ""
            #expect(message.contains("readiness.smoke"), "\(status)")
            #expect(message.contains("within 1.00s (readiness.smoke.timeout)"), "\(status)")
            #expect(try ws.consumerStatus("agent").bool("ready") == false)
            let record = try ws.record("alpha")
            let pid = try #require(record.int("process.pid").map(Int32.init), "\(record)")
            #expect(!Processes.isAlive(pid), "a server that failed its smoke must be stopped")
        }
    }

    @Test("readiness.smoke through a key-protected endpoint: the key is read by reference and sent, never written")
    func smokeSendsTheKeyByReference() async throws {
        try await withWorkspace("smoke-key") { ws in
            let keyDirectory = NSTemporaryDirectory() + "inferctl-it-smoke-key-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: keyDirectory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: keyDirectory) }
            let secret = "sk-smoke-\(UUID().uuidString)"
            try (secret + "\n").write(toFile: keyDirectory + "/key.txt", atomically: true, encoding: .utf8)
            var alpha = SimInstance(name: "alpha", serverLines: ["apiKey: {file: \(keyDirectory)/key.txt}"])
            alpha.readinessSmoke = "{timeout: 20s}"
            try ws.write("alpha.yaml", alpha.yaml)
            let apply = try await ws.inferctl("apply", ws.dir)
            #expect(apply.status == 0, "\(apply)")
            let status = try ws.instanceStatus("alpha")
            #expect(status.string("phase") == "Ready", "\(status)")
            #expect(status.has("endpoint.metadata.measured_ttft_ms"), "\(status)")
            let log = try String(contentsOfFile: ws.stateDir + "/logs/alpha.log", encoding: .utf8)
            #expect(log.contains("request: POST /v1/chat/completions 200"), "the key-protected endpoint took it: \(log)")
            Self.expectNowhere(secret, under: ws.dir, outputs: [apply])
        }
    }
}
