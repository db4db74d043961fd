import AsyncHTTPClient
import Foundation
import NIOCore
import Testing
@testable import InferenceSimulator

/// `--hang-generation` and `--hang-generation-after N`: completions hang while `/health` and
/// `/v1/models` keep answering, as a server stuck in its generation does.
@Suite("hung generation")
struct GenerationHangTests {
    static let chat = #"{"model":"x","messages":[{"role":"user","content":"hi"}],"stream":true}"#

    /// A request that must not be answered: the client gives up after `patience` (cancelling
    /// the request, the body included: a stream starts, then stalls, and must not end).
    static func unanswered(_ baseURL: String, _ path: String, body: String, patience: Duration = .milliseconds(300)) async -> Bool {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let sent = request
            _ = try await withTimeout("an answer to \(path)", patience) {
                let response = try await HTTPClient.shared.execute(sent, timeout: .seconds(60))
                return try await response.body.collect(upTo: 1 << 20).readableBytes
            }
            return false
        } catch {
            return error is TimedOut
        }
    }

    @Test func theFirstCompletionsAnswerThenEveryOneHangs() async throws {
        try await withSimulator({ $0.hangGenerationAfter = 1 }) { server, http, logs in
            let first = try await http.post("/v1/chat/completions", json: Self.chat)
            #expect(first.status == 200)
            #expect(first.serverSentEvents.last == "[DONE]")

            #expect(await Self.unanswered(server.baseURL, "/v1/chat/completions", body: Self.chat))
            #expect(await Self.unanswered(server.baseURL, "/v1/completions", body: #"{"prompt":"hi"}"#))
            #expect(try await http.get("/health").status == 200)
            #expect(try await http.get("/v1/models").status == 200)
            #expect(logs.lines.contains("inference-sim: completion 2 hangs (simulated: generation answers nothing after 1)"))
        }
    }

    @Test func hangGenerationHangsFromTheStart() async throws {
        try await withSimulator({ $0.hangGenerationAfter = 0 }) { server, http, _ in
            let unanswered = await Self.unanswered(server.baseURL, "/v1/chat/completions",
                                                   body: #"{"model":"x","messages":[{"role":"user","content":"hi"}]}"#)
            #expect(unanswered)
            let health = try await http.get("/health")
            #expect(health.status == 200)
        }
    }

    @Test func theFlagsParse() throws {
        #expect(try SimulatorFlags.parse(["--hang-generation"]).makeOptions().hangGenerationAfter == 0)
        #expect(try SimulatorFlags.parse(["--hang-generation-after", "3"]).makeOptions().hangGenerationAfter == 3)
        #expect(try SimulatorFlags.parse([]).makeOptions().hangGenerationAfter == nil)
        #expect(throws: (any Error).self) { try SimulatorFlags.parse(["--hang-generation", "--hang-generation-after", "1"]) }
        #expect(throws: (any Error).self) { try SimulatorFlags.parse(["--hang-generation-after", "-1"]) }
    }
}
